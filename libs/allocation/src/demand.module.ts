import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Batch } from '../../batches/src/batch.entity';
import { BatchItem } from '../../batches/src/batch-item.entity';
import { Organization } from '../../organizations/src/organization.entity';
import { ImportsModule } from '../../spreadsheets/src';
import { DemandImportHandler } from './demand-import.handler';
import { DemandController } from './demand.controller';
import { Demand } from './demand.entity';
import { DemandService } from './demand.service';

/** Hospitals' demand per item × group: set, list, import, template (api.md "Demand"). */
@Module({
  imports: [TypeOrmModule.forFeature([Demand, Batch, BatchItem, Organization]), ImportsModule],
  controllers: [DemandController],
  providers: [DemandService],
  exports: [DemandService],
})
export class DemandModule {}

/** The worker side: the handler of demand import jobs (IMPORTS queue). */
@Module({ imports: [DemandModule], providers: [DemandImportHandler] })
export class DemandWorkerModule {}
