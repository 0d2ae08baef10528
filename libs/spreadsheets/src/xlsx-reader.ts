import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { CellError, CellValue, cellText, isBlank } from './cells';
import { parseSax, SaxEvent, unzipper, ZipFile } from './exceljs-internals';

export type XlsxInput = Buffer | Readable;

/** A file that is not a readable xlsx workbook (bad zip, bad XML, no such sheet, too big). */
export class XlsxReadError extends Error {}

/**
 * A workbook that would expand past one of the reader's bounds (XlsxLimits). Thrown as
 * soon as the bound is crossed, before the rest is inflated or parsed: a 1 MB zip bomb
 * costs a bounded amount of memory and well under a second.
 */
export class XlsxLimitError extends XlsxReadError {
  constructor(
    /** Which bound: one of the keys of XlsxLimits. */
    readonly limit: keyof XlsxLimits,
    /** Its value. */
    readonly max: number,
    message: string,
  ) {
    super(message);
  }
}

/** What a workbook may expand to before it is refused; every part of the reader counts against these while it reads. */
export interface XlsxLimits {
  /** Bytes a stream input is gathered up to (the compressed file). */
  maxFileBytes: number;
  /** Parts (files) in the zip. */
  maxZipEntries: number;
  /** Bytes any one zip part may inflate to (counted as it inflates, whatever the zip declares). */
  maxPartBytes: number;
  /** Entries of the shared-strings table (empty ones count). */
  maxSharedStrings: number;
  /** Characters of the shared-strings table, all entries together. */
  maxSharedStringChars: number;
  /** Rows of the sheet read, blank ones included: no row may be numbered above this. */
  maxRows: number;
  /** Cells per row: no cell may lie in a column beyond this (blank cells count). */
  maxColumns: number;
  /** Characters of one cell (Excel itself holds at most 32,767). */
  maxCellChars: number;
}

/**
 * Bounds that no import of the platform comes near (the largest, 50,000 technical-score
 * rows of 7 columns, inflates to ~15 MB) and that keep one hostile file to a few tens of
 * MB of memory and well under a second of CPU.
 */
export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  maxFileBytes: 64 * 1024 * 1024,
  maxZipEntries: 1000,
  maxPartBytes: 48 * 1024 * 1024,
  maxSharedStrings: 1_000_000,
  maxSharedStringChars: 16 * 1024 * 1024,
  maxRows: 100_000,
  maxColumns: 256,
  maxCellChars: 32_767,
};

/** One sheet row: its 1-based row number as Excel shows it, and its cells from column A (index 0). */
export interface XlsxRow {
  sheet: string;
  row: number;
  cells: CellValue[];
}

