import type { DataSource, EntityManager } from 'typeorm';
import { ImportColumn, parsers } from '@jicai/spreadsheets';
import { QUALITY_TIERS } from './catalog.rules';
import {
  approvalKey,
  LISTED_PRICE_DP,
  LISTED_PRICE_MAX_INTEGER_DIGITS,
  MAX_PACK_SIZE,
  ProductField,
  ProductFields,
  STRENGTH_MAX_DP,
} from './product.validation';

/** The import job kind (libs/spreadsheets import jobs) of the product sheet. */
export const PRODUCT_IMPORT_KIND = 'products';
/** A file is validated whole in the request and its rows travel in the job: a larger catalog is split into several files. */
export const MAX_PRODUCT_IMPORT_ROWS = 5000;
/** Rows per multi-row INSERT. */
export const INSERT_CHUNK = 1000;

/** One row of the product sheet, as the column parsers give it. */
export interface ProductRow {
  genericName: string;
  dosageForm: string;
  strengthValue: string;
  strengthUnit: string;
  packSize: number;
  smallestUnit: string;
  qualityTier: string;
  supplierId: number | null;
  supplierCode: string | null;
  approvalNumber: string;
  listedPackPrice: string | null;
}

/** A validated row as the import job carries it: the product, its supplier, and its row in the sheet. */
export type ProductImportRow = ProductFields & { supplierId: number; row: number };

export const PRODUCT_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'genericName',
    header: 'genericName',
    label: '通用名',
    required: true,
    parse: parsers.text({ maxLength: 200 }),
    width: 28,
    description: 'Generic name (通用名)',
    example: '苯磺酸左氨氯地平',
  },
  {
    key: 'dosageForm',
    header: 'dosageForm',
    label: '剂型',
    required: true,
    parse: parsers.text({ maxLength: 100 }),
    width: 12,
    description: 'Dosage form (剂型)',
    example: '片剂',
  },
  {
    key: 'strengthValue',
    header: 'strengthValue',
    label: '规格',
    required: true,
    parse: parsers.decimal({ maxDp: STRENGTH_MAX_DP, positive: true, maxIntegerDigits: 14 }),
    width: 14,
    description: `Strength value, > 0, at most ${STRENGTH_MAX_DP} decimals`,
    example: '2.5',
  },
  {
    key: 'strengthUnit',
    header: 'strengthUnit',
    label: '规格单位',
    required: true,
    parse: parsers.text({ maxLength: 16 }),
    width: 13,
    description: 'Strength unit: mg, g, µg (ug, mcg) convert to each other; any other unit must match the item exactly',
    example: 'mg',
  },
  {
    key: 'packSize',
    header: 'packSize',
    label: '包装数量',
    required: true,
    parse: parsers.integer({ min: 1, max: MAX_PACK_SIZE }),
    width: 10,
    description: 'Smallest units per pack',
    example: '28',
  },
  {
    key: 'smallestUnit',
    header: 'smallestUnit',
    label: '最小单位',
    required: true,
    parse: parsers.text({ maxLength: 32 }),
    width: 12,
    description: 'Smallest unit (片, 粒, 支...)',
    example: '片',
  },
  {
    key: 'qualityTier',
    header: 'qualityTier',
    label: '质量层次',
    required: true,
    parse: parsers.oneOf(QUALITY_TIERS),
    width: 20,
    description: 'ORIGINATOR (原研), REFERENCE (参比制剂), CONSISTENCY_PASSED (通过一致性评价), GENERIC',
    example: 'CONSISTENCY_PASSED',
  },
  {
    key: 'supplierId',
    header: 'supplierId',
    label: '供应商ID',
    parse: parsers.id,
    width: 11,
    description: 'Id of the supplier organisation; or give supplierCode',
    example: '12',
  },
  {
    key: 'supplierCode',
    header: 'supplierCode',
    label: '供应商编码',
    parse: parsers.text({ maxLength: 64, nfkc: true }),
    width: 14,
    description: 'Code of the supplier organisation; or give supplierId',
    example: 'SUP-001',
  },
  {
    key: 'approvalNumber',
    header: 'approvalNumber',
    label: '批准文号',
    required: true,
    parse: parsers.text({ maxLength: 64, nfkc: true }),
    width: 22,
    description: 'Approval number (批准文号), unique in the catalog and in the file',
    example: '国药准字H20113061',
  },
  {
    key: 'listedPackPrice',
    header: 'listedPackPrice',
    label: '挂网价',
    parse: parsers.decimal({ maxDp: LISTED_PRICE_DP, positive: true, maxIntegerDigits: LISTED_PRICE_MAX_INTEGER_DIGITS }),
    width: 12,
    description: `Listed pack price (挂网价), yuan per pack, > 0, at most ${LISTED_PRICE_DP} decimals; blank = not listed (domain.md 15.6)`,
    example: '12.50',
  },
];

export const PRODUCT_TEMPLATE_NOTES = [
  'One product per row on the first sheet; the header row must stay. Columns may be in any order.',
  'The whole file is imported or nothing is: every bad row is reported with its row number and column.',
  `At most ${MAX_PRODUCT_IMPORT_ROWS} rows per file. Give each product's supplier by supplierId or supplierCode.`,
];

/** Where a rule of normalizeProduct shows in the sheet. */
export const COLUMN_OF_FIELD: Record<ProductField, string> = {
  genericName: 'genericName',
  dosageForm: 'dosageForm',
  'strength.value': 'strengthValue',
  'strength.unit': 'strengthUnit',
  packSize: 'packSize',
  smallestUnit: 'smallestUnit',
  qualityTier: 'qualityTier',
  approvalNumber: 'approvalNumber',
  listedPackPrice: 'listedPackPrice',
};

/** The approval numbers (as approvalKey) among `numbers` that the catalog already holds. */
export async function takenApprovalNumbers(m: EntityManager | DataSource, numbers: string[]): Promise<Set<string>> {
  const unique = [...new Set(numbers)];
  const taken = new Set<string>();
  for (let i = 0; i < unique.length; i += INSERT_CHUNK) {
    const found: { approval_number: string }[] = await m.query('SELECT approval_number FROM products WHERE approval_number IN (?)', [
      unique.slice(i, i + INSERT_CHUNK),
    ]);
    for (const f of found) taken.add(approvalKey(f.approval_number));
  }
  return taken;
}
