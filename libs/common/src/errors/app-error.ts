import { HttpException } from '@nestjs/common';

export interface ErrorDetail {
  field?: string;
  row?: number;
  column?: string;
  /** Spreadsheet errors: the sheet read, the header as written in the file, the cell address ("F7") and the value seen. */
  sheet?: string;
  header?: string;
  cell?: string;
  value?: string;
  message: string;
}

/**
 * An error the API answers with a stable code (api.md "Errors"):
 * {statusCode, code, message, details}.
 */
export class AppError extends HttpException {
  /** Response headers the error carries (e.g. Retry-After of a 429). */
  headers: Record<string, string> = {};

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super({ statusCode, code, message, details }, statusCode);
  }
}

export const validationFailed = (message: string, details: ErrorDetail[] = []) => new AppError(400, 'VALIDATION_FAILED', message, details);
export const notFound = (what: string) => new AppError(404, 'NOT_FOUND', `${what} not found`);
export const forbidden = (message = 'Not allowed') => new AppError(403, 'FORBIDDEN', message);
export const invalidState = (message: string, details: ErrorDetail[] = []) => new AppError(409, 'INVALID_STATE', message, details);
export const conflict = (code: string, message: string, details: ErrorDetail[] = []) => new AppError(409, code, message, details);
export const unprocessable = (code: string, message: string, details: ErrorDetail[] = []) => new AppError(422, code, message, details);
/** 429 with Retry-After (seconds, at least 1). */
export const tooManyRequests = (code: string, message: string, retryAfterSeconds: number) => {
  const e = new AppError(429, code, message);
  e.headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  return e;
};
