import ExcelJS from 'exceljs';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { CellError } from './cells';
import { xlsxBuffer } from './export';
import { BOMBS, workbookOf, workbookParts, zipOf } from './testing';
import { DEFAULT_XLSX_LIMITS, readXlsxRecords, readXlsxRows, XlsxLimitError, XlsxReadError, XlsxRow } from './xlsx-reader';

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
    expect((await rowsOf(buf)).map((r) => r.cells)).toEqual([['h'], ['h'], ['中文'], ['b']]);
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

const SHEET = (rows: string) =>
  `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;

describe('cells as Excel, WPS and LibreOffice write them', () => {
  it("gives a formula's cached result whatever it is (0, empty text, FALSE), and null without one", async () => {
    // LibreOffice writes =14500-14500 as <f>14500-14500</f><v>0</v>; exceljs's reader dropped falsy results.
    const buf = zipOf(
      workbookParts(
        SHEET(
          '<row r="1"><c r="A1"><f>14500-14500</f><v>0</v></c><c r="B1" t="str"><f>""</f><v></v></c><c r="C1" t="b"><f>1=2</f><v>0</v></c><c r="D1"><f>A1</f></c><c r="E1" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>',
        ),
      ),
    );
    expect((await rowsOf(buf))[0].cells).toEqual([0, '', false, null, new CellError('#DIV/0!')]);
  });

  it('gives numbers in date-formatted cells as dates (built-in, custom and Chinese formats, 1904 system), other numbers as numbers', async () => {
    const styles = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/><numFmt numFmtId="165" formatCode="#,##0.00&quot;元&quot;"/></numFmts><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>`;
    const parts = workbookParts(
      SHEET(
        '<row r="1"><c r="A1" s="1"><v>46388</v></c><c r="B1" s="2"><v>46388.5</v></c><c r="C1" s="3"><v>46388</v></c><c r="D1" t="d"><v>2027-01-01T08:00:00Z</v></c></row>',
      ),
    );
    parts['xl/styles.xml'] = styles;
    parts['xl/_rels/workbook.xml.rels'] = (parts['xl/_rels/workbook.xml.rels'] as string).replace(
      '</Relationships>',
      '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>',
    );
    expect((await rowsOf(zipOf(parts)))[0].cells).toEqual([
      new Date('2027-01-01T00:00:00Z'),
      new Date('2027-01-01T12:00:00Z'),
      46388,
      new Date('2027-01-01T08:00:00Z'),
    ]);
    parts['xl/workbook.xml'] = (parts['xl/workbook.xml'] as string).replace('<sheets>', '<workbookPr date1904="1"/><sheets>');
    expect((await rowsOf(zipOf(parts)))[0].cells[0]).toEqual(new Date('2031-01-02T00:00:00Z'));
  });

  it('says to save as .xlsx, in Chinese and English, for .ods, .xls and .csv', async () => {
    const ods = zipOf({ mimetype: 'application/vnd.oasis.opendocument.spreadsheet', 'content.xml': '<office:document-content/>' });
    await expect(rowsOf(ods)).rejects.toThrow(/OpenDocument spreadsheet \(\.ods\).*另存为.*Save it as an Excel workbook \(\.xlsx\)/);
    const xls = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]);
    await expect(rowsOf(xls)).rejects.toThrow(/\.xls.*另存为.*\.xlsx/);
    await expect(rowsOf(Buffer.from('通用名,剂型\n阿莫西林,片剂\n'))).rejects.toThrow(/CSV.*另存为.*\.xlsx/);
  });
});

describe('bounds (issue 8: every upload is bounded before it is expanded)', () => {
  const refusal = async (buf: Buffer, limits = {}) => {
    const t0 = Date.now();
    try {
      for await (const r of readXlsxRows(buf, { limits })) void r;
    } catch (e) {
      return { e: e as XlsxLimitError, ms: Date.now() - t0 };
    }
    throw new Error('expected a refusal');
  };

  it('refuses each bomb by the bound that counts it, quickly', async () => {
    const expected: Record<string, keyof typeof DEFAULT_XLSX_LIMITS> = {
      sharedStrings: 'maxSharedStrings',
      blankRows: 'maxRows',
      wideRow: 'maxColumns',
      bigPart: 'maxPartBytes',
    };
    const times: Record<string, number> = {};
    for (const [kind, build] of Object.entries(BOMBS)) {
      const buf = build();
      expect(buf.length).toBeLessThan(1_300_000);
      // The bounds an import of 5,000 rows sets (parseSheet): small enough to stop each bomb early.
      const { e, ms } = await refusal(buf, { maxRows: 6002, maxSharedStrings: 200_000, maxPartBytes: 7_300_000 });
      expect([kind, e.constructor.name, e.limit]).toEqual([kind, 'XlsxLimitError', expected[kind]]);
      expect(e.message).toMatch(/limit/);
      times[kind] = ms;
    }
    // Alone each takes 0.05-0.8 s (unbounded, the first took 21 s of CPU and 1.6 GB): no timed assertion
    // here (a busy CI machine), test/upload-bombs.e2e-spec.ts checks the api's answers and memory.
    expect(Object.keys(times)).toHaveLength(4);
  });

  it('refuses a part whose declared size is past the bound before inflating it, and a lying one as it inflates', async () => {
    const honest = zipOf(workbookParts({ head: SHEET(''), unit: ' ', repeat: 2_000_000, tail: '' }));
    const lying = zipOf(workbookParts({ head: SHEET(''), unit: ' ', repeat: 2_000_000, tail: '', declaredSize: 10 }));
    for (const buf of [honest, lying]) {
      const { e } = await refusal(buf, { maxPartBytes: 1_000_000 });
      expect([e.limit, e.max]).toEqual(['maxPartBytes', 1_000_000]);
      expect(e.message).toContain('xl/worksheets/sheet1.xml expands to more than 1,000,000 bytes');
    }
  });

  it('counts cells per row by column and by number, rows by number, and refuses a cell longer than the bound', async () => {
    const sheet = (rows: string) => zipOf(workbookParts(SHEET(rows)));
    expect((await refusal(sheet('<row r="1"><c r="IW1"><v>1</v></c></row>'))).e.limit).toBe('maxColumns'); // column 257
    expect((await refusal(sheet('<row r="1"><c r="IV1"><v>1</v></c></row>'), { maxColumns: 10 })).e.limit).toBe('maxColumns');
    expect((await refusal(sheet(`<row r="1">${'<c r="A1"/>'.repeat(300)}</row>`))).e.limit).toBe('maxColumns');
    expect((await refusal(sheet('<row r="1000000"/>'), { maxRows: 999_999 })).e.limit).toBe('maxRows');
    expect((await refusal(sheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>${'x'.repeat(40)}</t></is></c></row>`), { maxCellChars: 32 })).e.limit).toBe(
      'maxCellChars',
    );
    const ok = await rowsOf(sheet('<row r="1"><c r="IV1"><v>1</v></c></row>'));
    expect(ok[0].cells).toHaveLength(256);
  });

  it('refuses a zip of too many parts', async () => {
    const parts = workbookParts(SHEET(''));
    for (let i = 0; i < 1001; i++) parts[`junk/${i}.xml`] = '';
    expect((await refusal(zipOf(parts))).e.limit).toBe('maxZipEntries');
  });
});
