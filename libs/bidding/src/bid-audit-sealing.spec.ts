import { bidEntrySeal } from './bid-audit-sealing';

describe('the bid audit sealing policy (domain.md sections 4 and 11)', () => {
  const data = { batchId: 12, itemId: 3, group: 'B', productId: 9, receipt: 'r', replaces: 7 };

  it('seals submissions, replacements and withdrawals under their batch: actor, product and the replaced version', () => {
    for (const action of ['bid.submit', 'bid.replace', 'bid.withdraw']) {
      expect(bidEntrySeal({ action, entity: 'bid', entityId: '5', data })).toEqual({ scope: '12', sealedKeys: ['productId', 'supplierId', 'replaces'] });
    }
  });

  it('leaves entries written after opening, and other entities, unsealed', () => {
    expect(bidEntrySeal({ action: 'bid.technical-score', entity: 'bid', entityId: '5', data: { batchId: 12, technicalScore: '30' } })).toBeNull();
    expect(bidEntrySeal({ action: 'batch.open-requested', entity: 'batch', entityId: '12', data: {} })).toBeNull();
    expect(bidEntrySeal({ action: 'bid.submit', entity: 'product', entityId: '5', data })).toBeNull();
  });

  it('refuses to write a bid entry it cannot place under a batch (it would stay readable)', () => {
    expect(() => bidEntrySeal({ action: 'bid.submit', entity: 'bid', entityId: '5', data: { itemId: 3 } })).toThrow(/batchId/);
  });
});
