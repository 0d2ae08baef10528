import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { AppError } from './app-error';
import { isDuplicateKey, isServiceUnavailable } from '../database/sql';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/** Renders every error in the api.md format: {statusCode, code, message, details}. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const body = this.toBody(exception);
    if (body.statusCode >= 500) {
      this.logger.error(exception instanceof Error ? (exception.stack ?? exception.message) : String(exception));
    }
    if (exception instanceof AppError) for (const [k, v] of Object.entries(exception.headers)) res.setHeader(k, v);
    if (body.code === 'SERVICE_UNAVAILABLE') res.setHeader('Retry-After', '5');
    res.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown): { statusCode: number; code: string; message: string; details: unknown[] } {
    if (exception instanceof AppError) {
      return { statusCode: exception.statusCode, code: exception.code, message: exception.message, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const r = exception.getResponse();
      const message =
        typeof r === 'string' ? r : Array.isArray((r as any)?.message) ? (r as any).message.join('; ') : ((r as any)?.message ?? exception.message);
      return { statusCode, code: CODE_BY_STATUS[statusCode] ?? 'ERROR', message: String(message), details: [] };
    }
    // A unique key raced past a service-level check: report it as a conflict, not a crash.
    if (isDuplicateKey(exception)) {
      return { statusCode: 409, code: 'ALREADY_EXISTS', message: 'A record with the same key already exists', details: [] };
    }
    // The database or Redis is down or restarting: the request may simply be sent again (a
    // load balancer or client retries 503, never 500); the driver's message stays in the log.
    if (isServiceUnavailable(exception)) {
      return { statusCode: 503, code: 'SERVICE_UNAVAILABLE', message: 'A backing service is unavailable; try again shortly', details: [] };
    }
    return { statusCode: 500, code: 'INTERNAL_ERROR', message: 'Internal error', details: [] };
  }
}
