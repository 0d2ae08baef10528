import ExcelJS from 'exceljs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { CellError } from './cells';
import { xlsxBuffer } from './export';
import { workbookOf } from './testing';
import { readXlsxRecords, readXlsxRows, XlsxReadError, XlsxRow } from './xlsx-reader';

// Big workbooks on a busy machine: the project-level testTimeout does not reach unit specs.
jest.setTimeout(60_000);

// jszip ships with exceljs; the tests use it to lay out zips the way other tools do.
const JSZip = createRequire(require.resolve('exceljs'))('jszip');

async function rowsOf(input: Buffer | Readable, sheet?: string): Promise<XlsxRow[]> {
  const out: XlsxRow[] = [];
  for await (const r of readXlsxRows(input, { sheet })) out.push(r);
  return out;
}

/** Rewrites the zip with its entries in the order `order` gives, and `edit` applied to some. */
async function rezip(buf: Buffer, order: (names: string[]) => string[], edit: Record<string, (xml: string) => string> = {}): Promise<Buffer> {
  const src = await JSZip.loadAsync(buf);
  const names = Object.keys(src.files).filter((n) => !src.files[n].dir);
  const dst = new JSZip();
  for (const n of order(names)) {
    const content = edit[n] ? edit[n](await src.file(n).async('string')) : await src.file(n).async('nodebuffer');
    dst.file(n, content);
  }
  return dst.generateAsync({ type: 'nodebuffer' });
}

