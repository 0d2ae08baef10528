import { Dec } from '@jicai/common';
import { bad, ImportColumn, ok, ParseResult, parsers } from '@jicai/spreadsheets';

const decimal4 = parsers.decimal({ maxDp: 4, maxIntegerDigits: 3 });
/** A score: a decimal from 0 to 100 with at most 4 decimals, kept as written (trailing zeros dropped). */
export function parseScore(s: string): ParseResult<string> {
  const r = decimal4(s);
  if (r.error !== undefined) return r;
  const d = new Dec(r.value);
  return d.lt(0) || d.gt(100) ? bad('must be from 0 to 100') : ok(d.toFixed());
}

/** Import job kinds (libs/spreadsheets import jobs) of execution's sheets. */
export const NON_SELECTED_IMPORT_KIND = 'non-selected-purchases';
export const SCORES_IMPORT_KIND = 'assessment-scores';
/** Rows per file: the rows travel in the job; a national year of scores is 50,000 hospitals. */
export const MAX_NON_SELECTED_IMPORT_ROWS = 5000;
export const MAX_SCORES_IMPORT_ROWS = 50_000;
/** Rows per multi-row statement of the handlers. */
export const EXECUTION_IMPORT_CHUNK = 1000;

/** A non-selected purchase as the sheet gives it (hospital by id or code for admins). */
export interface NonSelectedRow {
  hospitalId: number | null;
  hospitalCode: string | null;
  itemId: number;
  year: number;
  units: number;
}

/** What the job writes: one checked row. */
export interface NonSelectedEntry {
  hospitalId: number;
  itemId: number;
  year: number;
  units: number;
}

export interface ScoreRow {
  hospitalId: number | null;
  hospitalCode: string | null;
  year: number;
  score: string;
}

export interface ScoreEntry {
  hospitalId: number;
  year: number;
  score: string;
}

const hospitalColumns = (who: string): ImportColumn[] => [
  {
    key: 'hospitalId',
    header: 'hospitalId',
    label: '医院ID',
    parse: parsers.id,
    width: 11,
    description: `${who}: the hospital, by id (or give hospitalCode)`,
    example: '31',
  },
  {
    key: 'hospitalCode',
    header: 'hospitalCode',
    label: '医院编码',
    parse: parsers.text({ maxLength: 64, nfkc: true }),
    width: 14,
    description: `${who}: the hospital, by code (or give hospitalId)`,
    example: 'HOS-001',
  },
];

const YEAR: ImportColumn = {
  key: 'year',
  header: 'year',
  label: '协议年度',
  required: true,
  parse: parsers.integer({ min: 1, max: 3 }),
  width: 9,
  description: 'Agreement year, 1-based (year 1 starts at the agreement start)',
  example: '1',
};

const NON_SELECTED_ITEM_COLUMNS: ImportColumn[] = [
  { key: 'itemId', header: 'itemId', label: '品种ID', required: true, parse: parsers.id, width: 9, description: 'An item of this batch', example: '12' },
  { key: 'genericName', header: 'genericName', label: '通用名', width: 24, description: 'Context only (ignored on import)' },
  YEAR,
  {
    key: 'units',
    header: 'units',
    label: '非中选产品采购量',
    required: true,
    parse: parsers.integer({ min: 0, max: 1_000_000_000_000 }),
    width: 16,
    description: 'Measure units of non-selected products of the item’s generic name bought in that year, a whole number ≥ 0 (replaces the earlier figure)',
    example: '9000',
  },
];

/** Every column of the non-selected sheet; a hospital's template leaves out the hospital columns. */
export const NON_SELECTED_COLUMNS: readonly ImportColumn[] = [...hospitalColumns('Admins'), ...NON_SELECTED_ITEM_COLUMNS];
export const NON_SELECTED_HOSPITAL_TEMPLATE_COLUMNS: readonly ImportColumn[] = NON_SELECTED_ITEM_COLUMNS;

export const SCORES_COLUMNS: readonly ImportColumn[] = [
  ...hospitalColumns('The hospital'),
  { key: 'hospitalName', header: 'hospitalName', label: '医院名称', width: 28, description: 'Context only (ignored on import)' },
  YEAR,
  {
    key: 'score',
    header: 'score',
    label: '考核得分',
    required: true,
    parse: parseScore,
    numFmt: '0.0###',
    width: 10,
    description: 'The hospital’s assessment score for the year, 0 to 100, at most 4 decimals',
    example: '85.5',
  },
];

export const NON_SELECTED_TEMPLATE_NOTES = [
  'Purchases of non-selected products of each item’s generic name (issue 13: NON_SELECTED_SHARE), in measure units per agreement year.',
  'Hospitals report their own (leave the hospital columns out or give your own); admins name the hospital of each row.',
  'The whole file is imported or nothing is: every bad row is reported with its sheet, row, column and value. The next progress recompute weighs the figures.',
  `At most ${MAX_NON_SELECTED_IMPORT_ROWS} rows per file.`,
];

export const SCORES_TEMPLATE_NOTES = [
  'Assessment scores per hospital and agreement year, for savings retention (结余留用): the retained share follows the batch rule retentionShares.',
  'Rows already FIXED by the year-end job cannot change; the whole file is then refused.',
  'The whole file is imported or nothing is: every bad row is reported with its sheet, row, column and value.',
  `At most ${MAX_SCORES_IMPORT_ROWS} rows per file.`,
];
