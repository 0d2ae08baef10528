import { ImportColumn, ImportedRow, parsers, RowErrors } from '@jicai/spreadsheets';
import type { TechnicalCriterion } from './evaluation.rules';

/** The import job kind (libs/spreadsheets import jobs) of the technical-score sheet. */
export const TECHNICAL_SCORES_IMPORT_KIND = 'technical-scores';
/** Rows per file: a file is validated whole in the request and its rows travel in the job. */
export const MAX_TECHNICAL_SCORE_IMPORT_ROWS = 50_000;

/** One row of the technical-score sheet: one criterion of one bid (a bid takes several rows). */
export interface TechnicalScoreRow {
  bidId: number;
  criterion: string;
  points: string;
  maxPoints: string;
}

/** A validated row as the import job carries it, with its row in the sheet. */
export interface TechnicalScoreImportRow {
  row: number;
  bidId: number;
  criterion: string;
  points: string;
  maxPoints: string;
}

export const TECHNICAL_SCORE_COLUMNS: readonly ImportColumn[] = [
  { key: 'bidId', header: 'bidId', label: '投标编号', required: true, parse: parsers.id, description: 'An opened bid of this batch', example: '17' },
  {
    key: 'criterion',
    header: 'criterion',
    label: '评分项',
    required: true,
    parse: parsers.text({ maxLength: 100, nfkc: true }),
    description: 'Name of the criterion',
    example: 'quality system',
  },
  {
    key: 'points',
    header: 'points',
    label: '得分',
    required: true,
    parse: parsers.decimal({ maxDp: 4 }),
    description: 'Points given, at most 4 decimals, within maxPoints',
    example: '12.5',
  },
  {
    key: 'maxPoints',
    header: 'maxPoints',
    label: '满分',
    required: true,
    parse: parsers.decimal({ maxDp: 4 }),
    description: 'Maximum points of the criterion',
    example: '15',
  },
  // Read-only context columns of the template (ignored on import): ids with their names.
  { key: 'itemId', header: 'itemId', label: '品种ID', description: 'Context only' },
  { key: 'genericName', header: 'genericName', label: '通用名', description: 'Context only', width: 20 },
  { key: 'group', header: 'group', label: '分组', description: 'Context only' },
  { key: 'supplierId', header: 'supplierId', label: '供应商ID', description: 'Context only' },
  { key: 'supplierName', header: 'supplierName', label: '供应商', description: 'Context only', width: 28 },
];

/** Groups rows per bid, flagging a criterion named twice for the same bid. */
export function criteriaByBid(
  rows: ImportedRow<TechnicalScoreRow>[],
  errors: RowErrors,
): Map<number, { rows: number[]; criteria: { name: string; points: string; maxPoints: string }[] }> {
  const byBid = new Map<number, { rows: number[]; criteria: { name: string; points: string; maxPoints: string }[] }>();
  const seen = new Set<string>();
  for (const { row, value } of rows) {
    const key = `${value.bidId}|${value.criterion}`;
    if (seen.has(key)) errors.add(row, 'criterion', `criterion "${value.criterion}" appears twice for bid ${value.bidId}`);
    seen.add(key);
    if (!byBid.has(value.bidId)) byBid.set(value.bidId, { rows: [], criteria: [] });
    const e = byBid.get(value.bidId)!;
    e.rows.push(row);
    e.criteria.push({ name: value.criterion, points: value.points, maxPoints: value.maxPoints });
  }
  return byBid;
}

/** A bid's criteria, in the order of the rows (the import job's grouping; no checks). */
export function criteriaOfRows(rows: readonly TechnicalScoreImportRow[]): Map<number, { rows: number[]; criteria: TechnicalCriterion[] }> {
  const byBid = new Map<number, { rows: number[]; criteria: TechnicalCriterion[] }>();
  for (const r of rows) {
    if (!byBid.has(r.bidId)) byBid.set(r.bidId, { rows: [], criteria: [] });
    const e = byBid.get(r.bidId)!;
    e.rows.push(r.row);
    e.criteria.push({ name: r.criterion, points: r.points, maxPoints: r.maxPoints });
  }
  return byBid;
}
