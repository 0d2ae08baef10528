import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts (issue 8): a user can be disabled, and every token carries the user's
 * token_version, which logout, a password change and disabling increase, so older tokens stop
 * working at once. password_hash widens for argon2id's encoded form (~100 characters); bcrypt
 * hashes made before stay valid and are rehashed at the next successful login.
 */
export class Accounts1764000000600 implements MigrationInterface {
  name = 'Accounts1764000000600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users
      MODIFY password_hash VARCHAR(255) NOT NULL,
      ADD COLUMN disabled TINYINT(1) NOT NULL DEFAULT 0 AFTER organization_id,
      ADD COLUMN token_version INT UNSIGNED NOT NULL DEFAULT 0 AFTER disabled`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users DROP COLUMN token_version, DROP COLUMN disabled, MODIFY password_hash VARCHAR(100) NOT NULL`);
  }
}
