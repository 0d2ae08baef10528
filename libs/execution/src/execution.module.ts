import { Global, Module } from '@nestjs/common';
import { OrdersCoreModule } from '@jicai/orders';
import { DELIVERIES_ACCEPTED, PaymentsService } from '@jicai/settlement';
import { ImportsModule } from '@jicai/spreadsheets';
import { ExecutionBatches } from './execution-batches';
import { NonSelectedImportHandler, ScoresImportHandler } from './execution-import.handlers';
import { ExecutionImportService } from './execution-import.service';
import { ExecutionProcessor } from './execution.processor';
import { ExecutionScheduler } from './execution.scheduler';
import { NightlyTasks } from './nightly.tasks';
import { ProgressController } from './progress.controller';
import { ProgressService } from './progress.service';
import { RetentionController } from './retention.controller';
import { RetentionService } from './retention.service';

/** Settlement calls progress on every acceptance, in its transaction (global: settlement sits below execution). */
const ACCEPTANCE_LISTENER = { provide: DELIVERIES_ACCEPTED, useExisting: ProgressService };

/** Execution after award over HTTP: progress, supplier punctuality, savings retention. */
@Global()
@Module({
  imports: [OrdersCoreModule, ImportsModule],
  controllers: [ProgressController, RetentionController],
  providers: [ExecutionBatches, ProgressService, RetentionService, ExecutionImportService, ACCEPTANCE_LISTENER],
  exports: [ACCEPTANCE_LISTENER],
})
export class ExecutionModule {}

/** The execution jobs: the processor, the nightly scheduler; and the acceptance listener of the worker's acceptance imports. */
@Global()
@Module({
  providers: [
    ExecutionBatches,
    ProgressService,
    RetentionService,
    PaymentsService,
    NightlyTasks,
    ExecutionProcessor,
    ExecutionScheduler,
    NonSelectedImportHandler,
    ScoresImportHandler,
    ACCEPTANCE_LISTENER,
  ],
  exports: [ACCEPTANCE_LISTENER],
})
export class ExecutionWorkerModule {}
