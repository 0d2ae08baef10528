import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AwardPrices } from './award-prices';
import { PaymentStandard } from './payment-standard.entity';
import { PaymentStandardTransition, PaymentStandardTransitionYear } from './payment-standard-transition.entity';
import { TransitionStandardsService } from './transition-standards.service';
import { PaymentStandardsService } from './payment-standards.service';
import { PaymentStandardsController, ProductPaymentStandardController, ReimbursementController } from './reimbursement.controller';
import { ReimbursementService } from './reimbursement.service';

/** Payment standards and claim quotes (section 9). Exports PaymentStandardsService for the award and AwardPrices, where evaluation registers the award prices in force. */
@Module({
  imports: [TypeOrmModule.forFeature([PaymentStandard, PaymentStandardTransition, PaymentStandardTransitionYear])],
  controllers: [PaymentStandardsController, ProductPaymentStandardController, ReimbursementController],
  providers: [PaymentStandardsService, ReimbursementService, TransitionStandardsService, AwardPrices],
  exports: [PaymentStandardsService, AwardPrices],
})
export class ReimbursementModule {}
