import ExcelJS from 'exceljs';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { CellValue, cellText, isBlank, plainCellValue } from './cells';
import { parseSax, RelationshipsXform, StylesXform, unzipper, WorkbookXform, WorksheetReader, ZipFile } from './exceljs-internals';

export type XlsxInput = Buffer | Readable;

/** A file that is not a readable xlsx workbook (bad zip, bad XML, no such sheet, too big). */
export class XlsxReadError extends Error {}

/** One sheet row: its 1-based row number as Excel shows it, and its cells from column A (index 0). */
export interface XlsxRow {
  sheet: string;
  row: number;
  cells: CellValue[];
}

export interface ReadOptions {
  /** Sheet name to read; default: the first sheet of the workbook. */
  sheet?: string;
  /** Yield rows whose cells are all blank too (default false). */
  includeEmpty?: boolean;
  /** A stream input is gathered up to this many bytes (default 64 MiB). */
  maxBytes?: number;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
// The shared-strings table is the one part held in memory: bound it against zip bombs.
const MAX_SHARED_STRING_CHARS = 64 * 1024 * 1024;

/** A zip entry's text, decoded as UTF-8 with characters split across chunks carried over; opened only when read. */
async function* entryText(file: ZipFile): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of file.stream() as AsyncIterable<Buffer>) {
    const s = decoder.decode(chunk, { stream: true });
    if (s) yield s;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

// Excel escapes control characters as _xHHHH_ (and a literal "_x" as _x005F_x).
const unescapeOoxml = (s: string) => s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The shared-strings table as plain strings; phonetic runs (<rPh>) are not part of the text. */
async function readSharedStrings(xml: AsyncIterable<string>): Promise<string[]> {
  const strings: string[] = [];
  let chars = 0;
  let text: string | null = null;
  let phonetic = 0;
  let inText = false;
  for await (const events of parseSax(xml)) {
    for (const { eventType, value } of events) {
      if (eventType === 'opentag') {
        if (value.name === 'si') {
          text = '';
          phonetic = 0;
        } else if (value.name === 'rPh') phonetic++;
        else if (value.name === 't') inText = phonetic === 0;
      } else if (eventType === 'text') {
        if (inText && text !== null) text += value;
      } else if (eventType === 'closetag') {
        if (value.name === 't') inText = false;
        else if (value.name === 'rPh') phonetic--;
        else if (value.name === 'si') {
          strings.push(unescapeOoxml(text ?? ''));
          chars += text?.length ?? 0;
          if (chars > MAX_SHARED_STRING_CHARS) throw new XlsxReadError('The workbook holds too much text to be imported');
          text = null;
        }
      }
    }
  }
  return strings;
}

const WorkbookReaderBase = ExcelJS.stream.xlsx.WorkbookReader as unknown as new (input: unknown, options: object) => any;

/**
 * exceljs's streaming WorkbookReader with its zip walk replaced (see exceljs-internals.ts
 * for why). The zip's central directory gives random access to the parts, so the
 * workbook, its rels, the shared strings and the styles are read first, whatever their
 * order in the file, and then each worksheet is parsed as it inflates: rows stream, and
 * only the shared-strings table is held in memory. Sheets come in workbook (tab) order.
 */
class FixedWorkbookReader extends WorkbookReaderBase {
  constructor(private readonly zip: Buffer) {
    super(null, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  }

  async *parse(): AsyncGenerator<{ eventType: string; value: unknown }> {
    let files: Map<string, ZipFile>;
    try {
      const dir = await unzipper.Open.buffer(this.zip);
      files = new Map(dir.files.filter((f) => f.type === 'File').map((f) => [f.path.replace(/^\/+/, ''), f]));
    } catch (e) {
      throw new XlsxReadError(`The file is not a readable .xlsx workbook (${(e as Error).message})`);
    }
    const part = (path: string) => files.get(path);
    const rels = part('xl/_rels/workbook.xml.rels');
    this.workbookRels = rels ? await new RelationshipsXform().parseStream(entryText(rels)) : [];
    const workbook = part('xl/workbook.xml');
    if (!workbook) throw new XlsxReadError('The file is not an .xlsx workbook (no xl/workbook.xml)');
    const wx = new WorkbookXform();
    await wx.parseStream(entryText(workbook));
    this.model = wx.model ?? { sheets: [] };
    this.properties = wx.map.workbookPr ?? { model: {} };
    const shared = part('xl/sharedStrings.xml');
    this.sharedStrings = shared ? await readSharedStrings(entryText(shared)) : [];
    const styles = part('xl/styles.xml');
    if (styles) {
      const sx = new StylesXform();
      await sx.parseStream(entryText(styles));
      this.styles = sx;
    }
    for (const sheet of this.sheetParts(files)) {
      const ws = new WorksheetReader({ workbook: this, id: sheet.id, iterator: entryText(sheet.file), options: this.options });
      ws.name = sheet.name;
      yield { eventType: 'worksheet', value: ws };
    }
  }

  /** Worksheets in tab order, found through the workbook's relationships. */
  private sheetParts(files: Map<string, ZipFile>): { id: number; name: string; file: ZipFile }[] {
    const out: { id: number; name: string; file: ZipFile }[] = [];
    for (const s of (this.model.sheets ?? []) as { id: number; name: string; rId: string }[]) {
      const rel = (this.workbookRels as { Id: string; Target: string }[]).find((r) => r.Id === s.rId);
      if (!rel) continue;
      const path = rel.Target.startsWith('/') ? rel.Target.slice(1) : posix.normalize(posix.join('xl', rel.Target));
      const file = files.get(path);
      if (file) out.push({ id: s.id, name: s.name, file });
    }
    return out;
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
      throw new XlsxReadError(`The file is larger than ${maxBytes} bytes`);
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/**
 * Streams the rows of one worksheet (default: the first). Rows are yielded as the sheet
 * inflates and parses. A stream input is first gathered into memory (an xlsx is a zip,
 * whose directory is at its end), bounded by maxBytes. Blank rows are skipped unless
 * asked for. Throws XlsxReadError for a file that is not an xlsx workbook.
 */
export async function* readXlsxRows(input: XlsxInput, opts: ReadOptions = {}): AsyncGenerator<XlsxRow> {
  const buf = Buffer.isBuffer(input) ? input : await gather(input, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!buf.subarray(0, 4).equals(ZIP_MAGIC)) {
    throw new XlsxReadError('The file is not an .xlsx workbook (an old .xls, a CSV or a password-protected file cannot be read)');
  }
  const reader = new FixedWorkbookReader(buf);
  let found = false;
  let sawSheet = false;
  try {
    for await (const ws of reader as unknown as AsyncIterable<any>) {
      sawSheet = true;
      if (opts.sheet !== undefined && ws.name !== opts.sheet) continue; // never opened
      found = true;
      const name: string = ws.name;
      let last = 0;
      for await (const r of ws as AsyncIterable<any>) {
        const row = Number.isInteger(r.number) && r.number > last ? r.number : last + 1;
        last = row;
        const values = r.values as unknown[];
        const cells: CellValue[] = [];
        for (let c = 1; c < values.length; c++) cells.push(plainCellValue(values[c]));
        if (!opts.includeEmpty && cells.every(isBlank)) continue;
        yield { sheet: name, row, cells };
      }
      break;
    }
  } catch (e) {
    if (e instanceof XlsxReadError) throw e;
    throw new XlsxReadError(`The file could not be read as an .xlsx workbook: ${(e as Error).message}`);
  }
  if (!found)
    throw new XlsxReadError(sawSheet && opts.sheet !== undefined ? `The workbook has no sheet named "${opts.sheet}"` : 'The workbook has no worksheet');
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
