import ExcelJS from 'exceljs';
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
        ['runId', 'total'],
        [7, 99.1],
      ],
      供应商: [
        ['供应商', 'amount', 'lines'],
        ['供应商', 'amount', 'lines'],
        ['甲公司', 1234.5, 2],
        ['乙公司', '12345678901234567.89', 1],
      ],
    });
    const rows = [];
    for await (const r of readXlsxRows(buf, { sheet: '供应商' })) rows.push(r.cells);
    expect(rows[2]).toEqual(['甲公司', 1234.5, 2]);
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

describe('the export convention', () => {
  it('writes Chinese headers over English field names, numeric money with a fixed format, date cells in UTC, frozen headers and an auto-filter', async () => {
    const buf = await xlsxBuffer([
      {
        name: 'Out',
        columns: [
          { header: 'supplierId', label: '供应商ID', value: 'sid', kind: 'id' },
          { header: 'supplierName', label: '供应商', value: 'name' },
          { header: 'amount', label: '金额（元）', value: 'amount', kind: 'decimal', decimals: 2 },
          { header: 'units', label: '数量', value: 'units', kind: 'integer' },
          { header: 'dueDate', label: '到期日', value: 'due', kind: 'date' },
          { header: 'paidAt', label: '支付时间', value: 'paid', kind: 'datetime' },
        ],
        rows: [{ sid: 12, name: '甲公司', amount: '1234.5', units: 15001, due: '2027-03-31', paid: new Date('2027-04-01T08:30:00Z') }],
      },
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('Out')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['供应商ID', '供应商', '金额（元）', '数量', '到期日', '支付时间 (UTC)']);
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual(['supplierId', 'supplierName', 'amount', 'units', 'dueDate', 'paidAt']);
    const data = ws.getRow(3);
    expect((data.values as unknown[]).slice(1)).toEqual([12, '甲公司', 1234.5, 15001, new Date('2027-03-31T00:00:00Z'), new Date('2027-04-01T08:30:00Z')]);
    expect([1, 3, 4, 5, 6].map((c) => data.getCell(c).numFmt)).toEqual(['0', '#,##0.00', '#,##0', 'yyyy-mm-dd', 'yyyy-mm-dd hh:mm:ss']);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws.autoFilter).toBe('A2:F3');
    // And the platform's own reader gives the same values back (dates by their format).
    const rows = [];
    for await (const r of readXlsxRows(buf)) rows.push(r.cells);
    expect(rows[2]).toEqual([12, '甲公司', 1234.5, 15001, new Date('2027-03-31T00:00:00Z'), new Date('2027-04-01T08:30:00Z')]);
  });
});
