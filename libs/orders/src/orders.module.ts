import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImportsModule } from '@jicai/spreadsheets';
import { OrderImportHandler, OrderImportService } from './order-import.service';
import { OrdersController } from './orders.controller';
import { OrdersService } from './orders.service';
import { PurchaseOrder } from './purchase-order.entity';

/** Purchase orders over HTTP; OrdersService is exported for settlement (deliveries draw on order lines). */
@Module({
  imports: [TypeOrmModule.forFeature([PurchaseOrder]), ImportsModule],
  controllers: [OrdersController],
  providers: [OrdersService, OrderImportService],
  exports: [OrdersService],
})
export class OrdersModule {}

/** The service alone (for modules that draw on order lines without serving HTTP). */
@Module({
  imports: [TypeOrmModule.forFeature([PurchaseOrder])],
  providers: [OrdersService],
  exports: [OrdersService],
})
export class OrdersCoreModule {}

/** The worker side: the handler of order import jobs (IMPORTS queue). */
@Module({ providers: [OrderImportHandler] })
export class OrdersWorkerModule {}
