import ExcelJS from 'exceljs';
import { once } from 'node:events';
import { PassThrough, Writable } from 'node:stream';

export type ExportValue = string | number | boolean | Date | null | undefined;

export interface ExportColumn<R> {
  header: string;
  /** A field of the row, or a function of it. */
  value: (keyof R & string) | ((row: R) => ExportValue);
  width?: number;
  /**
   * Write decimal strings ("1234.50") as numbers shown with this many decimals, so the
   * sheet can sum them. Values beyond Excel's 15 significant digits stay text, so no
   * amount is ever silently changed.
   */
  decimals?: number;
}

export interface ExportSheet<R = Record<string, unknown>> {
  name: string;
  columns: readonly ExportColumn<R>[];
  rows: Iterable<R> | AsyncIterable<R>;
}

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

function cellOf<R>(col: ExportColumn<R>, row: R): ExportValue {
  const v = typeof col.value === 'function' ? col.value(row) : (row[col.value] as ExportValue);
  if (col.decimals !== undefined && typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && v.replace(/[-.]/g, '').replace(/^0+/, '').length <= 15) {
    return Number(v);
  }
  return v ?? null;
}

const ROWS_PER_DRAIN_CHECK = 500;

/**
 * Streams a workbook of one or more sheets into `out` (exceljs WorkbookWriter, shared
 * strings off so memory does not grow with the file). Rows are committed as they come;
 * when `out` is full (a slow HTTP client), writing pauses until it drains.
 */
export async function writeXlsx(out: Writable, sheets: Iterable<ExportSheet<any>> | AsyncIterable<ExportSheet<any>>): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  wb.creator = 'Jicai';
  const taken = new Set<string>();
  for await (const sheet of sheets) {
    const ws = wb.addWorksheet(safeSheetName(sheet.name, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    ws.columns = sheet.columns.map((c) => ({
      header: c.header,
      width: c.width ?? Math.max(10, c.header.length + 2),
      ...(c.decimals !== undefined ? { style: { numFmt: c.decimals > 0 ? `0.${'0'.repeat(c.decimals)}` : '0' } } : {}),
    }));
    ws.getRow(1).font = { bold: true };
    ws.getRow(1).commit();
    let n = 0;
    for await (const row of sheet.rows) {
      ws.addRow(sheet.columns.map((c) => cellOf(c, row))).commit();
      if (++n % ROWS_PER_DRAIN_CHECK === 0 && out.writableNeedDrain) await once(out, 'drain');
    }
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
