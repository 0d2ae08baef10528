import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('audit_entries')
@Index('idx_audit_entity', ['entity', 'entityId'])
export class AuditEntry {
  /** Append order: the sequencer chains entries by it. */
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  /** null (as prevHash and hash) until the sequencer has chained the entry. */
  @Index('uq_audit_entries_seq', { unique: true })
  @Column({
    type: 'bigint',
    unsigned: true,
    nullable: true,
    transformer: { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) },
  })
  seq!: number | null;

  @Column({ type: 'datetime', precision: 3 })
  at!: Date;

  @Column({ name: 'actor_user_id', type: 'int', nullable: true })
  actorUserId!: number | null;

  @Column({ name: 'actor_organization_id', type: 'int', nullable: true })
  actorOrganizationId!: number | null;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 64 })
  entity!: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 64 })
  entityId!: string;

  @Column({ type: 'longtext' })
  data!: string;

  @Column({ name: 'prev_hash', type: 'char', length: 64, nullable: true })
  prevHash!: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  hash!: string | null;

  /** Sealed entries (domain.md section 11): the policy, the scope that opens it, the salt, the sealed data. */
  @Column({ name: 'seal_policy', type: 'varchar', length: 32, nullable: true })
  sealPolicy!: string | null;

  @Column({ name: 'seal_scope', type: 'varchar', length: 64, nullable: true })
  sealScope!: string | null;

  @Column({ name: 'seal_salt', type: 'char', length: 32, nullable: true })
  sealSalt!: string | null;

  @Column({ name: 'sealed_data', type: 'longtext', nullable: true })
  sealedData!: string | null;
}
