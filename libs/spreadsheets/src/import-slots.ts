import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Response } from 'express';
import { finalize, Observable } from 'rxjs';
import { AppError } from '@jicai/common';

/**
 * A counting semaphore whose waiters give up after a while: bounds how many uploaded
 * spreadsheets a process expands at once, so several hostile files cannot add up.
 */
export class Slots {
  private used = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly size: number) {}

  get inUse(): number {
    return this.used;
  }

  /** A release function once a slot is free, or null if none frees up within waitMs. */
  acquire(waitMs: number): Promise<(() => void) | null> {
    const release = () => {
      const next = this.waiting.shift();
      if (next) next();
      else this.used--;
    };
    const once = () => {
      let done = false;
      return () => {
        if (!done) {
          done = true;
          release();
        }
      };
    };
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve(once());
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(once()); // the slot passes straight from the releaser to this waiter
      };
      const timer = setTimeout(() => {
        const i = this.waiting.indexOf(wake);
        if (i >= 0) this.waiting.splice(i, 1);
        resolve(null);
      }, waitMs);
      this.waiting.push(wake);
    });
  }
}

/** Spreadsheet imports one api process parses at once; more wait up to IMPORT_SLOT_WAIT_MS, then answer 429. */
export const MAX_CONCURRENT_IMPORTS = 2;
export const IMPORT_SLOT_WAIT_MS = 2000;
/** Uploads one api process receives at once (each is held in memory, up to MAX_UPLOAD_BYTES); more answer 429 at once, before their body is read. */
export const MAX_CONCURRENT_UPLOADS = 8;

export const IMPORT_PARSE_SLOTS = new Slots(MAX_CONCURRENT_IMPORTS);
export const UPLOAD_SLOTS = new Slots(MAX_CONCURRENT_UPLOADS);

function tooMany(res: Response, message: string): AppError {
  res.setHeader('Retry-After', '2');
  return new AppError(429, 'TOO_MANY_IMPORTS', message);
}

const slotFor = async (slots: Slots, waitMs: number, ctx: ExecutionContext, message: string, next: CallHandler): Promise<Observable<unknown>> => {
  const release = await slots.acquire(waitMs);
  if (!release) throw tooMany(ctx.switchToHttp().getResponse<Response>(), message);
  return next.handle().pipe(finalize(release));
};

/** Runs before the upload is read: at most MAX_CONCURRENT_UPLOADS requests receive a file at once; more get 429 TOO_MANY_IMPORTS. */
@Injectable()
export class UploadSlotInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return slotFor(
      UPLOAD_SLOTS,
      0,
      ctx,
      `More than ${MAX_CONCURRENT_UPLOADS} uploads are in progress; try again in a few seconds / 上传过多，请稍后重试`,
      next,
    );
  }
}

/** Runs once the file is in: at most MAX_CONCURRENT_IMPORTS are parsed and checked at once; a request waits up to IMPORT_SLOT_WAIT_MS, then gets 429. */
@Injectable()
export class ImportSlotInterceptor implements NestInterceptor {
  intercept(ctx: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    return slotFor(
      IMPORT_PARSE_SLOTS,
      IMPORT_SLOT_WAIT_MS,
      ctx,
      `The platform is reading ${MAX_CONCURRENT_IMPORTS} other spreadsheets; try again in a few seconds / 正在处理其他表格，请稍后重试`,
      next,
    );
  }
}
