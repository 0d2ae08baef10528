import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Batch, BatchItem } from '@jicai/batches';
import { OrdersCoreModule } from '@jicai/orders';
import { Organization } from '@jicai/organizations';
import { PaymentsService } from '@jicai/settlement';
import { ExecutionBatches } from './execution-batches';
import { ExecutionProcessor } from './execution.processor';
import { ExecutionScheduler } from './execution.scheduler';
import { NightlyTasks } from './nightly.tasks';
import { ProgressController } from './progress.controller';
import { ProgressService } from './progress.service';
import { RetentionController } from './retention.controller';
import { RetentionService } from './retention.service';

const ENTITIES = [Batch, BatchItem, Organization];

/** Execution after award over HTTP: progress, supplier punctuality, savings retention. */
@Module({
  imports: [TypeOrmModule.forFeature(ENTITIES), OrdersCoreModule],
  controllers: [ProgressController, RetentionController],
  providers: [ExecutionBatches, ProgressService, RetentionService],
})
export class ExecutionModule {}

/** The execution jobs: the processor, the nightly scheduler. */
@Module({
  imports: [TypeOrmModule.forFeature(ENTITIES)],
  providers: [ExecutionBatches, ProgressService, RetentionService, PaymentsService, NightlyTasks, ExecutionProcessor, ExecutionScheduler],
})
export class ExecutionWorkerModule {}
