import { DataSource } from 'typeorm';
import { AuditSequencer, AuditService, auditHash, GENESIS_HASH } from '@jicai/common';
import { bearer, createTestApp, TestApp } from './helpers/test-app';

/**
 * The audit chain without a writers' lock (issue 11 item 4, domain.md section 11): writers
 * append entries with no seq or hash; the sequencer chains the committed ones in order.
 * These suites run the api alone (no worker, so no sequencer loop): each test decides when
 * the sequencer runs. The last suite runs the worker and its loop.
 */
interface Row {
  id: number;
  seq: number | null;
  prevHash: string | null;
  hash: string | null;
  action: string;
  entityId: string;
}

describe('audit sequencer (e2e)', () => {
  let t: TestApp;
  let ds: DataSource;
  let audit: AuditService;
  let sequencer: AuditSequencer;
  beforeAll(async () => {
    t = await createTestApp({ worker: false });
    ds = t.app.get(DataSource);
    audit = t.app.get(AuditService);
    sequencer = t.app.get(AuditSequencer);
  });
  afterAll(async () => t?.close());

  const rowsOf = async (entity: string): Promise<Row[]> =>
    (
      await ds.query('SELECT id, seq, prev_hash AS prevHash, hash, action, entity_id AS entityId FROM audit_entries WHERE entity = ? ORDER BY id', [entity])
    ).map((r: any) => ({ ...r, id: Number(r.id), seq: r.seq === null ? null : Number(r.seq) }));
  const head = async () => (await ds.query('SELECT last_seq AS lastSeq, last_hash AS lastHash FROM audit_head WHERE id = 1'))[0];
  const append = (entity: string, entityId: number, action = 'test.append') =>
    audit.recordNow({ actor: null, action, entity, entityId, data: { n: entityId } });

  /** The whole chain from the database: 1..N without gaps, each prevHash the hash before it, each hash recomputed. */
  async function expectWholeChain(): Promise<number> {
    const rows = await ds.query(
      'SELECT seq, at, actor_user_id AS u, actor_organization_id AS o, action, entity, entity_id AS entityId, data, prev_hash AS prevHash, hash FROM audit_entries WHERE seq IS NOT NULL ORDER BY seq',
    );
    let prev = GENESIS_HASH;
    rows.forEach((r: any, i: number) => {
      expect(Number(r.seq)).toBe(i + 1);
      expect(r.prevHash).toBe(prev);
      const fields = {
        seq: i + 1,
        at: new Date(r.at),
        actorUserId: r.u,
        actorOrganizationId: r.o,
        action: r.action,
        entity: r.entity,
        entityId: r.entityId,
        data: r.data,
      };
      expect(auditHash(prev, fields)).toBe(r.hash);
      prev = r.hash;
    });
    expect(await head()).toEqual({ lastSeq: rows.length, lastHash: prev });
    return rows.length;
  }

  it('appends without seq or hash; the sequencer chains in append order without gaps; verify covers the chained prefix and reports the tail', async () => {
    await sequencer.chainPending();
    const before = await head();
    for (let i = 1; i <= 5; i++) await append('seqtest', i);
    const appended = await rowsOf('seqtest');
    expect(appended.map((r) => [r.seq, r.prevHash, r.hash])).toEqual(Array(5).fill([null, null, null]));

    // Not chained: verify checks what is chained and counts the rest; GET /audit's reader lists none of them.
    expect(await audit.verify()).toEqual({ ok: true, entries: Number(before.lastSeq), unchained: 5 });
    const listed = await audit.list({ entity: 'seqtest', limit: 50, offset: 0 });
    expect(listed).toEqual({ total: 0, items: [] });

    expect(await sequencer.chainPending()).toBe(5);
    const chained = await rowsOf('seqtest');
    // seq follows the head, in the order the entries were appended (ids ascending)
    expect(chained.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5].map((k) => Number(before.lastSeq) + k));
    expect(chained[0].prevHash).toBe(before.lastHash);
    for (let i = 1; i < 5; i++) expect(chained[i].prevHash).toBe(chained[i - 1].hash);
    expect(await expectWholeChain()).toBe(Number(before.lastSeq) + 5);
    expect(await audit.verify()).toEqual({ ok: true, entries: Number(before.lastSeq) + 5, unchained: 0 });
  });

  it('is idempotent: a second run chains nothing and changes no hash', async () => {
    await append('idem', 1);
    expect(await sequencer.chainPending()).toBe(1);
    const once = await ds.query('SELECT id, seq, prev_hash, hash FROM audit_entries ORDER BY id');
    const headOnce = await head();
    expect(await sequencer.chainPending()).toBe(0);
    expect(await Promise.all([sequencer.chainPending(), sequencer.chainPending(), sequencer.chainPending()])).toEqual([0, 0, 0]);
    expect(await ds.query('SELECT id, seq, prev_hash, hash FROM audit_entries ORDER BY id')).toEqual(once);
    expect(await head()).toEqual(headOnce);
  });

  it('chains pages: more entries than one page (1,000) in one run, in order', async () => {
    // One transaction appends 2,500 entries; the run chains them in three pages of its own transactions.
    await ds.transaction(async (m) => {
      for (let i = 1; i <= 2500; i++) await audit.record(m, { actor: null, action: 'test.page', entity: 'paged', entityId: i, data: {} });
    });
    expect(await sequencer.chainPending()).toBe(2500);
    const rows = await rowsOf('paged');
    expect(rows.map((r) => Number(r.entityId))).toEqual(Array.from({ length: 2500 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].seq).toBe(rows[i - 1].seq! + 1);
    await expectWholeChain();
  });

  it('many transactions append at once while several sequencers run: one chain, no gaps, no fork, each transaction in its own order', async () => {
    let writing = true;
    const sequencers = Array.from({ length: 3 }, async () => {
      let n = 0;
      while (writing) n += await sequencer.chainPending({ skipIfBusy: n % 2 === 0 });
      return n;
    });
    const writers = await Promise.all(
      Array.from({ length: 40 }, (_, w) =>
        ds.transaction(async (m) => {
          for (let k = 0; k < 3; k++) {
            await audit.record(m, { actor: null, action: `test.w${k}`, entity: 'concurrent', entityId: w, data: { w, k } });
            await m.query('SELECT SLEEP(0.005)');
          }
          return w;
        }),
      ),
    );
    writing = false;
    await Promise.all(sequencers);
    await sequencer.chainPending();
    expect(writers).toHaveLength(40);
    const rows = await rowsOf('concurrent');
    expect(rows).toHaveLength(120);
    expect(rows.every((r) => r.seq !== null)).toBe(true);
    for (let w = 0; w < 40; w++) {
      const mine = rows.filter((r) => r.entityId === String(w));
      expect(mine.map((r) => r.action)).toEqual(['test.w0', 'test.w1', 'test.w2']);
      expect(mine[0].seq! < mine[1].seq! && mine[1].seq! < mine[2].seq!).toBe(true);
    }
    const [{ n, distinctPrev }] = await ds.query('SELECT COUNT(*) AS n, COUNT(DISTINCT prev_hash) AS distinctPrev FROM audit_entries');
    expect(Number(distinctPrev)).toBe(Number(n)); // no two entries share a predecessor
    await expectWholeChain();
  });

  it('a writer that has not committed holds up neither other writers nor the sequencer; its entry is chained after it commits', async () => {
    await sequencer.chainPending();
    const open = ds.createQueryRunner();
    await open.connect();
    await open.startTransaction();
    try {
      await audit.record(open.manager, { actor: null, action: 'test.slow', entity: 'open-tx', entityId: 1, data: {} });
      // Another writer appends and commits while the first transaction is open (with the old
      // head lock this waited for it); the sequencer chains the committed one.
      await append('open-tx', 2);
      expect(await sequencer.chainPending()).toBe(1);
      await open.commitTransaction();
    } finally {
      await open.release();
    }
    expect(await sequencer.chainPending()).toBe(1);
    const rows = await rowsOf('open-tx');
    expect(rows.map((r) => r.entityId)).toEqual(['1', '2']); // appended first...
    expect(rows[0].seq).toBe(rows[1].seq! + 1); // ...chained after the one that committed first
    await expectWholeChain();
  });

  it('a sequencer killed between chaining and commit chains nothing; the next run chains those entries once', async () => {
    await sequencer.chainPending();
    const before = await head();
    for (let i = 1; i <= 3; i++) await append('crash', i);
    const doomed = ds.createQueryRunner();
    await doomed.connect();
    const [{ cid }] = await doomed.query('SELECT CONNECTION_ID() AS cid');
    await doomed.startTransaction('READ COMMITTED');
    // The page is chained inside the transaction (head locked, seq and hashes written)...
    expect(await sequencer.chainPage(doomed.manager, 1000)).toBe(3);
    // ...and the process dies before committing: the server ends its session.
    await ds.query(`KILL ${Number(cid)}`);
    await doomed.release().catch(() => undefined);

    expect((await rowsOf('crash')).map((r) => r.seq)).toEqual([null, null, null]);
    expect(await head()).toEqual(before);
    expect(await audit.verify()).toEqual({ ok: true, entries: Number(before.lastSeq), unchained: 3 });
    expect(await sequencer.chainPending()).toBe(3);
    expect((await rowsOf('crash')).map((r) => r.seq)).toEqual([1, 2, 3].map((k) => Number(before.lastSeq) + k));
    expect(await sequencer.chainPending()).toBe(0);
    await expectWholeChain();
  });

  it('GET /audit/verify chains what has committed, then verifies; a tampered chained entry still breaks it', async () => {
    await append('http', 1);
    const res = await t.http().get('/api/v1/audit/verify').set(bearer(t.adminToken));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, unchained: 0 });
    const [row] = await ds.query("SELECT seq, data FROM audit_entries WHERE entity = 'http'");
    expect(row.seq).not.toBeNull();
    await ds.query('UPDATE audit_entries SET data = ? WHERE seq = ?', ['{"n":2}', row.seq]);
    expect((await t.http().get('/api/v1/audit/verify').set(bearer(t.adminToken))).body).toMatchObject({ ok: false, brokenAt: Number(row.seq) });
    await ds.query('UPDATE audit_entries SET data = ? WHERE seq = ?', [row.data, row.seq]);
  });
});

describe('audit sequencer loop in the worker (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  it('chains appended entries by itself, without any reader asking', async () => {
    const ds = t.app.get(DataSource);
    await t.app.get(AuditService).recordNow({ actor: null, action: 'test.loop', entity: 'loop', entityId: 1, data: {} });
    let seq: unknown = null;
    for (let i = 0; i < 200 && seq === null; i++) {
      await new Promise((r) => setTimeout(r, 50));
      [{ seq }] = await ds.query("SELECT seq FROM audit_entries WHERE entity = 'loop'");
    }
    expect(seq).not.toBeNull();
    expect(await t.app.get(AuditService).verify()).toMatchObject({ ok: true });
  });
});
