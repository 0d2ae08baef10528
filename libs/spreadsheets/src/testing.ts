import ExcelJS from 'exceljs';
import { constants as zlibConstants, deflateRawSync } from 'node:zlib';

/**
 * Builds a small workbook the way Excel files look (shared strings, sheets before
 * sharedStrings.xml in the zip): for unit and e2e tests of imports.
 */
export async function workbookOf(sheets: Record<string, readonly (readonly unknown[])[]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((r, i) => {
      if (r.length) ws.getRow(i + 1).values = [...r] as ExcelJS.CellValue[];
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every sheet's rows as plain values (1-based rows, cells from column A), read with exceljs's in-memory reader. */
export async function sheetsOf(buf: Buffer): Promise<Record<string, unknown[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: Record<string, unknown[][]> = {};
  wb.eachSheet((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      rows[n - 1] = (row.values as unknown[]).slice(1);
    });
    out[ws.name] = rows;
  });
  return out;
}

/** A zip part of a hand-made workbook: its bytes, or a deflate bomb (`repeat` copies of `unit` between `head` and `tail`). */
export type ZipPart = string | { head: string; unit: string; repeat: number; tail: string; declaredSize?: number };

/**
 * Deflates head + unit × repeat + tail without ever holding it: the unit is compressed
 * once (repeated to ~1 MiB, ending on a full flush so the segment stands alone) and that
 * segment is repeated, so 800 MB of XML takes a few ms to build and ~1 MB to ship.
 */
function deflateBomb(p: Exclude<ZipPart, string>): { data: Buffer; size: number } {
  const perSegment = Math.max(1, Math.floor((1 << 20) / Buffer.byteLength(p.unit)));
  const segments = Math.floor(p.repeat / perSegment);
  const rest = p.repeat - segments * perSegment;
  const seg = (s: string) => deflateRawSync(Buffer.from(s), { level: 9, finishFlush: zlibConstants.Z_FULL_FLUSH });
  const body = seg(p.unit.repeat(perSegment));
  const data = Buffer.concat([seg(p.head), ...Array<Buffer>(segments).fill(body), deflateRawSync(Buffer.from(p.unit.repeat(rest) + p.tail), { level: 9 })]);
  const size = Buffer.byteLength(p.head) + Buffer.byteLength(p.unit) * p.repeat + Buffer.byteLength(p.tail);
  return { data, size };
}

/**
 * A zip written by hand (stored CRCs are 0: a hostile file's would be wrong anyway, and
 * the reader must stop before it could check them). A bomb part may declare any
 * uncompressed size (`declaredSize`), as a lying zip does.
 */
export function zipOf(parts: Record<string, ZipPart>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, part] of Object.entries(parts)) {
    const { data, size } = typeof part === 'string' ? { data: deflateRawSync(Buffer.from(part)), size: Buffer.byteLength(part) } : deflateBomb(part);
    const declared = typeof part === 'string' ? size : (part.declaredSize ?? Math.min(size, 0xffffffff));
    const fileName = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(fileName.length, 26);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4);
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt32LE(0, 16);
    entry.writeUInt32LE(data.length, 20);
    entry.writeUInt32LE(declared, 24);
    entry.writeUInt16LE(fileName.length, 28);
    entry.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    central.push(entry, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const dir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(dir.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

/** The parts of a minimal one-sheet workbook; pass the sheet's and shared strings' parts (strings or bombs). */
export function workbookParts(sheet: ZipPart, sharedStrings?: ZipPart): Record<string, ZipPart> {
  return {
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8"?><workbook ${NS}><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    'xl/worksheets/sheet1.xml': sheet,
    ...(sharedStrings !== undefined ? { 'xl/sharedStrings.xml': sharedStrings } : {}),
  };
}

const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet ${NS}><sheetData>`;
const SHEET_TAIL = '</sheetData></worksheet>';
const HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>genericName</t></is></c></row>';

/**
 * The hostile workbooks the reader must refuse quickly and cheaply (issue 8), their junk
 * before any header row, so no header check can stop them first: each
 * expands to hundreds of MB or more from ~1 MB, and each declares a small size (a zip's
 * sizes are the sender's word), so that the bound that counts as it parses is what stops it.
 */
export const BOMBS: Record<string, () => Buffer> = {
  /** 160 million empty shared strings (800 MB of XML) in ~0.8 MB. */
  sharedStrings: () =>
    zipOf(workbookParts(SHEET_HEAD + HEADER_ROW + SHEET_TAIL, { head: `<sst ${NS}>`, unit: '<si/>', repeat: 160_000_000, tail: '</sst>', declaredSize: 4096 })),
  /** 30 million blank rows (then a header row). */
  blankRows: () =>
    zipOf(workbookParts({ head: SHEET_HEAD, unit: '<row/>', repeat: 30_000_000, tail: HEADER_ROW.replace('r="1"', '') + SHEET_TAIL, declaredSize: 4096 })),
  /** One row of 100 million cells. */
  wideRow: () => zipOf(workbookParts({ head: `${SHEET_HEAD}<row r="1">`, unit: '<c/>', repeat: 100_000_000, tail: `</row>${SHEET_TAIL}`, declaredSize: 4096 })),
  /** A sheet part that inflates to 1 GB of elements no other bound counts, declaring 1 KB. */
  bigPart: () => zipOf(workbookParts({ head: SHEET_HEAD, unit: '<x/>', repeat: 250_000_000, tail: HEADER_ROW + SHEET_TAIL, declaredSize: 1024 })),
};
