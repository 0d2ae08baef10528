import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Product } from '@jicai/catalog';
import { PaymentStandard } from './payment-standard.entity';
import { PaymentStandardTransition, PaymentStandardTransitionYear } from './payment-standard-transition.entity';
import { TransitionStandardsService } from './transition-standards.service';
import { PaymentStandardsService } from './payment-standards.service';
import { PaymentStandardsController, ProductPaymentStandardController, ReimbursementController } from './reimbursement.controller';
import { ReimbursementService } from './reimbursement.service';

/** Payment standards and claim quotes (section 9). Exports PaymentStandardsService for the award. */
@Module({
  imports: [TypeOrmModule.forFeature([PaymentStandard, PaymentStandardTransition, PaymentStandardTransitionYear, Product])],
  controllers: [PaymentStandardsController, ProductPaymentStandardController, ReimbursementController],
  providers: [PaymentStandardsService, ReimbursementService, TransitionStandardsService],
  exports: [PaymentStandardsService],
})
export class ReimbursementModule {}