describe('readXlsxRows (streaming reader)', () => {
  it('reads shared strings, numbers, formulas, rich text and errors with Excel row numbers', async () => {
    const buf = await workbookOf({
      Products: [
        ['genericName', 'strength', 'packSize'],
        ['苯磺酸左氨氯地平', 2.5, { formula: '14*2', result: 28 }],
        [],
        [{ richText: [{ text: '阿莫' }, { text: '西林' }] }, { error: '#N/A' }, 7],
      ],
      Notes: [['not read']],
    });
    const rows = await rowsOf(buf);
    expect(rows).toEqual([
      { sheet: 'Products', row: 1, cells: ['genericName', 'strength', 'packSize'] },
      { sheet: 'Products', row: 2, cells: ['苯磺酸左氨氯地平', 2.5, 28] },
      { sheet: 'Products', row: 4, cells: ['阿莫西林', new CellError('#N/A'), 7] },
    ]);
  });

  it('reads a named sheet, and from a stream as well as a Buffer', async () => {
    const buf = await workbookOf({ First: [['a']], Second: [['b'], ['c']] });
    expect((await rowsOf(Readable.from([buf]), 'Second')).map((r) => r.cells[0])).toEqual(['b', 'c']);
    await expect(rowsOf(buf, 'Third')).rejects.toThrow('The workbook has no sheet named "Third"');
  });

  it('keeps Chinese text intact where a character straddles two zip chunks', async () => {
    // exceljs's own reader decodes each chunk separately and garbles ~1 in 1000 such strings.
    const names = Array.from({ length: 20000 }, (_, i) => `苯磺酸左氨氯地平片${i}号（Ⅱ）`);
    const buf = await workbookOf({ P: names.map((n) => [n, '片剂']) });
    const rows = await rowsOf(buf);
    expect(rows).toHaveLength(20000);
    expect(rows.filter((r, i) => r.cells[0] !== names[i] || r.cells[1] !== '片剂')).toEqual([]);
  });

  it('reads sheets whether they come before or after the shared strings and workbook.xml', async () => {
    const buf = await workbookOf({
      数据: [
        ['名称', '数量'],
        ['片剂', 3],
      ],
      Two: [['x']],
    });
    const last = (n: string) => (names: string[]) => [...names.filter((x) => x !== n), n];
    const first =
      (...ns: string[]) =>
      (names: string[]) => [...ns, ...names.filter((x) => !ns.includes(x))];
    const layouts = [
      last('xl/sharedStrings.xml'), // as Excel writes
      last('xl/workbook.xml'), // rels and shared strings early, workbook.xml last: crashes exceljs's reader
      first('xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/sharedStrings.xml', 'xl/styles.xml'), // sheets parsed as they stream
    ];
    for (const layout of layouts) {
      const rows = await rowsOf(await rezip(buf, layout));
      expect(rows).toEqual([
        { sheet: '数据', row: 1, cells: ['名称', '数量'] },
        { sheet: '数据', row: 2, cells: ['片剂', 3] },
      ]);
      expect((await rowsOf(await rezip(buf, layout), 'Two')).map((r) => r.cells)).toEqual([['x']]);
    }
  });

  it('leaves phonetic runs out of shared strings and unescapes _xHHHH_', async () => {
    const buf = await workbookOf({ S: [['漢字', 'a_b']] });
    const withPhonetic = await rezip(buf, (n) => n, {
      'xl/sharedStrings.xml': (xml) =>
        xml
          .replace('<si><t>漢字</t></si>', '<si><t>漢字</t><rPh sb="0" eb="2"><t>かんじ</t></rPh><phoneticPr fontId="1"/></si>')
          .replace('<si><t>a_b</t></si>', '<si><t>line_x000D_two _x005F_x0041_</t></si>'),
    });
    const [row] = await rowsOf(withPhonetic);
    expect(row.cells).toEqual(['漢字', 'line\rtwo _x0041_']);
  });

  it('reads workbooks written by the streaming writer (inline strings, no shared strings)', async () => {
    const buf = await xlsxBuffer([{ name: 'Out', columns: [{ header: 'h', value: 'v' }], rows: [{ v: '中文' }, { v: 'b' }] }]);
    expect((await rowsOf(buf)).map((r) => r.cells)).toEqual([['h'], ['中文'], ['b']]);
  });

  it('refuses what is not an xlsx workbook', async () => {
    await expect(rowsOf(Buffer.from('genericName,dosageForm\n'))).rejects.toThrow(XlsxReadError);
    const zip = new JSZip();
    zip.file('hello.txt', 'hi');
    await expect(rowsOf(await zip.generateAsync({ type: 'nodebuffer' }))).rejects.toThrow('no xl/workbook.xml');
    const noSheets = await rezip(await workbookOf({ S: [['a']] }), (names) => names.filter((n) => !n.startsWith('xl/worksheets/')));
    await expect(rowsOf(noSheets)).rejects.toThrow('The workbook has no worksheet');
    const truncated = (await workbookOf({ S: [['a']] })).subarray(0, 200);
    await expect(rowsOf(truncated)).rejects.toThrow(XlsxReadError);
  });

  it('stops cleanly when the caller stops early', async () => {
    const buf = await workbookOf({ S: Array.from({ length: 1000 }, (_, i) => [i]) });
    const seen: number[] = [];
    for await (const r of readXlsxRows(buf)) {
      seen.push(r.row);
      if (seen.length === 3) break;
    }
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('readXlsxRecords', () => {
  it('keys rows by the header row (the first non-blank row)', async () => {
    const buf = await workbookOf({ S: [[], ['itemId', ' group ', '', 'quantity'], [12, 'A', 'ignored', 100], [13, 'B']] });
    const out = [];
    for await (const r of readXlsxRecords(buf)) out.push(r);
    expect(out).toEqual([
      { sheet: 'S', row: 3, values: { itemId: 12, group: 'A', quantity: 100 } },
      { sheet: 'S', row: 4, values: { itemId: 13, group: 'B', quantity: null } },
    ]);
  });
});

describe('exceljs date cells', () => {
  it('come back as dates when the cell has a date format', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('D');
    ws.getCell('A1').value = new Date('2027-01-01T00:00:00Z');
    ws.getCell('A1').numFmt = 'yyyy-mm-dd';
    const rows = await rowsOf(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows[0].cells[0]).toEqual(new Date('2027-01-01T00:00:00Z'));
  });
});
