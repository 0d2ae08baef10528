import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';

export type ExportValue = string | number | boolean | Date | null | undefined;

/**
 * What a column holds, which fixes how its cells are written (the export convention):
 * - text: as is;
 * - id, integer: numeric cells, format "0" (ids) or "#,##0";
 * - decimal (money, prices, scores, ratios; give `decimals`): numeric cells holding the
 *   exact value of the decimal string, shown with exactly `decimals` places
 *   ("#,##0.00"), so SUM works; a value beyond Excel's 15 significant digits stays text,
 *   so no amount is ever silently changed;
 * - date: a date cell ("yyyy-mm-dd"), from a Date or a "YYYY-MM-DD" string;
 * - datetime: a date-time cell in UTC ("yyyy-mm-dd hh:mm:ss"), the header saying (UTC).
 */
export type ExportKind = 'text' | 'id' | 'integer' | 'decimal' | 'date' | 'datetime';

export interface ExportColumn<R> {
  /** The English field name (camelCase, as the API names it): the second header row. */
  header: string;
  /** The Chinese column header: the first header row (default: header). */
  label?: string;
  /** A field of the row, or a function of it. */
  value: (keyof R & string) | ((row: R) => ExportValue);
  /** Default: decimal when decimals is given, else text. */
  kind?: ExportKind;
  /** Decimal places shown by a decimal column. */
  decimals?: number;
  width?: number;
}

export interface ExportSheet<R = Record<string, unknown>> {
  name: string;
  columns: readonly ExportColumn<R>[];
  rows: Iterable<R> | AsyncIterable<R>;
}

/** The header rows every export and template has: Chinese headers, then the English field names; data starts on row 3. */
export const EXPORT_HEADER_ROWS = 2;

const kindOf = (c: ExportColumn<unknown>): ExportKind => c.kind ?? (c.decimals !== undefined ? 'decimal' : 'text');

/** The Chinese header as written: a date-time column says its time zone. */
export const labelOf = (c: ExportColumn<unknown>): string => {
  const label = c.label ?? c.header;
  return kindOf(c) === 'datetime' && !/UTC/.test(label) ? `${label} (UTC)` : label;
};

export function numFmtOf(c: ExportColumn<unknown>): string | undefined {
  switch (kindOf(c)) {
    case 'id':
      return '0';
    case 'integer':
      return '#,##0';
    case 'decimal': {
      const d = c.decimals ?? 2;
      return d > 0 ? `#,##0.${'0'.repeat(d)}` : '#,##0';
    }
    case 'date':
      return 'yyyy-mm-dd';
    case 'datetime':
      return 'yyyy-mm-dd hh:mm:ss';
    default:
      return undefined;
  }
}

/** A decimal string Excel holds exactly: at most 15 significant digits. */
const exactAsNumber = (v: string) => /^-?\d+(\.\d+)?$/.test(v) && v.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '').length <= 15;

/** A cell value as the column's kind writes it. */
export function exportCell<R>(col: ExportColumn<R>, row: R): ExportValue {
  const v = typeof col.value === 'function' ? col.value(row) : (row[col.value] as ExportValue);
  if (v === null || v === undefined || v === '') return null;
  switch (kindOf(col as ExportColumn<unknown>)) {
    case 'id':
    case 'integer':
    case 'decimal':
      if (typeof v === 'string' && exactAsNumber(v)) return Number(v);
      return v;
    case 'date':
      if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return new Date(`${v}T00:00:00Z`);
      if (v instanceof Date) return new Date(Date.UTC(v.getUTCFullYear(), v.getUTCMonth(), v.getUTCDate()));
      return v;
    case 'datetime':
      if (typeof v === 'string' && !isNaN(Date.parse(v))) return new Date(v);
      return v;
    default:
      return v;
  }
}

/** Column width: the column's own, or enough for its headers. */
const widthOf = (c: ExportColumn<unknown>) => c.width ?? Math.max(10, [...labelOf(c)].length * 2 + 2, c.header.length + 2);

