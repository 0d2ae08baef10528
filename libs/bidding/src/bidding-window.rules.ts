/** Section 4: when a bid may be submitted, replaced or withdrawn. Pure. */

export type BiddingWindow = 'OPEN' | 'NOT_OPEN' | 'CLOSED';

/**
 * Accepted only while the batch is PUBLISHED and `biddingOpensAt ≤ now < biddingClosesAt`
 * by the server clock. A DRAFT batch has not opened yet; any other state (CLOSED, OPENED,
 * later, CANCELLED) is closed, whatever the clock says.
 */
export function biddingWindow(status: string, biddingOpensAt: Date, biddingClosesAt: Date, now: Date): BiddingWindow {
  if (status === 'DRAFT') return 'NOT_OPEN';
  if (status !== 'PUBLISHED') return 'CLOSED';
  if (now.getTime() < biddingOpensAt.getTime()) return 'NOT_OPEN';
  if (now.getTime() >= biddingClosesAt.getTime()) return 'CLOSED';
  return 'OPEN';
}
