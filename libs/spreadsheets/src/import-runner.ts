import { AppError, ErrorDetail, validationFailed } from '@jicai/common';
import { CellError, CellValue, cellText, isBlank } from './cells';
import { columnLetters, DEFAULT_XLSX_LIMITS, readXlsxRows, XlsxInput, XlsxLimitError, XlsxLimits, XlsxReadError } from './xlsx-reader';

/** What a column parser answers for one cell: a value, or a message for the user. */
export type ParseResult<V> = { value: V; error?: undefined } | { error: string; value?: undefined };
export const ok = <V>(value: V): ParseResult<V> => ({ value });
export const bad = (error: string): ParseResult<never> => ({ error });

/** One column of an import: how to find it in the header row and how to read its cells. */
export interface ImportColumn {
  /** Field of the parsed record. */
  key: string;
  /** The column's stable English name: the header the import matches, errors' `column`, the template's second header row. */
  header: string;
  /** The Chinese header the template writes in its first row (also matched on import). */
  label?: string;
  /** Other header texts accepted (e.g. the Chinese name); compared after NFKC, trim and case folding. */
  aliases?: string[];
  /** A blank cell is an error ("is required"); otherwise it gives null without calling parse. */
  required?: boolean;
  /** Reads the trimmed cell text (numbers as plain decimals); default: the text itself. */
  parse?: (text: string, cell: CellValue) => ParseResult<unknown>;
  /** The template's number format of the column (default "@", text, so codes keep their leading zeros). */
  numFmt?: string;
  /** For the template's notes. */
  description?: string;
  example?: string;
  width?: number;
}

export interface ImportOptions {
  /** The sheet to read; default: the first that is not a notes sheet (NOTES_SHEETS). */
  sheet?: string;
  /** More data rows than this answer 400 before anything is checked against the database. */
  maxRows: number;
  /**
   * Blank rows the sheet may hold beyond maxRows data rows (default 1,000): the reader
   * refuses (413) a sheet with a row numbered above maxRows + this + the header rows,
   * before parsing further, so a file of millions of blank rows costs nothing.
   */
  blankRowAllowance?: number;
  /** The reader's other bounds (DEFAULT_XLSX_LIMITS otherwise). */
  limits?: Partial<Omit<XlsxLimits, 'maxRows'>>;
}

export interface ImportedRow<T> {
  /** The row number Excel shows. */
  row: number;
  value: T;
}

/** Where a column lies in the file read: its header as written there, and its letter. */
interface ColumnPlace {
  header: string;
  letter: string;
}

/**
 * Every problem found in a file, as details naming the sheet, the row, the column (the
 * column's stable English name; `header` is the header as written in the file and `cell`
 * its address, e.g. "F7") and the value seen. parseSheet fills in where each column is
 * and what each cell held, so a check added later (a duplicate, an unknown reference)
 * names the same.
 */
export class RowErrors {
  private readonly details: ErrorDetail[] = [];
  private sheet: string | undefined;
  private places = new Map<string, ColumnPlace>();
  private readonly seen = new Map<number, Record<string, string>>();

  /** The sheet read and where each column (by its `header`) lies in it. */
  locate(sheet: string, places: Map<string, ColumnPlace>): void {
    this.sheet = sheet;
    this.places = places;
  }

  /** The cell texts of a row, by column header, for the `value` of its errors. */
  remember(row: number, texts: Record<string, string>): void {
    this.seen.set(row, texts);
  }

  /** An error of a cell; `value` defaults to what the cell held. */
  add(row: number, column: string, message: string, value?: string): void {
    const place = this.places.get(column);
    const v = value ?? this.seen.get(row)?.[column];
    this.details.push({
      ...(this.sheet !== undefined ? { sheet: this.sheet } : {}),
      row,
      column,
      ...(place ? { header: place.header, cell: `${place.letter}${row}` } : {}),
      ...(v !== undefined ? { value: v } : {}),
      message,
    });
  }

  get count(): number {
    return this.details.length;
  }

  /** Sorted by row; within a row in the order they were found. */
  list(): ErrorDetail[] {
    return this.details
      .map((d, i) => ({ d, i }))
      .sort((a, b) => a.d.row! - b.d.row! || a.i - b.i)
      .map(({ d }) => d);
  }