/**
 * The export convention on a worksheet (exceljs Worksheet or streaming WorksheetWriter):
 * Chinese headers on row 1 (bold), the English field names on row 2 (grey italic), each
 * column's width and number format, both header rows frozen. Call applyAutoFilter once
 * the rows are written.
 */
export function writeHeaderRows(ws: ExcelJS.Worksheet, columns: readonly ExportColumn<any>[]): void {
  ws.columns = columns.map((c) => {
    const numFmt = numFmtOf(c);
    return { width: widthOf(c), ...(numFmt ? { style: { numFmt } } : {}) };
  });
  const labels = ws.getRow(1);
  labels.values = columns.map(labelOf);
  labels.font = { bold: true };
  const fields = ws.getRow(2);
  fields.values = columns.map((c) => c.header);
  fields.font = { italic: true, color: { argb: 'FF808080' } };
  // A header cell is text, whatever the column's number format.
  for (const r of [labels, fields]) r.eachCell((cell) => (cell.numFmt = '@'));
}

/** Auto-filter over the English header row and the rows written under it. */
export function applyAutoFilter(ws: ExcelJS.Worksheet, columns: number, lastRow: number): void {
  if (columns > 0) ws.autoFilter = { from: { row: EXPORT_HEADER_ROWS, column: 1 }, to: { row: Math.max(lastRow, EXPORT_HEADER_ROWS), column: columns } };
}

export const FROZEN_HEADER_VIEW = { state: 'frozen' as const, ySplit: EXPORT_HEADER_ROWS, xSplit: 0 };

const FORBIDDEN = /[:\\/?*[\]]/g;

/**
 * An Excel-safe sheet name, unique (case-insensitively) among `taken`, which it joins:
 * forbidden characters become "_", at most 31 characters, never blank. For a settlement
 * statement's sheet per supplier, where supplier names are free text.
 */
export function safeSheetName(name: string, taken: Set<string>): string {
  const base =
    name
      .replace(FORBIDDEN, '_')
      .replace(/^'+|'+$/g, '')
      .trim() || 'Sheet';
  const used = new Set([...taken].map((t) => t.toLowerCase()));
  let candidate = [...base].slice(0, 31).join('');
  for (let n = 2; used.has(candidate.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    candidate = [...base].slice(0, 31 - suffix.length).join('') + suffix;
  }
  taken.add(candidate);
  return candidate;
}

const ROWS_PER_DRAIN_CHECK = 500;

/**
 * Streams a workbook of one or more sheets into `out` (exceljs WorkbookWriter, shared
 * strings off so memory does not grow with the file), in the export convention (see
 * ExportKind and writeHeaderRows): every export of the platform goes through here. Rows
 * are committed as they come; when `out` is full (a slow HTTP client), writing pauses
 * until it drains.
 */
export async function writeXlsx(out: Writable, sheets: Iterable<ExportSheet<any>> | AsyncIterable<ExportSheet<any>>): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  wb.creator = 'Jicai';
  const taken = new Set<string>();
  for await (const sheet of sheets) {
    const ws = wb.addWorksheet(safeSheetName(sheet.name, taken), { views: [FROZEN_HEADER_VIEW] });
    writeHeaderRows(ws as unknown as ExcelJS.Worksheet, sheet.columns);
    ws.getRow(1).commit();
    ws.getRow(2).commit();
    let n = 0;
    for await (const row of sheet.rows) {
      ws.addRow(sheet.columns.map((c) => exportCell(c, row))).commit();
      if (++n % ROWS_PER_DRAIN_CHECK === 0 && out.writableNeedDrain) await once(out, 'drain');
    }
    applyAutoFilter(ws as unknown as ExcelJS.Worksheet, sheet.columns.length, EXPORT_HEADER_ROWS + n);
    ws.commit();
  }
  await wb.commit();
}

/** The same workbook in memory, for small exports and tests. */
export async function xlsxBuffer(sheets: Iterable<ExportSheet<any>> | AsyncIterable<ExportSheet<any>>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = once(out, 'end');
  await writeXlsx(out, sheets);
  await done;
  return Buffer.concat(chunks);
}
