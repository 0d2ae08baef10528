import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentsService } from './payments.service';
import { PrepaymentWorkerModule } from '@jicai/prepayment';
import { SettlementRunsService } from './settlement-runs.service';
import { SettlementEngine } from './settlement.engine';
import { SettlementFlow } from './settlement.flow';
import { SettlementHospitalProcessor } from './settlement-hospital.processor';
import { SETTLEMENT_ENTITIES } from './settlement.module';
import { SettlementRunProcessor } from './settlement.processor';
import { SettlementScheduler } from './settlement.scheduler';

/** The settlement jobs: run (plan + complete) and per-hospital processors, the flow producer, the monthly scheduler. */
@Module({
  imports: [TypeOrmModule.forFeature(SETTLEMENT_ENTITIES), PrepaymentWorkerModule],
  providers: [
    PaymentsService,
    SettlementRunsService,
    SettlementEngine,
    SettlementFlow,
    SettlementRunProcessor,
    SettlementHospitalProcessor,
    SettlementScheduler,
  ],
  exports: [SettlementEngine],
})
export class SettlementWorkerModule {}