  /** 400 VALIDATION_FAILED listing every error, when there is any. */
  throwIfAny(): void {
    if (!this.details.length) return;
    const rows = new Set(this.details.map((d) => d.row)).size;
    const where = this.sheet !== undefined ? ` of sheet "${this.sheet}"` : '';
    throw validationFailed(`The file has ${this.details.length} error(s) in ${rows} row(s)${where}; nothing was imported`, this.list());
  }
}

export const normalizeHeader = (s: string) => s.normalize('NFKC').trim().toLowerCase();

/** Sheets an import passes over when no sheet is named: a template's notes, wherever the user moved them. */
export const NOTES_SHEETS = ['Notes', '说明', '填写说明'];

/** The result of reading a sheet against its columns: the good rows, and every error. */
export interface ParsedSheet<T> {
  sheet: string;
  headerRow: number;
  rows: ImportedRow<T>[];
  /** Rows with an error, holding the columns that did parse: for cross-row checks such as duplicates, so they are reported in the same answer. */
  partial: ImportedRow<Partial<T>>[];
  errors: RowErrors;
}

/** Per-import bound of an inflated part: 1 MiB plus 1 KiB per row allowed (a 10-column row as Excel, WPS or LibreOffice write it is ~450 bytes of XML, with inline Chinese text ~700). */
export const PART_BYTES_BASE = 1 << 20;
export const PART_BYTES_PER_ROW = 1024;

const fileError = (message: string) => validationFailed(message, [{ field: 'file', message }]);
const tooLarge = (e: XlsxLimitError) => new AppError(413, 'SPREADSHEET_TOO_LARGE', e.message, [{ field: 'file', message: e.message }]);

/**
 * Reads a sheet whose first non-blank row is the header row, parsing each following
 * non-blank row with the columns' parsers. A second header row right under it (the
 * templates' English field names under their Chinese headers) is passed over. Unknown
 * columns are ignored. Every cell error is collected rather than stopping at the first;
 * rows with an error are left out of `rows` (and kept in `partial`). A file that is not
 * an xlsx, has no header, lacks a required column or has more than maxRows rows answers
 * 400 at once; one that expands past the reader's bounds 413 SPREADSHEET_TOO_LARGE.
 */
export async function parseSheet<T>(input: XlsxInput, columns: readonly ImportColumn[], opts: ImportOptions): Promise<ParsedSheet<T>> {
  const errors = new RowErrors();
  const rows: ImportedRow<T>[] = [];
  const partial: ImportedRow<Partial<T>>[] = [];
  let index: (number | null)[] | null = null;
  let headerRow = 0;
  let sheet = '';
  let dataRows = 0;
  let maybeSecondHeader = false;
  const maxRows = opts.maxRows + (opts.blankRowAllowance ?? 1000) + 2;
  const limits: Partial<XlsxLimits> = {
    ...opts.limits,
    maxRows,
    // What a sheet of that many rows can need, so a part of junk the other bounds do not count stops early.
    maxPartBytes: Math.min(opts.limits?.maxPartBytes ?? DEFAULT_XLSX_LIMITS.maxPartBytes, PART_BYTES_BASE + PART_BYTES_PER_ROW * maxRows),
    // Each cell holds at most one shared string: twice the cells of the known columns is room enough for extra columns.
    maxSharedStrings: Math.min(opts.limits?.maxSharedStrings ?? DEFAULT_XLSX_LIMITS.maxSharedStrings, 1000 + 2 * maxRows * Math.max(columns.length, 1)),
  };
  try {
    for await (const r of readXlsxRows(input, { sheet: opts.sheet, skipSheets: NOTES_SHEETS, limits })) {
      if (!index) {
        sheet = r.sheet;
        headerRow = r.row;
        index = mapHeader(r.cells, columns, r.row, errors);
        errors.locate(sheet, placesOf(r.cells, columns, index));
        errors.throwIfAny();
        maybeSecondHeader = true;
        continue;
      }
      if (maybeSecondHeader) {
        maybeSecondHeader = false;
        if (isHeaderRow(r.cells, columns)) continue;
      }
      if (++dataRows > opts.maxRows) {
        throw fileError(`The file has more than ${opts.maxRows} rows; split it into several files`);
      }
      const value: Record<string, unknown> = {};
      const texts: Record<string, string> = {};
      let good = true;
      columns.forEach((col, i) => {
        const at = index![i];
        const cell = at === null ? null : (r.cells[at] ?? null);
        if (at !== null && !isBlank(cell)) texts[col.header] = cellText(cell);
        if (cell instanceof CellError) {
          errors.add(r.row, col.header, `the cell holds an error (${cell.code})`, cell.code);
          good = false;
        } else if (isBlank(cell)) {
          if (col.required) {
            errors.add(r.row, col.header, 'is required', '');
            good = false;
          }
          value[col.key] = null;
        } else {
          const text = cellText(cell);
          const res = col.parse ? col.parse(text, cell) : ok(text);
          if (res.error !== undefined) {
            errors.add(r.row, col.header, res.error, text);
            good = false;
          } else value[col.key] = res.value;
        }
      });
      errors.remember(r.row, texts);
      if (good) rows.push({ row: r.row, value: value as T });
      else partial.push({ row: r.row, value: value as Partial<T> });
    }
  } catch (e) {
    if (e instanceof XlsxLimitError) throw tooLarge(e);
    if (e instanceof XlsxReadError) throw fileError(e.message);
    throw e;
  }
  if (!index) throw fileError(`The sheet${sheet ? ` "${sheet}"` : ''} is empty: it needs a header row and at least one data row`);
  if (dataRows === 0) throw fileError(`The sheet "${sheet}" has a header row but no data rows`);
  return { sheet, headerRow, rows, partial, errors };
}

