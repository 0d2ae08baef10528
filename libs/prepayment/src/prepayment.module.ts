import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '@jicai/batches';
import { ActivationService } from './activation.service';
import { ActivationController, PrepaymentsController } from './prepayment.controller';
import { PrepaymentDraw } from './prepayment-draw.entity';
import { Prepayment } from './prepayment.entity';
import { PrepaymentProcessor } from './prepayment.processor';
import { PrepaymentScheduleExport } from './prepayment-schedule.export';
import { PrepaymentService } from './prepayment.service';

/** HTTP: activation, prepayment list, early disbursement, schedule export. Exports PrepaymentService for settlement. */
@Module({
  imports: [TypeOrmModule.forFeature([Prepayment, PrepaymentDraw]), BatchesModule],
  controllers: [PrepaymentsController, ActivationController],
  providers: [PrepaymentService, ActivationService, PrepaymentScheduleExport],
  exports: [PrepaymentService],
})
export class PrepaymentModule {}

/** Worker: the disbursement and recovery jobs. Exports PrepaymentService for settlement's workers. */
@Module({
  imports: [TypeOrmModule.forFeature([Prepayment, PrepaymentDraw])],
  providers: [PrepaymentService, PrepaymentProcessor],
  exports: [PrepaymentService],
})
export class PrepaymentWorkerModule {}
