import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { HospitalLevel, OrganizationType } from '@jicai/common';

@Entity('organizations')
export class Organization {
  @PrimaryGeneratedColumn({ unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 64, unique: true })
  code!: string;

  @Column({ type: 'enum', enum: OrganizationType })
  type!: OrganizationType;

  @Column({ type: 'enum', enum: HospitalLevel, nullable: true })
  level!: HospitalLevel | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
