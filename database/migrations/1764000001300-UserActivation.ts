import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users created in bulk (POST /organizations/import) have no password yet: each gets an
 * activation nonce, from which its one-time activation code is derived (HMAC with the
 * server secret, never stored), and sets its own password with POST /auth/activate. So a
 * national import hashes no password at all; each of the 46,000 hashes is paid once, by
 * its own user, spread over the days people first sign in.
 */
export class UserActivation1764000001300 implements MigrationInterface {
  name = 'UserActivation1764000001300';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users MODIFY password_hash VARCHAR(255) NULL, ADD COLUMN activation_nonce CHAR(32) NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DELETE FROM users WHERE password_hash IS NULL');
    await q.query('ALTER TABLE users DROP COLUMN activation_nonce, MODIFY password_hash VARCHAR(255) NOT NULL');
  }
}
