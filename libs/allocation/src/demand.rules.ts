import { BatchStatus } from '@jicai/batches';

/** Why demand cannot be reported now, or null when it can (domain.md 6). */
export type DemandRefusal = { code: 'BIDDING_CLOSED' | 'INVALID_STATE'; message: string } | null;

// Section 6: hospitals report demand before bidding closes: while the batch is a DRAFT
// or PUBLISHED and the server clock is before biddingClosesAt. After that (a PUBLISHED
// batch whose close job has not run yet included) it is too late; a cancelled batch
// takes no demand at all.
export function demandRefusal(status: BatchStatus, biddingClosesAt: Date, now: Date): DemandRefusal {
  if (status === BatchStatus.CANCELLED) return { code: 'INVALID_STATE', message: 'The batch is cancelled' };
  if ((status === BatchStatus.DRAFT || status === BatchStatus.PUBLISHED) && now.getTime() < biddingClosesAt.getTime()) return null;
  return { code: 'BIDDING_CLOSED', message: `Demand is reported before bidding closes (${biddingClosesAt.toISOString()}); the batch is ${status}` };
}

/** A batch's groups (rule `groups`, section 3), in the order the rules list them. */
export function groupNames(rules: { groups: Record<string, unknown> }): string[] {
  return Object.keys(rules.groups);
}
