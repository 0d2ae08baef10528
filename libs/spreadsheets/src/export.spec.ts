import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { safeSheetName, writeXlsx, xlsxBuffer } from './export';
import { sheetsOf } from './testing';
import { readXlsxRows } from './xlsx-reader';

// Big workbooks on a busy machine: the project-level testTimeout does not reach unit specs.
jest.setTimeout(60_000);

describe('safeSheetName', () => {
  it('makes names Excel accepts, unique case-insensitively, at most 31 characters', () => {
    const taken = new Set<string>();
    expect(safeSheetName('华润医药商业集团有限公司/浙江', taken)).toBe('华润医药商业集团有限公司_浙江');
    expect(safeSheetName('a:b\\c?d*e[f]g', taken)).toBe('a_b_c_d_e_f_g');
    expect(safeSheetName('  ', taken)).toBe('Sheet');
    expect(safeSheetName('SHEET', taken)).toBe('SHEET (2)');
    expect(safeSheetName("'quoted'", taken)).toBe('quoted');
    const long = 'x'.repeat(40);
    expect(safeSheetName(long, taken)).toBe('x'.repeat(31));
    expect(safeSheetName(long, taken)).toBe(`${'x'.repeat(27)} (2)`);
    expect(taken.size).toBe(7);
  });
});

describe('streaming export', () => {
  it('writes several sheets from sync and async rows, decimals as numbers', async () => {
    async function* suppliers() {
      yield { supplier: '甲公司', amount: '1234.50', lines: 2 };
      yield { supplier: '乙公司', amount: '12345678901234567.89', lines: 1 }; // beyond 15 digits: text
    }
    const buf = await xlsxBuffer([
      {
        name: 'Summary',
        columns: [
          { header: 'runId', value: 'id' },
          { header: 'total', value: (r: { t: string }) => r.t, decimals: 2 },
        ],
        rows: [{ id: 7, t: '99.10' }],
      },
      {
        name: '供应商',
        columns: [
          { header: '供应商', value: 'supplier' },
          { header: 'amount', value: 'amount', decimals: 2 },
          { header: 'lines', value: 'lines' },
        ],
        rows: suppliers(),
      },
    ]);
    const sheets = await sheetsOf(buf);
    expect(sheets).toEqual({
      Summary: [
        ['runId', 'total'],
        [7, 99.1],
      ],
      供应商: [
        ['供应商', 'amount', 'lines'],
        ['甲公司', 1234.5, 2],
        ['乙公司', '12345678901234567.89', 1],
      ],
    });
    const rows = [];
    for await (const r of readXlsxRows(buf, { sheet: '供应商' })) rows.push(r.cells);
    expect(rows[1]).toEqual(['甲公司', 1234.5, 2]);
  });

  it('streams a large sheet to a slow consumer', async () => {
    const out = new PassThrough({ highWaterMark: 1024 });
    let bytes = 0;
    out.on('data', (c: Buffer) => (bytes += c.length));
    const ended = once(out, 'end');
    const rows = (function* () {
      for (let i = 0; i < 20000; i++) yield { i, name: `医院${i}` };
    })();
    await writeXlsx(out, [
      {
        name: 'Big',
        columns: [
          { header: 'i', value: 'i' },
          { header: 'name', value: 'name' },
        ],
        rows,
      },
    ]);
    await ended;
    expect(bytes).toBeGreaterThan(10000);
  });
});