export interface ReadOptions {
  /** Sheet name to read; default: the first sheet of the workbook not named in skipSheets. */
  sheet?: string;
  /** Sheets passed over when no sheet is named (e.g. a template's notes sheet moved first); compared case-insensitively. */
  skipSheets?: readonly string[];
  /** Yield rows whose cells are all blank too (default false). */
  includeEmpty?: boolean;
  /** Bounds; each missing one takes DEFAULT_XLSX_LIMITS's. */
  limits?: Partial<XlsxLimits>;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** Asks the user to save the file as .xlsx, in Chinese and English. */
export const SAVE_AS_XLSX = '请在 Excel、WPS 或 LibreOffice 中"另存为" Excel 工作簿 (.xlsx) 后再上传。Save it as an Excel workbook (.xlsx) and upload that.';

const fmt = (n: number) => n.toLocaleString('en-US');

/**
 * A zip part's text, inflated as it is read and decoded as UTF-8 with characters split
 * across chunks carried over. Refused before inflating when the directory declares more
 * than the bound, and aborted as soon as the inflated bytes pass it (the declared size
 * can lie).
 */
async function* partText(file: ZipFile, limits: XlsxLimits): AsyncGenerator<string> {
  const tooBig = () =>
    new XlsxLimitError(
      'maxPartBytes',
      limits.maxPartBytes,
      `The workbook's part ${file.path} expands to more than ${fmt(limits.maxPartBytes)} bytes (the limit) / 工作簿的 ${file.path} 解压后超过 ${fmt(limits.maxPartBytes)} 字节上限`,
    );
  if (file.uncompressedSize > limits.maxPartBytes) throw tooBig();
  const decoder = new TextDecoder('utf-8');
  const stream = file.stream();
  let bytes = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      if (bytes > limits.maxPartBytes) throw tooBig();
      const s = decoder.decode(chunk, { stream: true });
      if (s) yield s;
    }
  } finally {
    stream.destroy();
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/** The part's SAX events in batches (one per inflated chunk): per-event async iteration would cost more than the parsing. */
const saxBatches = (file: ZipFile, limits: XlsxLimits): AsyncIterable<SaxEvent[]> => parseSax(partText(file, limits));

/** An attribute by its local name, whatever the namespace prefix (r:id, ns1:id...). */
function attr(tag: { attributes: Record<string, string> }, local: string): string | undefined {
  if (local in tag.attributes) return tag.attributes[local];
  for (const [k, v] of Object.entries(tag.attributes)) if (k.endsWith(`:${local}`)) return v;
  return undefined;
}

/** A tag's local name (x:row → row): some writers prefix the main namespace. */
const local = (name: string) => {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
};

// Excel escapes control characters as _xHHHH_ (and a literal "_x" as _x005F_x).
const unescapeOoxml = (s: string) => (s.includes('_x') ? s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : s);

/** The shared-strings table as plain strings; phonetic runs (<rPh>) are not part of the text. */
async function readSharedStrings(file: ZipFile, limits: XlsxLimits): Promise<string[]> {
  const strings: string[] = [];
  let chars = 0;
  let text: string | null = null;
  let phonetic = 0;
  let inText = false;
  const tooMany = () =>
    new XlsxLimitError(
      'maxSharedStrings',
      limits.maxSharedStrings,
      `The workbook holds more than ${fmt(limits.maxSharedStrings)} shared strings (the limit) / 工作簿的共享字符串超过 ${fmt(limits.maxSharedStrings)} 个上限`,
    );
  for await (const batch of saxBatches(file, limits))
    for (const e of batch) {
      if (e.eventType === 'opentag') {
        const name = local(e.value.name);
        if (name === 'si') {
          if (strings.length >= limits.maxSharedStrings) throw tooMany();
          text = '';
          phonetic = 0;
        } else if (name === 'rPh') phonetic++;
        else if (name === 't') inText = phonetic === 0;
        else if (name === 'sst') {
          // The declared count lets a bomb be refused before any of it is parsed.
          const declared = Number(attr(e.value, 'uniqueCount') ?? 0);
          if (declared > limits.maxSharedStrings) throw tooMany();
        }
      } else if (e.eventType === 'text') {
        if (inText && text !== null) text += e.value;
      } else {
        const name = local(e.value.name);
        if (name === 't') inText = false;
        else if (name === 'rPh') phonetic--;
        else if (name === 'si') {
          strings.push(unescapeOoxml(text ?? ''));
          chars += text?.length ?? 0;
          if (chars > limits.maxSharedStringChars) {
            throw new XlsxLimitError(
              'maxSharedStringChars',
              limits.maxSharedStringChars,
              `The workbook holds more than ${fmt(limits.maxSharedStringChars)} characters of text (the limit) / 工作簿文本超过 ${fmt(limits.maxSharedStringChars)} 字符上限`,
            );
          }
          text = null;
        }
      }
    }
  return strings;
}

// Built-in number formats that show a date or time (ECMA-376 18.8.30, with the East-Asian ids 27-36 and 50-58).
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** A custom number format shows a date or time when, outside quoted text, escapes and [..] sections, it has y, m, d, h or s. */
export function isDateFormat(code: string): boolean {
  const bare = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/\[[^\]]*]/g, '');
  return /[ymdhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}

