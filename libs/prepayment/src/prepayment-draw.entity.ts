import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One draw (冲抵) on a prepaid balance by a settled delivery (domain.md section 10). The
 * unique (prepayment, delivery) pair makes a second draw for the same delivery impossible.
 */
@Entity('prepayment_draws')
export class PrepaymentDraw {
  @PrimaryGeneratedColumn({ unsigned: true }) id!: number;
  @Column({ name: 'prepayment_id', type: 'int', unsigned: true }) prepaymentId!: number;
  @Column({ name: 'delivery_id', type: 'int', unsigned: true }) deliveryId!: number;
  @Column({ name: 'run_id', type: 'int', unsigned: true }) runId!: number;
  @Column({ type: 'decimal', precision: 20, scale: 2 }) amount!: string;
  @Column({ name: 'created_at', type: 'datetime', precision: 3 }) createdAt!: Date;
}
