import type { DataSource } from 'typeorm';
import { Dec } from '@jicai/common';
import { itemsOfBatch } from '@jicai/batches';
import { productsByIds } from '@jicai/catalog';
import { organizationsByIds } from '@jicai/organizations';
import type { ExportColumn, ExportSheet } from '@jicai/spreadsheets';
import type { ResultBid, ResultGroup } from './evaluation.service';

/** One line of results.xlsx: a bid of an item × group (or the group's "no bid" line), with the names beside the ids. */
export interface ResultExportRow {
  itemId: number;
  genericName: string;
  dosageForm: string;
  group: string;
  /** Section 15.1/15.2, per item × group: what the ratio gate was measured from, and the floor that applied. */
  anchorUcp: string | null;
  gateFloor: string | null;
  /** Section 15.4: the item × group's objections as "id:STATUS; ...". */
  objections: string;
  /** A bid of the group (null on a "no bid" line and on a line of a bid ruled invalid). */
  bid: ResultBid | null;
  /** A bid left out of the evaluation after it, and why (OBJECTION, ABNORMAL_LOW). */
  ruled: { bidId: number; source: string } | null;
  supplierName: string | null;
  productName: string | null;
  approvalNumber: string | null;
}

const yesNo = (v: boolean | undefined) => (v === undefined ? null : v ? 'YES' : 'NO');

/**
 * The columns of results.xlsx, in the export convention (libs/spreadsheets: Chinese
 * headers over the API's field names, ids beside names, prices and scores as numeric
 * cells with their domain.md precision). Add a column here to extend the workbook.
 */
export const RESULT_COLUMNS: ExportColumn<ResultExportRow>[] = [
  { header: 'itemId', label: '品种ID', value: 'itemId', kind: 'id' },
  { header: 'genericName', label: '通用名', value: 'genericName', width: 22 },
  { header: 'dosageForm', label: '剂型', value: 'dosageForm' },
  { header: 'group', label: '分组', value: 'group' },
  { header: 'bidId', label: '投标ID', value: (r) => r.bid?.bidId ?? r.ruled?.bidId, kind: 'id' },
  { header: 'supplierId', label: '供应商ID', value: (r) => r.bid?.supplierId, kind: 'id' },
  { header: 'supplierName', label: '供应商', value: 'supplierName', width: 28 },
  { header: 'productId', label: '产品ID', value: (r) => r.bid?.productId, kind: 'id' },
  { header: 'productName', label: '产品', value: 'productName', width: 30 },
  { header: 'approvalNumber', label: '批准文号', value: 'approvalNumber', width: 22 },
  { header: 'packPrice', label: '申报价（元/包装）', value: (r) => r.bid?.packPrice, decimals: 2, width: 16 },
  { header: 'unitComparablePrice', label: '单位可比价（元）', value: (r) => r.bid?.unitComparablePrice, decimals: 4, width: 18 },
  { header: 'technicalScore', label: '技术得分', value: (r) => r.bid?.technicalScore, decimals: 4 },
  { header: 'priceScore', label: '价格得分', value: (r) => r.bid?.priceScore, decimals: 4 },
  { header: 'compositeScore', label: '综合得分', value: (r) => r.bid?.compositeScore, decimals: 4 },
  { header: 'rank', label: '排名', value: (r) => r.bid?.rank, kind: 'integer' },
  { header: 'gated', label: '通过门槛', value: (r) => yesNo(r.bid?.gated) },
  { header: 'gatePassedBy', label: '通过的门槛', value: (r) => (r.bid ? (r.bid.gatePassedBy ?? 'FAILED') : null) },
  { header: 'anchorUcp', label: '门槛基准单位可比价（元）', value: 'anchorUcp', decimals: 4, width: 18 },
  { header: 'gateFloor', label: '门槛下限（元）', value: 'gateFloor', decimals: 4, width: 14 },
  { header: 'winner', label: '中选', value: (r) => yesNo(r.bid?.winner) },
  { header: 'abnormalLow', label: '异常低价', value: (r) => r.bid?.abnormalLow?.status ?? null, width: 14 },
  // Section 15.3: "STATUS offerPackPrice (offerUcp)", e.g. "ACCEPTED 2.10 (0.1500)".
  {
    header: 'revival',
    label: '复活',
    value: (r) => (r.bid?.revival ? `${r.bid.revival.status} ${r.bid.revival.offerPackPrice} (${r.bid.revival.offerUcp})` : null),
    width: 22,
  },
  { header: 'objections', label: '异议', value: 'objections', width: 24 },
  { header: 'ruledInvalid', label: '判定无效', value: (r) => r.ruled?.source ?? null, width: 14 },
  { header: 'noBid', label: '无人投标', value: (r) => (r.bid || r.ruled ? 'NO' : 'YES') },
];

/** The results as the workbook's one sheet, with item, supplier and product names looked up once. */
export async function resultsSheet(ds: DataSource, batchId: number, items: ResultGroup[]): Promise<ExportSheet<ResultExportRow>> {
  const itemNames = new Map<number, { genericName: string; dosageForm: string }>();
  for (const i of await itemsOfBatch(ds.manager, batchId)) itemNames.set(i.id, { genericName: i.genericName, dosageForm: i.dosageForm });
  const bids = items.flatMap((g) => g.bids);
  const supplierIds = [...new Set(bids.map((b) => b.supplierId))];
  const productIds = [...new Set(bids.map((b) => b.productId))];
  const suppliers = new Map<number, string>();
  const products = new Map<number, { name: string; approvalNumber: string }>();
  for (const o of (await organizationsByIds(ds.manager, supplierIds)).values()) suppliers.set(o.id, o.name);
  for (const p of (await productsByIds(ds.manager, productIds)).values()) {
    const strength = `${new Dec(p.strengthValue).toFixed()}${p.strengthUnit}`;
    products.set(p.id, { name: `${p.genericName} ${p.dosageForm} ${strength}×${p.packSize}${p.smallestUnit}`, approvalNumber: p.approvalNumber });
  }
  function* rows(): Iterable<ResultExportRow> {
    for (const g of items) {
      const item = itemNames.get(g.itemId) ?? { genericName: '', dosageForm: '' };
      const base = {
        itemId: g.itemId,
        genericName: item.genericName,
        dosageForm: item.dosageForm,
        group: g.group,
        anchorUcp: g.anchorUcp,
        gateFloor: g.gateFloor,
        objections: (g.objections ?? []).map((o) => `${o.id}:${o.status}`).join('; '),
      };
      const none = { bid: null, ruled: null, supplierName: null, productName: null, approvalNumber: null };
      if (g.bids.length === 0 && !g.ruledInvalid?.length) yield { ...base, ...none };
      for (const b of g.bids) {
        const p = products.get(b.productId);
        yield {
          ...base,
          ...none,
          bid: b,
          supplierName: suppliers.get(b.supplierId) ?? null,
          productName: p?.name ?? null,
          approvalNumber: p?.approvalNumber ?? null,
        };
      }
      for (const r of g.ruledInvalid ?? []) yield { ...base, ...none, ruled: { bidId: r.bidId, source: r.source } };
    }
  }
  return { name: 'Results', columns: RESULT_COLUMNS, rows: rows() };
}