/** The cell style indexes (the s attribute of a cell) whose number format is a date. */
async function readDateStyles(file: ZipFile, limits: XlsxLimits): Promise<Set<number>> {
  const custom = new Map<number, string>();
  const xfFormats: number[] = [];
  let inCellXfs = false;
  for await (const batch of saxBatches(file, limits))
    for (const e of batch) {
      if (e.eventType === 'opentag') {
        const name = local(e.value.name);
        if (name === 'numFmt') custom.set(Number(attr(e.value, 'numFmtId')), attr(e.value, 'formatCode') ?? '');
        else if (name === 'cellXfs') inCellXfs = true;
        else if (name === 'xf' && inCellXfs) xfFormats.push(Number(attr(e.value, 'numFmtId') ?? 0));
      } else if (e.eventType === 'closetag' && local(e.value.name) === 'cellXfs') inCellXfs = false;
    }
  const dates = new Set<number>();
  xfFormats.forEach((id, i) => {
    const code = custom.get(id);
    if (code !== undefined ? isDateFormat(code) : BUILTIN_DATE_FORMATS.has(id)) dates.add(i);
  });
  return dates;
}

interface SheetRef {
  name: string;
  file: ZipFile;
}

interface WorkbookParts {
  sheets: SheetRef[];
  date1904: boolean;
  sharedStrings: ZipFile | undefined;
  styles: ZipFile | undefined;
}

/** The workbook's sheets in tab order (through its relationships), and where its shared strings and styles are. */
async function readWorkbook(files: Map<string, ZipFile>, limits: XlsxLimits): Promise<WorkbookParts> {
  const workbook = files.get('xl/workbook.xml');
  if (!workbook) throw new XlsxReadError(`The file is not an .xlsx workbook (no xl/workbook.xml). ${SAVE_AS_XLSX}`);
  const targets = new Map<string, { type: string; target: string }>();
  const rels = files.get('xl/_rels/workbook.xml.rels');
  if (rels) {
    for await (const batch of saxBatches(rels, limits))
      for (const e of batch) {
        if (e.eventType === 'opentag' && local(e.value.name) === 'Relationship') {
          targets.set(attr(e.value, 'Id') ?? '', { type: attr(e.value, 'Type') ?? '', target: attr(e.value, 'Target') ?? '' });
        }
      }
  }
  const pathOf = (target: string) => (target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join('xl', target)));
  const sheets: SheetRef[] = [];
  let date1904 = false;
  for await (const batch of saxBatches(workbook, limits))
    for (const e of batch) {
      if (e.eventType !== 'opentag') continue;
      const name = local(e.value.name);
      if (name === 'workbookPr') date1904 = ['1', 'true'].includes(attr(e.value, 'date1904') ?? '');
      else if (name === 'sheet') {
        const rel = targets.get(attr(e.value, 'id') ?? '');
        const file = rel ? files.get(pathOf(rel.target)) : undefined;
        if (file) sheets.push({ name: attr(e.value, 'name') ?? '', file });
      }
    }
  const byType = (suffix: string) => {
    for (const r of targets.values()) if (r.type.endsWith(suffix)) return files.get(pathOf(r.target));
    return undefined;
  };
  return {
    sheets,
    date1904,
    sharedStrings: byType('/sharedStrings') ?? files.get('xl/sharedStrings.xml'),
    styles: byType('/styles') ?? files.get('xl/styles.xml'),
  };
}

/** "BC12" → 55 (1-based column of a cell reference); 0 when there is none. */
function columnOf(ref: string | undefined): number {
  if (!ref) return 0;
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i) | 0x20; // lower case
    if (c < 97 || c > 122) break;
    col = col * 26 + (c - 96);
    if (col > 1e6) break;
  }
  return col;
}

