import { Module } from '@nestjs/common';
import { CoreModule, AuditProcessor, AuditSequencerLoop, AllQueuesMapped } from '@jicai/common';
import { DatabaseModule } from '@jicai/database';
import { AllocationWorkerModule, DemandWorkerModule } from '@jicai/allocation';
import { BatchesModule } from '@jicai/batches';
import { CatalogWorkerModule } from '@jicai/catalog';
import { PrepaymentWorkerModule } from '@jicai/prepayment';
import { BiddingWorkerModule } from '@jicai/bidding';
import { EvaluationWorkerModule } from '@jicai/evaluation';
import { DeliveryImportWorkerModule, SettlementWorkerModule } from '@jicai/settlement';
import { ImportsWorkerModule } from '@jicai/spreadsheets';
import { NotificationsWorkerModule } from '@jicai/notifications';
import { OnboardingWorkerModule } from '@jicai/onboarding';
import { ExecutionWorkerModule } from '@jicai/execution';
import { OrdersWorkerModule } from '@jicai/orders';

/** Compile-time: every QueueName has its jobs in the typed job map (JobMap). */
const _allQueuesMapped: AllQueuesMapped = true;

/** The BullMQ consumers: one processor per queue. */
@Module({
  imports: [
    CoreModule,
    DatabaseModule,
    NotificationsWorkerModule,
    BatchesModule,
    BiddingWorkerModule,
    EvaluationWorkerModule,
    AllocationWorkerModule,
    PrepaymentWorkerModule,
    SettlementWorkerModule,
    ExecutionWorkerModule,
    OrdersWorkerModule,
    // Spreadsheet imports: the IMPORTS processor and each module's handler of its kind.
    ImportsWorkerModule,
    CatalogWorkerModule,
    DemandWorkerModule,
    DeliveryImportWorkerModule,
    OnboardingWorkerModule,
  ],
  // The audit chain's sequencer loop runs in every worker (they queue on the head, never fork).
  providers: [AuditProcessor, AuditSequencerLoop],
})
export class WorkerModule {}
