import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { CoreModule, AuthGuard, ErrorFilter, AuditController, JobsController } from '@jicai/common';
import { DatabaseModule } from '@jicai/database';
import { AllocationModule, DemandModule } from '@jicai/allocation';
import { BatchesModule } from '@jicai/batches';
import { BiddingModule } from '@jicai/bidding';
import { CatalogModule } from '@jicai/catalog';
import { EvaluationModule } from '@jicai/evaluation';
import { OrganizationsModule } from '@jicai/organizations';
import { OnboardingModule } from '@jicai/onboarding';
import { PrepaymentModule } from '@jicai/prepayment';
import { ReimbursementModule } from '@jicai/reimbursement';
import { SettlementModule } from '@jicai/settlement';
import { NotificationsModule } from '@jicai/notifications';
import { OrdersModule } from '@jicai/orders';
import { ExecutionModule } from '@jicai/execution';
import { DashboardsModule } from '@jicai/dashboards';
import { HealthController } from './health.controller';
import { AdminBootstrap } from './admin.bootstrap';

/** The HTTP api: controllers and producers; heavy work goes to the worker through queues. */
@Module({
  imports: [
    CoreModule,
    DatabaseModule,
    NotificationsModule,
    OrganizationsModule,
    OnboardingModule,
    BatchesModule,
    CatalogModule,
    DemandModule,
    BiddingModule,
    EvaluationModule,
    AllocationModule,
    PrepaymentModule,
    ReimbursementModule,
    OrdersModule,
    SettlementModule,
    ExecutionModule,
    DashboardsModule,
  ],
  controllers: [HealthController, AuditController, JobsController],
  providers: [{ provide: APP_GUARD, useClass: AuthGuard }, { provide: APP_FILTER, useClass: ErrorFilter }, AdminBootstrap],
})
export class ApiModule {}
