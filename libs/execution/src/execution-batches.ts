import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, notFound } from '@jicai/common';
import { BatchRules, BatchStatus, batchIdsWithStatus, batchesClosingBetween, findBatch } from '@jicai/batches';

export interface BatchForExecution {
  id: number;
  code: string;
  status: BatchStatus;
  rules: BatchRules;
  agreementStart: Date;
  agreementMonths: number;
}

/** The batches execution works on, read through the batches module's read functions (rules with their defaults). */
@Injectable()
export class ExecutionBatches {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** The batch (through `m` when given: inside the caller's transaction), or null. */
  async find(id: number, m: EntityManager = this.dataSource.manager): Promise<BatchForExecution | null> {
    const b = await findBatch(m, id);
    return b ? { id: b.id, code: b.code, status: b.status, rules: b.rules, agreementStart: b.agreementStart, agreementMonths: b.agreementMonths } : null;
  }

  async get(id: number): Promise<BatchForExecution> {
    const b = await this.find(id);
    if (!b) throw notFound('Batch');
    return b;
  }

  /** PUBLISHED batches whose bidding closes within `ms` from now (and has not closed). */
  async closingWithin(ms: number): Promise<{ id: number; code: string; biddingClosesAt: Date }[]> {
    const now = this.clock.now();
    return batchesClosingBetween(this.dataSource.manager, BatchStatus.PUBLISHED, now, new Date(now.getTime() + ms));
  }

  /** Ids of the batches in force (the nightly job's work). */
  async inForce(): Promise<number[]> {
    return batchIdsWithStatus(this.dataSource.manager, BatchStatus.IN_FORCE);
  }
}
