import { AppError } from '@jicai/common';
import { bad, ImportColumn, ok, parseSheet, runImport } from './import-runner';
import { decimal, integer, oneOf, text } from './parsers';
import { workbookOf } from './testing';

// Big workbooks on a busy machine: the project-level testTimeout does not reach unit specs.
jest.setTimeout(60_000);

interface Line {
  name: string;
  strength: string;
  packs: number;
  tier: string | null;
}

const COLUMNS: ImportColumn[] = [
  { key: 'name', header: 'name', aliases: ['名称'], required: true, parse: text({ maxLength: 5 }) },
  { key: 'strength', header: 'strength', required: true, parse: decimal({ maxDp: 2, positive: true }) },
  { key: 'packs', header: 'packs', required: true, parse: integer({ min: 1, max: 100 }) },
  { key: 'tier', header: 'tier', parse: oneOf(['A', 'B']) },
];

async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('import runner', () => {
  it('parses good rows by header name, in any column order, ignoring unknown columns', async () => {
    const buf = await workbookOf({
      S: [['remark', 'PACKS', ' 名称 ', 'strength'], ['anything', 28, '片剂', 2.5], [], [null, '7', 'B', '0.25']],
    });
    const rows = await runImport<Line>(buf, COLUMNS, { maxRows: 10 });
    expect(rows).toEqual([
      { row: 2, value: { name: '片剂', strength: '2.5', packs: 28, tier: null } },
      { row: 4, value: { name: 'B', strength: '0.25', packs: 7, tier: null } },
    ]);
  });

  it('reports every bad cell of every row as {row, column, message}, sorted by row', async () => {
    const buf = await workbookOf({
      S: [
        ['name', 'strength', 'packs', 'tier'],
        ['toolongname', '2.555', 0, 'C'], // row 2: four errors
        ['ok', 1, 1, 'A'], // row 3: good
        [null, '-1', 2.5, { error: '#N/A' }], // row 4: four errors
      ],
    });
    const parsed = await parseSheet<Line>(buf, COLUMNS, { maxRows: 10 });
    expect(parsed.rows.map((r) => r.row)).toEqual([3]);
    const e = await errorOf(runImport<Line>(buf, COLUMNS, { maxRows: 10 }));
    expect(e.statusCode).toBe(400);
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.message).toBe('The file has 8 error(s) in 2 row(s) of sheet "S"; nothing was imported');
    const at = (row: number, column: string, letter: string, value: string, message: string) => ({
      sheet: 'S',
      row,
      column,
      header: column,
      cell: `${letter}${row}`,
      value,
      message,
    });
    expect(e.details).toEqual([
      at(2, 'name', 'A', 'toolongname', 'must be at most 5 characters'),
      at(2, 'strength', 'B', '2.555', 'must have at most 2 decimal places'),
      at(2, 'packs', 'C', '0', 'must be between 1 and 100'),
      at(2, 'tier', 'D', 'C', 'must be one of A, B'),
      at(4, 'name', 'A', '', 'is required'),
      at(4, 'strength', 'B', '-1', 'must be greater than 0'),
      at(4, 'packs', 'C', '2.5', 'must be a whole number'),
      at(4, 'tier', 'D', '#N/A', 'the cell holds an error (#N/A)'),
    ]);
  });

  it('lets the caller add cross-row errors, merged by row, and returns nothing when there is any', async () => {
    const buf = await workbookOf({
      S: [
        ['name', 'strength', 'packs'],
        ['a', 1, 1],
        ['b', 1, 'x'],
        ['a', 1, 1],
      ],
    });
    const check = jest.fn((rows: { row: number; value: Line }[], errors: { add(r: number, c: string, m: string): void }) => {
      const seen = new Map<string, number>();
      for (const r of rows) {
        const first = seen.get(r.value.name);
        if (first) errors.add(r.row, 'name', `duplicates row ${first}`);
        else seen.set(r.value.name, r.row);
      }
    });
    const e = await errorOf(runImport<Line>(buf, COLUMNS, { maxRows: 10 }, check));
    expect(check).toHaveBeenCalledTimes(1);
    expect(e.details).toEqual([
      { sheet: 'S', row: 3, column: 'packs', header: 'packs', cell: 'C3', value: 'x', message: 'must be a whole number' },
      { sheet: 'S', row: 4, column: 'name', header: 'name', cell: 'A4', value: 'a', message: 'duplicates row 2' },
    ]);
  });

  it('custom parsers get the trimmed text and the raw cell', async () => {
    const seen: unknown[] = [];
    const cols: ImportColumn[] = [{ key: 'v', header: 'v', parse: (t, cell) => (seen.push([t, cell]), t === 'no' ? bad('nope') : ok(t.length)) }];
    const rows = await runImport<{ v: number }>(await workbookOf({ S: [['v'], ['  abc '], [12]] }), cols, { maxRows: 10 });
    expect(rows.map((r) => r.value.v)).toEqual([3, 2]);
    expect(seen).toEqual([
      ['abc', '  abc '],
      ['12', 12],
    ]);
  });

  it('answers 400 at once for a missing or repeated column, no data, too many rows, or a non-xlsx file', async () => {
    const missing = await errorOf(
      runImport(
        await workbookOf({
          S: [
            ['name', 'packs', 'tier', 'tier'],
            ['a', 1, 'A', 'B'],
          ],
        }),
        COLUMNS,
        { maxRows: 10 },
      ),
    );
    expect(missing.details).toEqual([
      { row: 1, column: 'strength', message: 'the column is missing' },
      { row: 1, column: 'tier', message: 'the column appears more than once' },
    ]);
    const empty = await errorOf(runImport(await workbookOf({ S: [] }), COLUMNS, { maxRows: 10 }));
    expect(empty.details).toEqual([{ field: 'file', message: 'The sheet is empty: it needs a header row and at least one data row' }]);
    const headerOnly = await errorOf(runImport(await workbookOf({ S: [['name', 'strength', 'packs']] }), COLUMNS, { maxRows: 10 }));
    expect(headerOnly.message).toBe('The sheet "S" has a header row but no data rows');
    const many = await workbookOf({ S: [['name', 'strength', 'packs'], ...Array.from({ length: 4 }, () => ['a', 1, 1])] });
    expect((await runImport(many, COLUMNS, { maxRows: 4 })).length).toBe(4);
    const tooMany = await errorOf(runImport(many, COLUMNS, { maxRows: 3 }));
    expect(tooMany.message).toBe('The file has more than 3 rows; split it into several files');
    const csv = await errorOf(runImport(Buffer.from('name,strength\n'), COLUMNS, { maxRows: 3 }));
    expect(csv.statusCode).toBe(400);
    expect(csv.details[0].field).toBe('file');
  });

  it('reads a second header row of English field names (the templates), the notes sheet moved first, full-width and grouped numbers', async () => {
    const buf = await workbookOf({
      Notes: [['How to fill in'], ['name: ...']],
      数据: [
        ['名称', '规格', '数量'],
        ['name', 'strength', 'packs'],
        ['ＡＢ', '２.５', '１２'],
        ['c', '1,000.5', '1,000'],
      ],
    });
    const cols = COLUMNS.map((c) =>
      c.key === 'strength' ? { ...c, label: '规格' } : c.key === 'packs' ? { ...c, label: '数量', parse: integer({ min: 1, max: 5000 }) } : c,
    );
    const rows = await runImport<Line>(buf, cols, { maxRows: 10 });
    expect(rows).toEqual([
      { row: 3, value: { name: 'ＡＢ', strength: '2.5', packs: 12, tier: null } },
      { row: 4, value: { name: 'c', strength: '1000.5', packs: 1000, tier: null } },
    ]);
    const bad = await workbookOf({
      Notes: [['x']],
      数据: [
        ['name', 'strength', 'packs'],
        ['a', '1,5', '1,00'],
      ],
    });
    const e = await errorOf(runImport<Line>(bad, cols, { maxRows: 10 }));
    expect(e.details.map((d) => [d.sheet, d.cell, d.header, d.value, d.message])).toEqual([
      ['数据', 'B2', 'strength', '1,5', 'must be a decimal number such as 2.5'],
      ['数据', 'C2', 'packs', '1,00', 'must be a whole number'],
    ]);
  });

  it('hands check the rows with a cell error too, so a duplicate of such a row is reported in the same answer', async () => {
    const buf = await workbookOf({
      S: [
        ['name', 'strength', 'packs'],
        ['dup', 'x', 1], // bad strength, and its name is duplicated below
        ['dup', 1, 1],
      ],
    });
    const e = await errorOf(
      runImport<Line>(buf, COLUMNS, { maxRows: 10 }, (rows, errors, partial) => {
        const seen = new Map<string, number>();
        for (const r of [...rows, ...partial].sort((a, b) => a.row - b.row)) {
          if (r.value.name === null || r.value.name === undefined) continue;
          const first = seen.get(r.value.name);
          if (first) errors.add(r.row, 'name', `also on row ${first}`);
          else seen.set(r.value.name, r.row);
        }
      }),
    );
    expect(e.details.map((d) => [d.row, d.column, d.message])).toEqual([
      [2, 'strength', 'must be a decimal number such as 2.5'],
      [3, 'name', 'also on row 2'],
    ]);
  });

  it('refuses a sheet of blank rows past maxRows plus the blank-row allowance with 413, before reading the rest', async () => {
    const rows: unknown[][] = [
      ['name', 'strength', 'packs'],
      ['a', 1, 1],
    ];
    rows[40] = ['b', 1, 1]; // row 41 after 38 blank rows
    const buf = await workbookOf({ S: rows });
    expect(await runImport(buf, COLUMNS, { maxRows: 2, blankRowAllowance: 40 })).toHaveLength(2);
    const e = await errorOf(runImport(buf, COLUMNS, { maxRows: 2, blankRowAllowance: 30 }));
    expect([e.statusCode, e.code]).toEqual([413, 'SPREADSHEET_TOO_LARGE']);
    expect(e.message).toContain('more than 34 rows, blank rows included');
  });
});
