import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { auditHash } from './audit.rules';
import { ENTRY_COLUMNS, EntryRow, storedFields } from './audit-entry-row';

/** Entries chained per transaction of the sequencer. */
export const CHAIN_PAGE = 1000;

/**
 * The audit chain's sequencer (domain.md section 11, docs/scaling.md): writers append entries
 * without seq, prevHash or hash (AuditService.record: one INSERT, no shared lock), and this
 * chains the committed ones, in the order they were appended (their id), one page per
 * transaction: it locks the head row, reads the unchained entries, gives each the next seq,
 * the previous hash and its own hash, and moves the head. Only sequencers lock the head, so
 * writers never wait for each other through the log; sequencers in several processes queue
 * on the head and never fork the chain. A sequencer that dies mid-page rolls back: the page
 * stays unchained and the next run chains it, once.
 */
@Injectable()
export class AuditSequencer {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Chains every entry committed before the call (and any committed meanwhile), page by
   * page. `skipIfBusy`: give up at once when another sequencer holds the head (the loop's
   * way: that one chains them). Returns how many entries this call chained.
   */
  async chainPending(opts: { skipIfBusy?: boolean } = {}): Promise<number> {
    let chained = 0;
    for (;;) {
      const n = await this.dataSource.transaction('READ COMMITTED', (m) => this.chainPage(m, CHAIN_PAGE, opts));
      if (n === null) return chained;
      chained += n;
      if (n < CHAIN_PAGE) return chained;
    }
  }

  /**
   * One page, inside the caller's transaction (READ COMMITTED: each read sees what has
   * committed, and reading the unchained entries never waits on a writer that has not).
   * null: skipIfBusy and the head was locked.
   */
  async chainPage(m: EntityManager, limit: number, opts: { skipIfBusy?: boolean } = {}): Promise<number | null> {
    const [head] = await m.query(
      `SELECT last_seq AS lastSeq, last_hash AS lastHash FROM audit_head WHERE id = 1 FOR UPDATE${opts.skipIfBusy ? ' SKIP LOCKED' : ''}`,
    );
    if (!head) return null;
    const rows = (await m.query(`SELECT id, ${ENTRY_COLUMNS} FROM audit_entries WHERE seq IS NULL ORDER BY id LIMIT ?`, [limit])) as (EntryRow & {
      id: string | number;
    })[];
    if (!rows.length) return 0;
    let seq = Number(head.lastSeq);
    let prev: string = head.lastHash;
    const updates: unknown[] = [];
    for (const r of rows) {
      seq++;
      const hash = auditHash(prev, { ...storedFields(r), seq });
      updates.push(Number(r.id), seq, prev, hash);
      prev = hash;
    }
    const values = rows.map((_, i) => (i === 0 ? 'SELECT ? AS id, ? AS seq, ? AS prev_hash, ? AS hash' : 'SELECT ?, ?, ?, ?')).join(' UNION ALL ');
    await m.query(
      `UPDATE audit_entries e JOIN (${values}) v ON v.id = e.id SET e.seq = v.seq, e.prev_hash = v.prev_hash, e.hash = v.hash WHERE e.seq IS NULL`,
      updates,
    );
    await m.query('UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1', [seq, prev]);
    return rows.length;
  }

  /** Whether any committed entry waits to be chained (one index probe). */
  async anyUnchained(): Promise<boolean> {
    return (await this.dataSource.query('SELECT 1 FROM audit_entries WHERE seq IS NULL LIMIT 1')).length > 0;
  }
}

/**
 * The worker's sequencer loop: chains what is pending 100 ms after it last found work, at once
 * again while pages come back full, and backs off to once a second while the log is idle (one
 * cheap read per turn, no transaction, when nothing is pending: readers chain on demand anyway).
 * With several workers each runs one; a loop that finds the head locked skips its turn.
 */
@Injectable()
export class AuditSequencerLoop implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AuditSequencer');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  static readonly INTERVAL_MS = 100;
  static readonly IDLE_INTERVAL_MS = 1000;
  private interval = AuditSequencerLoop.INTERVAL_MS;

  constructor(private readonly sequencer: AuditSequencer) {}

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick().finally(() => (this.running = null));
    }, ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      const chained = (await this.sequencer.anyUnchained()) ? await this.sequencer.chainPending({ skipIfBusy: true }) : 0;
      this.interval = chained > 0 ? AuditSequencerLoop.INTERVAL_MS : Math.min(this.interval * 2, AuditSequencerLoop.IDLE_INTERVAL_MS);
    } catch (e) {
      // The database is away or restarting: the entries wait, committed, for the next turn.
      if (!this.stopped) this.logger.warn(`chaining failed, retrying: ${(e as Error).message}`);
      this.interval = AuditSequencerLoop.IDLE_INTERVAL_MS;
    }
    this.schedule(this.interval);
  }
}
