import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

/**
 * exceljs 4.4 pieces the public typings do not expose, resolved from exceljs's own
 * directory (so its dependencies need not be hoisted). xlsx-reader.ts uses them to fix
 * defects of stream.xlsx.WorkbookReader that matter to us (each pinned by a test in
 * xlsx-reader.spec.ts, so an exceljs upgrade that moves these files fails loudly):
 *  - its zip walk (unzipper.Parse) ends as soon as the input is fully written, so with a
 *    Buffer as input it silently loses the entries not yet parsed: sheets, shared strings;
 *  - it decodes every zip chunk as UTF-8 on its own, so a Chinese character split across
 *    two chunks becomes U+FFFD (~1 string in 1000 in a 20,000-row sheet);
 *  - it crashes when a worksheet comes after the rels and shared strings but before
 *    xl/workbook.xml in the zip;
 *  - it lets a phonetic run (<rPh>, added by Excel in East-Asian locales) replace the
 *    text of a shared string.
 */
const requireFromExceljs = createRequire(require.resolve('exceljs'));

export interface ZipFile {
  path: string;
  type: 'File' | 'Directory';
  stream(): Readable;
}
export const unzipper: { Open: { buffer(buf: Buffer): Promise<{ files: ZipFile[] }> } } = requireFromExceljs('unzipper');
export const parseSax: (input: AsyncIterable<string | Buffer>) => AsyncIterable<{ eventType: string; value: any }[]> =
  requireFromExceljs('./lib/utils/parse-sax');
export const WorkbookXform: new () => { parseStream(s: AsyncIterable<string>): Promise<unknown>; map: any; model: any } =
  requireFromExceljs('./lib/xlsx/xform/book/workbook-xform');
export const RelationshipsXform: new () => { parseStream(s: AsyncIterable<string>): Promise<any> } = requireFromExceljs(
  './lib/xlsx/xform/core/relationships-xform',
);
export const StylesXform: new () => { init(): void; parseStream(s: AsyncIterable<string>): Promise<unknown> } =
  requireFromExceljs('./lib/xlsx/xform/style/styles-xform');
export const WorksheetReader: new (args: { workbook: unknown; id: number; iterator: AsyncIterable<string>; options: object }) => any =
  requireFromExceljs('./lib/stream/xlsx/worksheet-reader');
