import { EntityManager } from 'typeorm';
import { Dec } from '@jicai/common';
import { productsByIds } from '@jicai/catalog';
import { standardPackPrice } from '@jicai/reimbursement';
import { type Batch, type BatchItem, gateFloorFor } from '@jicai/batches';
import { abnormallyLowBids, evaluateGroup, EvaluatedBid, revivalOffers } from './evaluation.rules';
import { OpenedBid } from '@jicai/bidding';

/** The rows evaluation writes (evaluation_groups, evaluation_results, abnormal_low_flags), per item × group. */

/** Multi-row INSERT in chunks (one round trip per 1,000 rows). */
export async function insertRows(m: EntityManager, table: string, columns: string[], rows: unknown[][], chunk = 1000, verb = 'INSERT'): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const one = `(${columns.map(() => '?').join(',')})`;
    await m.query(`${verb} INTO ${table} (${columns.join(',')}) VALUES ${part.map(() => one).join(',')}`, part.flat());
  }
}

const GROUP_COLUMNS = ['batch_id', 'item_id', 'group_name', 'bid_count', 'winner_count', 'no_bid', 'min_ucp', 'anchor_ucp', 'gate_floor'];
const RESULT_COLUMNS = [
  'bid_id',
  'batch_id',
  'item_id',
  'group_name',
  'supplier_id',
  'product_id',
  'pack_price',
  'unit_comparable_price',
  'technical_score',
  'price_score',
  'composite_score',
  '`rank`',
  'gated',
  'winner',
  'gate_passed_by',
];
const FLAG_COLUMNS = ['bid_id', 'batch_id', 'item_id', 'group_name', 'supplier_id', 'median_ucp', 'threshold_ucp', 'status', 'flagged_at'];

/** Bids ruled invalid after evaluation (an upheld objection, or an abnormally low bid): out of every later evaluation. */
export async function ruledInvalidBids(m: EntityManager, batchId: number): Promise<Set<number>> {
  const rows = await m.query('SELECT bid_id AS bidId FROM ruled_invalid_bids WHERE batch_id = ?', [batchId]);
  return new Set<number>(rows.map((r: any) => Number(r.bidId)));
}

/**
 * Section 5 (with 15.1, 15.2 and 15.5) for one item × group: the rows of evaluation_groups,
 * evaluation_results and the abnormally-low flags it raises (status FLAGGED, flaggedAt null:
 * the caller stamps it).
 */
export function evaluateItemGroup(batch: Batch, item: BatchItem, group: string, groupBids: OpenedBid[], scores: Map<number, string>) {
  // Section 15.2: the floor of the item's dosage-form class.
  const gateFloor = gateFloorFor(batch.rules.gateFloor, item.dosageFormClass);
  const result = evaluateGroup({
    bids: groupBids.map((b) => ({
      bidId: b.bidId,
      ucp: b.unitComparablePrice,
      technicalScore: scores.get(b.bidId) ?? null,
      finalSubmittedAt: b.submittedAt,
    })),
    ceilingUcp: item.ceilingUnitPrice,
    rules: { ...batch.rules, gateFloor },
  });
  const byId = new Map(groupBids.map((b) => [b.bidId, b]));
  const minUcp = groupBids.length
    ? groupBids
        .map((b) => new Dec(b.unitComparablePrice))
        .reduce((a, b) => (b.lt(a) ? b : a))
        .toFixed(4)
    : null;
  // 流标: no valid bid in the item × group.
  const groupRow = [batch.id, item.id, group, groupBids.length, result.winners.length, groupBids.length === 0 ? 1 : 0, minUcp, result.anchorUcp, gateFloor];
  const resultRows = (result.bids as EvaluatedBid[]).map((e) => {
    const b = byId.get(e.bidId)!;
    return [
      e.bidId,
      batch.id,
      item.id,
      group,
      b.supplierId,
      b.productId,
      b.packPrice,
      b.unitComparablePrice,
      e.technicalScore,
      e.priceScore,
      e.compositeScore,
      e.rank,
      e.gated ? 1 : 0,
      e.winner ? 1 : 0,
      e.gatePassedBy,
    ];
  });
  // Section 15.5: abnormally low bids (rule abnormalLowRatio, null = off).
  const low = abnormallyLowBids(
    groupBids.map((b) => ({ bidId: b.bidId, ucp: b.unitComparablePrice })),
    batch.rules.abnormalLowRatio,
  );
  const flagRows = low
    ? low.flagged.map((bidId) => [bidId, batch.id, item.id, group, byId.get(bidId)!.supplierId, low.medianUcp, low.threshold, 'FLAGGED', null])
    : [];
  return { groupRow, resultRows, flagRows, winners: result.winners.length, evaluated: result.bids };
}

/** Writes what evaluateItemGroup produced; a flag already raised for a bid is kept as it stands. */
export async function writeEvaluationRows(m: EntityManager, groupRows: unknown[][], resultRows: unknown[][], flagRows: unknown[][], now = new Date()) {
  await insertRows(m, 'evaluation_groups', GROUP_COLUMNS, groupRows);
  await insertRows(m, 'evaluation_results', RESULT_COLUMNS, resultRows);
  await insertRows(
    m,
    'abnormal_low_flags',
    FLAG_COLUMNS,
    flagRows.map((r) => [...r.slice(0, -1), now]),
    1000,
    'INSERT IGNORE',
  );
}

/**
 * Section 15.3: with rule revival, the offers of one item × group (replacing any it had):
 * the offer UCP converted to each bid's own pack, awardUCP × K^log2(strength/rep) × packSize
 * (2 decimals), where strength/rep = measure units per pack / pack size. Deadline = now +
 * revivalHours.
 */
export async function writeRevivalOffers(
  m: EntityManager,
  batch: Batch,
  itemId: number,
  group: string,
  evaluated: EvaluatedBid[],
  groupBids: OpenedBid[],
  now: Date,
): Promise<number> {
  await m.query('DELETE FROM revival_offers WHERE batch_id = ? AND item_id = ? AND group_name = ?', [batch.id, itemId, group]);
  if (batch.rules.revival === 'NONE') return 0;
  const offers = revivalOffers(evaluated, batch.rules.gateRatio, batch.rules.revivalIncludesRanked);
  if (!offers || offers.bidIds.length === 0) return 0;
  const byId = new Map(groupBids.map((b) => [b.bidId, b]));
  const rankOf = new Map(evaluated.map((e) => [e.bidId, e.rank]));
  const products = await productsByIds(
    m,
    offers.bidIds.map((id) => byId.get(id)!.productId),
  );
  const packSize = new Map([...products.values()].map((p) => [p.id, p.packSize]));
  const deadline = new Date(now.getTime() + batch.rules.revivalHours * 3600_000);
  const rows = offers.bidIds.map((bidId) => {
    const b = byId.get(bidId)!;
    const size = packSize.get(b.productId)!;
    const packPrice = standardPackPrice(offers.offerUcp, batch.rules.strengthRatioCoefficient, new Dec(b.measureUnitsPerPack).dividedBy(size), size);
    return [bidId, batch.id, itemId, group, b.supplierId, rankOf.get(bidId)!, offers.offerUcp, packPrice, deadline, 'PENDING', now];
  });
  await insertRows(
    m,
    'revival_offers',
    ['bid_id', 'batch_id', 'item_id', 'group_name', 'supplier_id', '`rank`', 'offer_ucp', 'offer_pack_price', 'deadline', 'status', 'offered_at'],
    rows,
  );
  return rows.length;
}
