import { ImportColumn, parsers } from '@jicai/spreadsheets';

/** The import job kind of the purchase orders sheet (issue 13 item 1, by spreadsheet). */
export const ORDER_IMPORT_KIND = 'orders';
export const MAX_ORDER_IMPORT_ROWS = 5000;
export const ORDER_IMPORT_CHUNK = 1000;

/** One row of the orders sheet. */
export interface OrderRow {
  agreementId: number;
  packs: number;
  requestedBy: string;
}

/** What the job writes: a checked row, with its row number for messages. */
export interface OrderToWrite extends OrderRow {
  row: number;
}

export const ORDER_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'agreementId',
    header: 'agreementId',
    label: '协议ID',
    required: true,
    parse: parsers.id,
    width: 11,
    description: 'One of your CONFIRMED agreements, of a batch in force',
    example: '1024',
  },
  {
    key: 'packs',
    header: 'packs',
    label: '采购数量（包装）',
    required: true,
    parse: parsers.integer({ min: 1, max: 4294967295 }),
    width: 14,
    description: 'Packs ordered, a whole number > 0',
    example: '300',
  },
  {
    key: 'requestedBy',
    header: 'requestedBy',
    label: '申请人',
    required: true,
    parse: parsers.text({ maxLength: 100 }),
    width: 20,
    description: 'Who at the hospital asks for it (name or department), 1–100 characters',
    example: '药剂科 王药师',
  },
];

export const ORDER_TEMPLATE_NOTES = [
  'Purchase orders (采购订单) against your own CONFIRMED agreements: one order per row; the supplier confirms or refuses each within the batch rule orderConfirmHours.',
  'The whole file is imported or nothing is: every bad row is reported with its sheet, row, column and value.',
  `At most ${MAX_ORDER_IMPORT_ROWS} rows per file.`,
];
