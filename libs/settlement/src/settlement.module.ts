import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrdersCoreModule } from '@jicai/orders';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesService } from './deliveries.service';
import { AcceptanceImportHandler, DeliveryImportHandler } from './delivery-import.handler';
import { DeliveryImportService } from './delivery-import.service';
import { ImportsModule } from '@jicai/spreadsheets';
import { Delivery } from './delivery.entity';
import { PaymentInstruction, PaymentInstructionLine } from './payment-instruction.entity';
import { PaymentsController, PaymentsExportController } from './payments.controller';
import { PaymentsService } from './payments.service';
import { SettlementRun, SettlementRunHospital } from './settlement-run.entity';
import { SettlementRunsService } from './settlement-runs.service';
import { SettlementsController } from './settlements.controller';

export const SETTLEMENT_ENTITIES = [Delivery, SettlementRun, SettlementRunHospital, PaymentInstruction, PaymentInstructionLine];

/** Deliveries, acceptance, settlement runs and payment instructions over HTTP (domain.md section 10). */
@Module({
  imports: [TypeOrmModule.forFeature(SETTLEMENT_ENTITIES), OrdersCoreModule, ImportsModule],
  controllers: [DeliveriesController, SettlementsController, PaymentsController, PaymentsExportController],
  providers: [DeliveriesService, PaymentsService, SettlementRunsService, DeliveryImportService],
  exports: [DeliveriesService, PaymentsService, SettlementRunsService],
})
export class SettlementModule {}

/** The worker side of the delivery and acceptance imports (IMPORTS queue handlers). */
@Module({ imports: [OrdersCoreModule], providers: [DeliveryImportHandler, AcceptanceImportHandler] })
export class DeliveryImportWorkerModule {}
