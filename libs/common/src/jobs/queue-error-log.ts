import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { JobsService } from './jobs.service';
import { ALL_QUEUES } from './queues';

/** At most one warning per queue in this window while Redis stays unreachable. */
const QUIET_MS = 30_000;

/**
 * A queue's connection errors (Redis down or restarting; ioredis reconnects by itself) as one
 * warning per queue every 30 s at most. Without a listener BullMQ prints every reconnect
 * attempt's stack trace to the console, for every queue.
 */
@Injectable()
export class QueueErrorLog implements OnModuleInit {
  private readonly logger = new Logger('Queues');
  private readonly last = new Map<string, number>();

  constructor(private readonly jobs: JobsService) {}

  onModuleInit(): void {
    for (const name of ALL_QUEUES) {
      this.jobs.queue(name).on('error', (e: Error) => {
        const now = Date.now();
        if (now - (this.last.get(name) ?? 0) < QUIET_MS) return;
        this.last.set(name, now);
        this.logger.warn(`queue ${name}: ${e.message} (Redis unreachable? the connection retries by itself)`);
      });
    }
  }
}