/** "A", "B", ..., "AA": the letters of a 1-based column. */
export function columnLetters(col: number): string {
  let s = '';
  for (let c = col; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
}

const MS_PER_DAY = 86_400_000;
/** An Excel serial date (days since 1899-12-30, or 1904-01-01) as the UTC instant of that wall-clock time. */
export function excelSerialToDate(serial: number, date1904 = false): Date {
  return new Date(Math.round((serial + (date1904 ? 1462 : 0) - 25569) * MS_PER_DAY));
}

interface CellState {
  col: number;
  type: string;
  style: number;
  value: string;
  inline: string;
  formula: boolean;
}

/**
 * Parses one worksheet as it inflates, yielding its rows. Every bound is checked on the
 * open tag, before the row or cell is held: a row numbered past maxRows (blank rows
 * count: a run of empty <row/> elements or one row numbered 1,000,000 alike), a cell past
 * maxColumns, a cell text past maxCellChars.
 *
 * A formula cell gives its cached result, whatever it is (0, "", FALSE included), or
 * null when the file has none; a number in a date-formatted cell gives a Date.
 */
async function* readSheet(sheet: SheetRef, ctx: { shared: string[]; dateStyles: Set<number>; date1904: boolean; limits: XlsxLimits }): AsyncGenerator<XlsxRow> {
  const { limits } = ctx;
  let last = 0;
  let cells: CellValue[] | null = null;
  let rowNumber = 0;
  let lastCol = 0;
  let cellCount = 0;
  let cell: CellState | null = null;
  let inValue = false;
  let inInline = false;
  let phonetic = 0;
  let inText = false;
  const cellTooLong = () =>
    new XlsxLimitError(
      'maxCellChars',
      limits.maxCellChars,
      `A cell of sheet "${sheet.name}" row ${rowNumber} holds more than ${fmt(limits.maxCellChars)} characters (the limit) / 工作表"${sheet.name}"第 ${rowNumber} 行有单元格超过 ${fmt(limits.maxCellChars)} 字符上限`,
    );
  for await (const events of saxBatches(sheet.file, limits)) {
    const ready: XlsxRow[] = [];
    for (const e of events) {
      if (e.eventType === 'text') {
        if (!cell) continue;
        if (inValue) {
          cell.value += e.value;
          if (cell.value.length > limits.maxCellChars) throw cellTooLong();
        } else if (inText) {
          cell.inline += e.value;
          if (cell.inline.length > limits.maxCellChars) throw cellTooLong();
        }
        continue;
      }
      const name = local(e.value.name);
      if (e.eventType === 'opentag') {
        switch (name) {
          case 'row': {
            const r = Number(attr(e.value, 'r'));
            rowNumber = Number.isInteger(r) && r > last ? r : last + 1;
            if (rowNumber > limits.maxRows) {
              throw new XlsxLimitError(
                'maxRows',
                limits.maxRows,
                `Sheet "${sheet.name}" has more than ${fmt(limits.maxRows)} rows, blank rows included (the limit); delete the rows below your data / 工作表"${sheet.name}"超过 ${fmt(limits.maxRows)} 行（含空行）上限，请删除数据下方的空行`,
              );
            }
            cells = [];
            lastCol = 0;
            cellCount = 0;
            break;
          }
          case 'c': {
            if (!cells) break;
            const col = columnOf(attr(e.value, 'r')) || lastCol + 1;
            // Both the column and the count of <c> elements: a row of a million <c r="A1"/> is bounded too.
            if (col > limits.maxColumns || ++cellCount > limits.maxColumns) {
              throw new XlsxLimitError(
                'maxColumns',
                limits.maxColumns,
                `Row ${rowNumber} of sheet "${sheet.name}" has cells beyond column ${fmt(limits.maxColumns)} (the limit of cells per row) / 工作表"${sheet.name}"第 ${rowNumber} 行超过每行 ${fmt(limits.maxColumns)} 列上限`,
              );
            }
            lastCol = col;
            cell = { col, type: attr(e.value, 't') ?? 'n', style: Number(attr(e.value, 's') ?? 0), value: '', inline: '', formula: false };
            break;
          }
          case 'v':
            inValue = !!cell;
            break;
          case 'f':
            if (cell) cell.formula = true;
            break;
          case 'is':
            inInline = !!cell;
            phonetic = 0;
            break;
          case 'rPh':
            phonetic++;
            break;
          case 't':
            inText = inInline && phonetic === 0;
            break;
        }
        continue;
      }
      switch (name) {
        case 'v':
          inValue = false;
          break;
        case 't':
          inText = false;
          break;
        case 'rPh':
          phonetic--;
          break;
        case 'is':
          inInline = false;
          break;
        case 'c':
          if (cell && cells) {
            while (cells.length < cell.col - 1) cells.push(null);
            cells[cell.col - 1] = cellValue(cell, ctx);
          }
          cell = null;
          break;
        case 'row':
          if (cells) ready.push({ sheet: sheet.name, row: rowNumber, cells });
          last = rowNumber;
          cells = null;
          break;
      }
    }
    yield* ready;
  }
}

function cellValue(c: CellState, ctx: { shared: string[]; dateStyles: Set<number>; date1904: boolean }): CellValue {
  switch (c.type) {
    case 's': {
      const s = ctx.shared[Number(c.value)];
      return s === undefined ? null : s;
    }
    case 'inlineStr':
      return unescapeOoxml(c.inline);
    case 'str':
      return unescapeOoxml(c.value);
    case 'b':
      return c.value === '' ? null : c.value.trim() === '1' || c.value.trim().toLowerCase() === 'true';
    case 'e':
      return new CellError(c.value.trim() || '#VALUE!');
    case 'd': {
      const d = new Date(c.value.trim());
      return isNaN(d.getTime()) ? c.value : d;
    }
    default: {
      const v = c.value.trim();
      if (v === '') return null;
      const n = Number(v);
      if (!Number.isFinite(n)) return v;
      return ctx.dateStyles.has(c.style) ? excelSerialToDate(n, ctx.date1904) : n;
    }
  }
}

async function gather(input: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    size += b.length;
    if (size > maxBytes) {
      input.destroy();
      throw new XlsxLimitError('maxFileBytes', maxBytes, `The file is larger than ${fmt(maxBytes)} bytes (the limit) / 文件超过 ${fmt(maxBytes)} 字节上限`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** What a file that is not an xlsx zip most likely is, for a message that says what to do. */
function notXlsxMessage(buf: Buffer): string {
  if (buf.subarray(0, 8).equals(OLE_MAGIC)) {
    return `This is an old-format Excel file (.xls) or a password-protected workbook, which cannot be read / 这是旧版 Excel 文件 (.xls) 或加密工作簿，无法读取。${SAVE_AS_XLSX}`;
  }
  const head = buf.subarray(0, 512).toString('utf8');
  if (/^\s*</.test(head)) return `This is not an .xlsx workbook (it looks like HTML or XML) / 这不是 .xlsx 工作簿。${SAVE_AS_XLSX}`;
  if (!head.split('').some((c) => c.charCodeAt(0) < 9))
    return `This looks like a text or CSV file, not an .xlsx workbook / 这是文本或 CSV 文件，不是 .xlsx 工作簿。${SAVE_AS_XLSX}`;
  return `The file is not an .xlsx workbook / 文件不是 .xlsx 工作簿。${SAVE_AS_XLSX}`;
}

/** Opens the zip's directory, refusing a file that is not an xlsx (.ods, .xls, .csv get a message saying to save as .xlsx). */
async function openZip(buf: Buffer, limits: XlsxLimits): Promise<Map<string, ZipFile>> {
  if (!buf.subarray(0, 4).equals(ZIP_MAGIC)) throw new XlsxReadError(notXlsxMessage(buf));
  let entries: ZipFile[];
  try {
    entries = (await unzipper.Open.buffer(buf)).files;
  } catch (e) {
    throw new XlsxReadError(`The file is not a readable .xlsx workbook (${(e as Error).message}) / 文件不是可读的 .xlsx 工作簿`);
  }
  if (entries.length > limits.maxZipEntries) {
    throw new XlsxLimitError(
      'maxZipEntries',
      limits.maxZipEntries,
      `The file holds more than ${fmt(limits.maxZipEntries)} parts (the limit) / 文件包含的部件超过 ${fmt(limits.maxZipEntries)} 个上限`,
    );
  }
  const files = new Map(entries.filter((f) => f.type === 'File').map((f) => [f.path.replace(/^\/+/, ''), f]));
  if (!files.has('xl/workbook.xml')) {
    if (files.has('content.xml') || files.has('mimetype')) {
      throw new XlsxReadError(
        `This is an OpenDocument spreadsheet (.ods), not an .xlsx workbook / 这是 OpenDocument 表格 (.ods)，不是 .xlsx 工作簿。${SAVE_AS_XLSX}`,
      );
    }
  }
  return files;
}

/**
 * Streams the rows of one worksheet (default: the first not in skipSheets). Rows are
 * yielded as the sheet inflates and parses; only the shared-strings table is held in
 * memory. A stream input is first gathered into memory (an xlsx is a zip, whose
 * directory is at its end). Everything is bounded by `limits` while it expands
 * (XlsxLimitError). Blank rows are skipped unless asked for (they still count against
 * maxRows). Throws XlsxReadError for a file that is not an xlsx workbook.
 */
export async function* readXlsxRows(input: XlsxInput, opts: ReadOptions = {}): AsyncGenerator<XlsxRow> {
  const limits = { ...DEFAULT_XLSX_LIMITS, ...opts.limits };
  const buf = Buffer.isBuffer(input) ? input : await gather(input, limits.maxFileBytes);
  try {
    const files = await openZip(buf, limits);
    const wb = await readWorkbook(files, limits);
    if (!wb.sheets.length) throw new XlsxReadError('The workbook has no worksheet / 工作簿没有工作表');
    const skip = new Set((opts.skipSheets ?? []).map((s) => s.toLowerCase()));
    const sheet =
      opts.sheet !== undefined ? wb.sheets.find((s) => s.name === opts.sheet) : (wb.sheets.find((s) => !skip.has(s.name.toLowerCase())) ?? wb.sheets[0]);
    if (!sheet) throw new XlsxReadError(`The workbook has no sheet named "${opts.sheet}" / 工作簿没有名为"${opts.sheet}"的工作表`);
    const shared = wb.sharedStrings ? await readSharedStrings(wb.sharedStrings, limits) : [];
    const dateStyles = wb.styles ? await readDateStyles(wb.styles, limits) : new Set<number>();
    for await (const r of readSheet(sheet, { shared, dateStyles, date1904: wb.date1904, limits })) {
      if (!opts.includeEmpty && r.cells.every(isBlank)) continue;
      yield r;
    }
  } catch (e) {
    if (e instanceof XlsxReadError) throw e;
    throw new XlsxReadError(`The file could not be read as an .xlsx workbook: ${(e as Error).message} / 文件无法作为 .xlsx 工作簿读取`);
  }
}

export interface XlsxRecord {
  sheet: string;
  row: number;
  /** Cells keyed by the header text (trimmed) of their column; blank headers are left out. */
  values: Record<string, CellValue>;
}

/** Rows keyed by the header row, taken to be the first non-blank row of the sheet. */
export async function* readXlsxRecords(input: XlsxInput, opts: Omit<ReadOptions, 'includeEmpty'> = {}): AsyncGenerator<XlsxRecord> {
  let headers: string[] | null = null;
  for await (const r of readXlsxRows(input, opts)) {
    if (!headers) {
      headers = r.cells.map(cellText);
      continue;
    }
    const values: Record<string, CellValue> = {};
    headers.forEach((h, i) => {
      if (h && !(h in values)) values[h] = r.cells[i] ?? null;
    });
    yield { sheet: r.sheet, row: r.row, values };
  }
}
