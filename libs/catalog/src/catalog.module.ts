import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImportsModule } from '@jicai/spreadsheets';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';
import { ProductImportHandler } from './product-import.handler';
import { Product } from './product.entity';

/** Products and their import (api.md "Catalog"). */
@Module({
  imports: [TypeOrmModule.forFeature([Product]), ImportsModule],
  controllers: [CatalogController],
  providers: [CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}

/** The worker side: the handler of product import jobs (IMPORTS queue). */
@Module({ imports: [TypeOrmModule.forFeature([Product])], providers: [ProductImportHandler] })
export class CatalogWorkerModule {}
