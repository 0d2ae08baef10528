import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain without a writers' lock (issue 11, docs/scaling.md): an entry is appended
 * with an id of its own and no seq, prevHash or hash; the sequencer (AuditSequencer) chains
 * committed entries in id order and moves audit_head, which only sequencers lock. seq stays
 * unique (NULL until chained). Entries already chained keep their seq and hashes.
 */
export class AuditSequencer1764000001500 implements MigrationInterface {
  name = 'AuditSequencer1764000001500';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_entries
      DROP PRIMARY KEY,
      ADD COLUMN id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT FIRST,
      ADD PRIMARY KEY (id),
      MODIFY seq BIGINT UNSIGNED NULL,
      MODIFY prev_hash CHAR(64) NULL,
      MODIFY hash CHAR(64) NULL,
      ADD UNIQUE KEY uq_audit_entries_seq (seq)`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Only a fully chained log goes back to seq as the key: chain before migrating down.
    const [{ n }] = await q.query('SELECT COUNT(*) AS n FROM audit_entries WHERE seq IS NULL');
    if (Number(n) > 0) throw new Error(`${n} audit entries are not chained yet: run the sequencer first`);
    await q.query(`ALTER TABLE audit_entries
      DROP KEY uq_audit_entries_seq,
      DROP PRIMARY KEY,
      DROP COLUMN id,
      MODIFY seq BIGINT UNSIGNED NOT NULL,
      MODIFY prev_hash CHAR(64) NOT NULL,
      MODIFY hash CHAR(64) NOT NULL,
      ADD PRIMARY KEY (seq)`);
  }
}