const namesOf = (col: ImportColumn) => new Set([col.header, col.key, ...(col.label ? [col.label] : []), ...(col.aliases ?? [])].map(normalizeHeader));

function mapHeader(cells: CellValue[], columns: readonly ImportColumn[], row: number, errors: RowErrors): (number | null)[] {
  const headers = cells.map((c) => normalizeHeader(cellText(c)));
  return columns.map((col) => {
    const names = namesOf(col);
    const at = headers.flatMap((h, i) => (names.has(h) ? [i] : []));
    if (at.length > 1) errors.add(row, col.header, 'the column appears more than once');
    if (at.length === 0 && col.required) errors.add(row, col.header, 'the column is missing');
    return at.length ? at[0] : null;
  });
}

function placesOf(cells: CellValue[], columns: readonly ImportColumn[], index: (number | null)[]): Map<string, ColumnPlace> {
  const places = new Map<string, ColumnPlace>();
  columns.forEach((col, i) => {
    const at = index[i];
    if (at !== null) places.set(col.header, { header: cellText(cells[at] ?? null), letter: columnLetters(at + 1) });
  });
  return places;
}

/** A row every non-blank cell of which names a column: a second header row. */
function isHeaderRow(cells: CellValue[], columns: readonly ImportColumn[]): boolean {
  const names = new Set(columns.flatMap((c) => [...namesOf(c)]));
  const texts = cells.filter((c) => !isBlank(c)).map((c) => normalizeHeader(cellText(c)));
  return texts.length > 0 && texts.every((t) => names.has(t));
}

/**
 * The import runner: parses the sheet, lets the caller add its cross-row and database
 * checks (duplicates, unknown references) to the same error list, and returns the rows
 * only when the whole file is good; otherwise 400 VALIDATION_FAILED with every error.
 * `check` also gets the rows that had a cell error (with the cells that parsed), so a
 * duplicate of such a row is reported in the same answer. The caller then writes all
 * rows in one transaction: all or nothing (domain.md 12).
 */
export async function runImport<T>(
  input: XlsxInput,
  columns: readonly ImportColumn[],
  opts: ImportOptions,
  check?: (rows: ImportedRow<T>[], errors: RowErrors, partial: ImportedRow<Partial<T>>[]) => void | Promise<void>,
): Promise<ImportedRow<T>[]> {
  const parsed = await parseSheet<T>(input, columns, opts);
  if (check) await check(parsed.rows, parsed.errors, parsed.partial);
  parsed.errors.throwIfAny();
  return parsed.rows;
}
