import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * domain.md 15.1 and 15.2: an item's dosage-form class (for a per-class gateFloor); per
 * item × group the anchor the gateRatio was measured from and the floor that applied; per
 * bid the gate it passed (null: it failed every gate).
 */
export class GateVariants1764000001100 implements MigrationInterface {
  name = 'GateVariants1764000001100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batch_items ADD COLUMN dosage_form_class VARCHAR(32) NOT NULL DEFAULT 'OTHER'`);
    await q.query(`ALTER TABLE evaluation_groups ADD COLUMN anchor_ucp DECIMAL(20,4) NULL, ADD COLUMN gate_floor DECIMAL(20,4) NULL`);
    await q.query(`ALTER TABLE evaluation_results ADD COLUMN gate_passed_by VARCHAR(16) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE evaluation_results DROP COLUMN gate_passed_by');
    await q.query('ALTER TABLE evaluation_groups DROP COLUMN anchor_ucp, DROP COLUMN gate_floor');
    await q.query('ALTER TABLE batch_items DROP COLUMN dosage_form_class');
  }
}
