import { biddingWindow } from './bidding-window.rules';

describe('bidding window (domain.md section 4)', () => {
  const opens = new Date('2027-03-01T00:00:00.000Z');
  const closes = new Date('2027-03-15T09:00:00.000Z');
  const at = (iso: string) => new Date(iso);

  it('is open from biddingOpensAt inclusive to biddingClosesAt exclusive', () => {
    expect(biddingWindow('PUBLISHED', opens, closes, at('2027-02-28T23:59:59.999Z'))).toBe('NOT_OPEN');
    expect(biddingWindow('PUBLISHED', opens, closes, at('2027-03-01T00:00:00.000Z'))).toBe('OPEN');
    expect(biddingWindow('PUBLISHED', opens, closes, at('2027-03-15T08:59:59.999Z'))).toBe('OPEN');
    expect(biddingWindow('PUBLISHED', opens, closes, at('2027-03-15T09:00:00.000Z'))).toBe('CLOSED');
  });

  it('needs a PUBLISHED batch: a draft is not open yet, every other state is closed', () => {
    const inside = at('2027-03-05T00:00:00.000Z');
    expect(biddingWindow('DRAFT', opens, closes, inside)).toBe('NOT_OPEN');
    for (const s of ['CLOSED', 'OPENED', 'EVALUATED', 'AWARDED', 'CANCELLED']) {
      expect([s, biddingWindow(s, opens, closes, inside)]).toEqual([s, 'CLOSED']);
    }
  });
});
