import { ImportColumn, parsers } from '@jicai/spreadsheets';
import { MAX_DEMAND_QUANTITY } from './dto/demand.dto';

/** The import job kind (libs/spreadsheets import jobs) of the demand sheet. */
export const DEMAND_IMPORT_KIND = 'demand';
/** A file is validated whole in the request and its rows travel in the job. */
export const MAX_DEMAND_IMPORT_ROWS = 5000;
export const UPSERT_CHUNK = 1000;

/** One row of the demand sheet. */
export interface DemandRow {
  hospitalId: number | null;
  hospitalCode: string | null;
  itemId: number;
  group: string;
  quantity: number | null;
}

const HOSPITAL_COLUMNS: ImportColumn[] = [
  {
    key: 'hospitalId',
    header: 'hospitalId',
    label: '医院ID',
    parse: parsers.id,
    width: 11,
    description: 'Admins: the hospital, by id (or give hospitalCode). Hospitals: leave blank or give your own',
    example: '31',
  },
  {
    key: 'hospitalCode',
    header: 'hospitalCode',
    label: '医院编码',
    parse: parsers.text({ maxLength: 64, nfkc: true }),
    width: 14,
    description: 'Admins: the hospital, by code (or give hospitalId)',
    example: 'HOS-001',
  },
];

const ITEM_COLUMNS: ImportColumn[] = [
  { key: 'itemId', header: 'itemId', label: '品种ID', required: true, parse: parsers.id, width: 9, description: 'An item of this batch', example: '12' },
  { key: 'genericName', header: 'genericName', label: '通用名', width: 24, description: 'Context only (ignored on import)' },
  { key: 'dosageForm', header: 'dosageForm', label: '剂型', width: 10, description: 'Context only (ignored on import)' },
  {
    key: 'representativeStrength',
    header: 'representativeStrength',
    label: '代表品规格',
    width: 14,
    description: 'Context only: the measure unit is one smallest unit at this strength',
  },
  {
    key: 'group',
    header: 'group',
    label: '分组',
    required: true,
    parse: parsers.text({ maxLength: 32, nfkc: true }),
    width: 8,
    description: "One of the batch rules' groups",
    example: 'B',
  },
  {
    key: 'quantity',
    header: 'quantity',
    label: '需求量',
    parse: parsers.integer({ min: 0, max: MAX_DEMAND_QUANTITY }),
    width: 12,
    description: 'Annual demand in measure units, a whole number ≥ 0; a blank cell leaves that demand unchanged',
    example: '15001',
  },
];

/** What the import reads: every column, whoever uploads. */
export const DEMAND_COLUMNS: readonly ImportColumn[] = [...HOSPITAL_COLUMNS, ...ITEM_COLUMNS];
/** A hospital's template has no hospital columns: its rows are its own. */
export const HOSPITAL_TEMPLATE_COLUMNS: readonly ImportColumn[] = ITEM_COLUMNS;
export const ADMIN_TEMPLATE_COLUMNS: readonly ImportColumn[] = DEMAND_COLUMNS;

export const DEMAND_TEMPLATE_NOTES = [
  'Annual demand per item × group in measure units (domain.md 6), reported before bidding closes.',
  'One row per item × group; fill in quantity. Rows with a blank quantity are left as they are.',
  'The whole file is imported or nothing is: every bad row is reported with its row number and column.',
  `At most ${MAX_DEMAND_IMPORT_ROWS} rows per file.`,
];
