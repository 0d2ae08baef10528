import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sealed audit entries (domain.md section 11): the policy that sealed an entry, the scope
 * that opens it, its random salt and its sealed data. The hash of such an entry covers the
 * actor and the sealed data only through a salted commitment, so the published hashes no
 * longer let anyone test guesses of who bid with which product before opening.
 * Entries appended before this migration keep the recipe they were hashed with; GET /audit
 * withholds the actor, sealed data and hashes of those a policy claims until their scope opens.
 */
export class AuditSealing1764000000700 implements MigrationInterface {
  name = 'AuditSealing1764000000700';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_entries
      ADD COLUMN seal_policy VARCHAR(32) NULL,
      ADD COLUMN seal_scope VARCHAR(64) NULL,
      ADD COLUMN seal_salt CHAR(32) NULL,
      ADD COLUMN sealed_data LONGTEXT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE audit_entries DROP COLUMN seal_policy, DROP COLUMN seal_scope, DROP COLUMN seal_salt, DROP COLUMN sealed_data');
  }
}
