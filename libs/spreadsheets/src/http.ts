import { applyDecorators, HttpCode, Injectable, PipeTransform, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiResponse } from '@nestjs/swagger';
import { Logger } from '@nestjs/common';
import { PassThrough, Readable, Writable } from 'node:stream';
import { ErrorResponseDto, validationFailed } from '@jicai/common';
import { ImportSlotInterceptor, UploadSlotInterceptor } from './import-slots';
import { ImportAcceptedDto } from './import.responses';

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Upload limit of an import; a larger file answers 413 PAYLOAD_TOO_LARGE. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded (RFC 6266 / 5987). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Return this from a controller to send an xlsx Buffer or stream as a download. */
export function xlsxFile(body: Buffer | Readable, filename: string): StreamableFile {
  const headers = { type: XLSX_MIME, disposition: contentDisposition(filename) };
  return Buffer.isBuffer(body) ? new StreamableFile(body, { ...headers, length: body.length }) : new StreamableFile(body, headers);
}

const logger = new Logger('XlsxExport');

/**
 * Return this from a controller to stream a workbook as it is written, e.g.
 * `xlsxStream('results.xlsx', (out) => writeXlsx(out, sheets))`. A failure after the
 * first bytes cannot change the status any more: the download is cut and logged.
 */
export function xlsxStream(filename: string, write: (out: Writable) => Promise<void>): StreamableFile {
  const out = new PassThrough();
  write(out).then(
    () => {
      if (!out.writableEnded) out.end();
    },
    (e: Error) => {
      logger.error(`Export ${filename} failed: ${e.stack ?? e.message}`);
      out.destroy(e);
    },
  );
  return xlsxFile(out, filename);
}

/** OpenAPI for a route answering an xlsx download. */
export const XlsxDownload = (description = 'An .xlsx workbook') =>
  applyDecorators(
    ApiProduces(XLSX_MIME),
    ApiResponse({ status: 200, description, content: { [XLSX_MIME]: { schema: { type: 'string', format: 'binary' } } } }),
  );

/**
 * A route taking one spreadsheet in the multipart/form-data field `file` (api.md
 * conventions), held in memory up to maxBytes. Pair with @UploadedXlsx(). At most
 * MAX_CONCURRENT_UPLOADS uploads are received at once and MAX_CONCURRENT_IMPORTS handled
 * (parsed, checked) at once per process; beyond that 429 TOO_MANY_IMPORTS with Retry-After.
 */
export const XlsxUpload = (maxBytes = MAX_UPLOAD_BYTES) =>
  applyDecorators(
    UseInterceptors(UploadSlotInterceptor, FileInterceptor('file', { limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 11 } }), ImportSlotInterceptor),
    ApiResponse({
      status: 413,
      description: 'PAYLOAD_TOO_LARGE (the file) or SPREADSHEET_TOO_LARGE (what it expands to: a zip part, shared strings, rows, cells per row)',
    }),
    ApiResponse({ status: 429, description: 'TOO_MANY_IMPORTS: too many spreadsheets are being read at once; retry after Retry-After seconds' }),
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: '.xlsx' } } } }),
  );

/**
 * An import route (api.md: imports answer 202 {jobId}): one xlsx in the field `file`,
 * validated whole in the request (400 VALIDATION_FAILED with every {row, column, message},
 * nothing written), then written by a job of the IMPORTS queue; answers 202 {jobId, rows}
 * (ImportJobsService.enqueueImport). GET /jobs/:jobId gives the result {imported, ...} or
 * the reason it failed (the file is then not imported at all).
 */
export const XlsxImport = (summary: string, maxBytes = MAX_UPLOAD_BYTES) =>
  applyDecorators(
    HttpCode(202),
    XlsxUpload(maxBytes),
    ApiOperation({
      summary,
      description:
        'All or nothing. The request validates every row: any bad row answers 400 VALIDATION_FAILED with details [{row, column, message}] and nothing is written. ' +
        'A valid file answers 202 {jobId, rows}; the rows are written by a job in one transaction: GET /jobs/:jobId gives {state, progress, result: {imported}, failedReason}.',
    }),
    ApiResponse({ status: 202, type: ImportAcceptedDto, description: '{jobId, rows}: the import job and the number of valid rows it writes' }),
    ApiResponse({ status: 400, type: ErrorResponseDto, description: 'VALIDATION_FAILED: details per sheet row {row, column, message}, or per field (file)' }),
    ApiResponse({ status: 413, type: ErrorResponseDto, description: 'PAYLOAD_TOO_LARGE: the file is larger than the limit' }),
  );

/** What multer's memory storage hands over (the part of Express.Multer.File we use). */
export interface UploadedFileParts {
  buffer: Buffer;
  originalname?: string;
  size?: number;
}

/** The uploaded file's bytes; a request without a file answers 400 VALIDATION_FAILED. */
@Injectable()
export class RequiredFilePipe implements PipeTransform<UploadedFileParts | undefined, Buffer> {
  transform(file: UploadedFileParts | undefined): Buffer {
    if (!file || !Buffer.isBuffer(file.buffer) || file.buffer.length === 0) {
      throw validationFailed('An .xlsx file is required in the multipart/form-data field "file"', [{ field: 'file', message: 'is required' }]);
    }
    return file.buffer;
  }
}

export const UploadedXlsx = () => UploadedFile(RequiredFilePipe);
