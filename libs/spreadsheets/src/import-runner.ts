import { ErrorDetail, validationFailed } from '@jicai/common';
import { CellError, CellValue, cellText, isBlank } from './cells';
import { readXlsxRows, XlsxInput, XlsxReadError } from './xlsx-reader';

/** What a column parser answers for one cell: a value, or a message for the user. */
export type ParseResult<V> = { value: V; error?: undefined } | { error: string; value?: undefined };
export const ok = <V>(value: V): ParseResult<V> => ({ value });
export const bad = (error: string): ParseResult<never> => ({ error });

/** One column of an import: how to find it in the header row and how to read its cells. */
export interface ImportColumn {
  /** Field of the parsed record. */
  key: string;
  /** Header text in the sheet and in the template. */
  header: string;
  /** Other header texts accepted (e.g. the Chinese name); compared after NFKC, trim and case folding. */
  aliases?: string[];
  /** A blank cell is an error ("is required"); otherwise it gives null without calling parse. */
  required?: boolean;
  /** Reads the trimmed cell text (numbers as plain decimals); default: the text itself. */
  parse?: (text: string, cell: CellValue) => ParseResult<unknown>;
  /** For the template's notes. */
  description?: string;
  example?: string;
  width?: number;
}

export interface ImportOptions {
  /** The sheet to read; default: the first. */
  sheet?: string;
  /** More data rows than this answer 400 before anything is checked against the database. */
  maxRows: number;
}

export interface ImportedRow<T> {
  /** The row number Excel shows. */
  row: number;
  value: T;
}

/** Every problem found in a file, as {row, column, message} details (api.md: "details per sheet row"). */
export class RowErrors {
  private readonly details: ErrorDetail[] = [];

  add(row: number, column: string, message: string): void {
    this.details.push({ row, column, message });
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
    throw validationFailed(`The file has ${this.details.length} error(s) in ${rows} row(s); nothing was imported`, this.list());
  }
}

export const normalizeHeader = (s: string) => s.normalize('NFKC').trim().toLowerCase();

/** The result of reading a sheet against its columns: the good rows, and every error. */
export interface ParsedSheet<T> {
  sheet: string;
  headerRow: number;
  rows: ImportedRow<T>[];
  errors: RowErrors;
}

const fileError = (message: string) => validationFailed(message, [{ field: 'file', message }]);

/**
 * Reads a sheet whose first non-blank row is the header row, parsing each following
 * non-blank row with the columns' parsers. Unknown columns are ignored. Every cell error
 * is collected rather than stopping at the first; rows with an error are left out of
 * `rows`. A file that is not an xlsx, has no header, lacks a required column or has more
 * than maxRows rows answers 400 at once.
 */
export async function parseSheet<T>(input: XlsxInput, columns: readonly ImportColumn[], opts: ImportOptions): Promise<ParsedSheet<T>> {
  const errors = new RowErrors();
  const rows: ImportedRow<T>[] = [];
  let index: (number | null)[] | null = null;
  let headerRow = 0;
  let sheet = '';
  let dataRows = 0;
  try {
    for await (const r of readXlsxRows(input, { sheet: opts.sheet })) {
      if (!index) {
        sheet = r.sheet;
        headerRow = r.row;
        index = mapHeader(r.cells, columns, r.row, errors);
        errors.throwIfAny();
        continue;
      }
      if (++dataRows > opts.maxRows) {
        throw fileError(`The file has more than ${opts.maxRows} rows; split it into several files`);
      }
      const value: Record<string, unknown> = {};
      let good = true;
      columns.forEach((col, i) => {
        const at = index![i];
        const cell = at === null ? null : (r.cells[at] ?? null);
        if (cell instanceof CellError) {
          errors.add(r.row, col.header, `the cell holds an error (${cell.code})`);
          good = false;
        } else if (isBlank(cell)) {
          if (col.required) {
            errors.add(r.row, col.header, 'is required');
            good = false;
          }
          value[col.key] = null;
        } else {
          const text = cellText(cell);
          const res = col.parse ? col.parse(text, cell) : ok(text);
          if (res.error !== undefined) {
            errors.add(r.row, col.header, res.error);
            good = false;
          } else value[col.key] = res.value;
        }
      });
      if (good) rows.push({ row: r.row, value: value as T });
    }
  } catch (e) {
    if (e instanceof XlsxReadError) throw fileError(e.message);
    throw e;
  }
  if (!index) throw fileError('The sheet is empty: it needs a header row and at least one data row');
  if (dataRows === 0) throw fileError('The sheet has a header row but no data rows');
  return { sheet, headerRow, rows, errors };
}

function mapHeader(cells: CellValue[], columns: readonly ImportColumn[], row: number, errors: RowErrors): (number | null)[] {
  const headers = cells.map((c) => normalizeHeader(cellText(c)));
  return columns.map((col) => {
    const names = new Set([col.header, ...(col.aliases ?? [])].map(normalizeHeader));
    const at = headers.flatMap((h, i) => (names.has(h) ? [i] : []));
    if (at.length > 1) errors.add(row, col.header, 'the column appears more than once');
    if (at.length === 0 && col.required) errors.add(row, col.header, 'the column is missing');
    return at.length ? at[0] : null;
  });
}

/**
 * The import runner: parses the sheet, lets the caller add its cross-row and database
 * checks (duplicates, unknown references) to the same error list, and returns the rows
 * only when the whole file is good; otherwise 400 VALIDATION_FAILED with every error.
 * The caller then writes all rows in one transaction: all or nothing (domain.md 12).
 */
export async function runImport<T>(
  input: XlsxInput,
  columns: readonly ImportColumn[],
  opts: ImportOptions,
  check?: (rows: ImportedRow<T>[], errors: RowErrors) => void | Promise<void>,
): Promise<ImportedRow<T>[]> {
  const parsed = await parseSheet<T>(input, columns, opts);
  if (check) await check(parsed.rows, parsed.errors);
  parsed.errors.throwIfAny();
  return parsed.rows;
}
