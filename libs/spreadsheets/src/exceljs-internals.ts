import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';

/**
 * Two pieces that ship inside exceljs 4.4 and that its public typings do not expose,
 * resolved from exceljs's own directory (so they need not be hoisted): the zip directory
 * reader (random access to the parts of an .xlsx) and the SAX parser (saxes, in event
 * batches per chunk). xlsx-reader.ts reads workbooks with them instead of exceljs's
 * stream.xlsx.WorkbookReader, which loses parts, garbles characters split across chunks,
 * crashes on some part orders, lets phonetic runs replace shared strings, drops a
 * formula's cached result when it is falsy (0, "", FALSE) and cannot be bounded while it
 * expands (each pinned by a test in xlsx-reader.spec.ts).
 */
const requireFromExceljs = createRequire(require.resolve('exceljs'));

export interface ZipFile {
  path: string;
  type: 'File' | 'Directory';
  /** What the central directory says the part inflates to; a hostile file can lie. */
  uncompressedSize: number;
  compressedSize: number;
  stream(): Readable;
}
export const unzipper: { Open: { buffer(buf: Buffer): Promise<{ files: ZipFile[] }> } } = requireFromExceljs('unzipper');
export interface SaxTag {
  name: string;
  attributes: Record<string, string>;
  isSelfClosing?: boolean;
}
export type SaxEvent = { eventType: 'opentag' | 'closetag'; value: SaxTag } | { eventType: 'text'; value: string };
export const parseSax: (input: AsyncIterable<string | Buffer>) => AsyncIterable<SaxEvent[]> = requireFromExceljs('./lib/utils/parse-sax');
