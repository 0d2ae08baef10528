import { MigrationInterface, QueryRunner } from 'typeorm';

export class Foundation1764000000000 implements MigrationInterface {
  name = 'Foundation1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE organizations (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      name VARCHAR(200) NOT NULL,
      code VARCHAR(64) NOT NULL,
      type ENUM('PROCUREMENT_OFFICE','SUPPLIER','HOSPITAL','FUND') NOT NULL,
      level ENUM('PRIMARY','SECONDARY','TERTIARY') NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_organizations_code (code),
      KEY idx_organizations_type (type)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE users (
      id INT UNSIGNED NOT NULL AUTO_INCREMENT,
      username VARCHAR(100) NOT NULL,
      password_hash VARCHAR(100) NOT NULL,
      organization_id INT UNSIGNED NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      UNIQUE KEY uq_users_username (username),
      KEY idx_users_organization (organization_id),
      CONSTRAINT fk_users_organization FOREIGN KEY (organization_id) REFERENCES organizations (id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE audit_head (
      id TINYINT UNSIGNED NOT NULL,
      last_seq BIGINT UNSIGNED NOT NULL,
      last_hash CHAR(64) NOT NULL,
      PRIMARY KEY (id)
    ) ENGINE=InnoDB`);
    await q.query(`INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, REPEAT('0', 64))`);
    await q.query(`CREATE TABLE audit_entries (
      seq BIGINT UNSIGNED NOT NULL,
      at DATETIME(3) NOT NULL,
      actor_user_id INT UNSIGNED NULL,
      actor_organization_id INT UNSIGNED NULL,
      action VARCHAR(64) NOT NULL,
      entity VARCHAR(64) NOT NULL,
      entity_id VARCHAR(64) NOT NULL,
      data LONGTEXT NOT NULL,
      prev_hash CHAR(64) NOT NULL,
      hash CHAR(64) NOT NULL,
      PRIMARY KEY (seq),
      KEY idx_audit_entity (entity, entity_id)
    ) ENGINE=InnoDB`);
    await q.query(`CREATE TABLE audit_verifications (
      job_id VARCHAR(100) NOT NULL,
      ok TINYINT(1) NOT NULL,
      entries BIGINT UNSIGNED NOT NULL,
      broken_at BIGINT UNSIGNED NULL,
      reason VARCHAR(255) NULL,
      verified_at DATETIME(3) NOT NULL,
      PRIMARY KEY (job_id)
    ) ENGINE=InnoDB`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['audit_verifications', 'audit_entries', 'audit_head', 'users', 'organizations']) await q.query(`DROP TABLE ${t}`);
  }
}
