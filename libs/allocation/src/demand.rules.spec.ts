import { BatchStatus } from '@jicai/batches';
import { demandRefusal, groupNames } from './demand.rules';

describe('demand window (domain.md 6)', () => {
  const closes = new Date('2027-03-15T09:00:00.000Z');
  const before = new Date('2027-03-15T08:59:59.999Z');

  it('is open for a DRAFT or PUBLISHED batch strictly before biddingClosesAt', () => {
    expect(demandRefusal(BatchStatus.DRAFT, closes, before)).toBeNull();
    expect(demandRefusal(BatchStatus.PUBLISHED, closes, before)).toBeNull();
  });

  it('is closed at biddingClosesAt and after, whatever the status says', () => {
    expect(demandRefusal(BatchStatus.PUBLISHED, closes, closes)?.code).toBe('BIDDING_CLOSED');
    expect(demandRefusal(BatchStatus.DRAFT, closes, new Date('2027-04-01T00:00:00Z'))?.code).toBe('BIDDING_CLOSED');
    for (const s of [
      BatchStatus.CLOSED,
      BatchStatus.OPENED,
      BatchStatus.EVALUATED,
      BatchStatus.AWARDED,
      BatchStatus.ALLOCATED,
      BatchStatus.IN_FORCE,
      BatchStatus.COMPLETED,
    ]) {
      expect([s, demandRefusal(s, closes, before)?.code]).toEqual([s, 'BIDDING_CLOSED']);
    }
  });

  it('refuses a cancelled batch as a state error', () => {
    expect(demandRefusal(BatchStatus.CANCELLED, closes, before)).toEqual({ code: 'INVALID_STATE', message: 'The batch is cancelled' });
  });

  it('lists the groups of the rules in order', () => {
    expect(groupNames({ groups: { A: [], B: [] } })).toEqual(['A', 'B']);
    expect(groupNames({ groups: { ALL: [] } })).toEqual(['ALL']);
  });
});
