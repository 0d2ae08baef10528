import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ImportsModule } from '@jicai/spreadsheets';
import { DemandImportHandler } from './demand-import.handler';
import { DemandController } from './demand.controller';
import { Demand } from './demand.entity';
import { DemandService } from './demand.service';

/** Hospitals' demand per item × group: set, list, import, template (api.md "Demand"). */
@Module({
  imports: [TypeOrmModule.forFeature([Demand]), ImportsModule],
  controllers: [DemandController],
  providers: [DemandService],
  exports: [DemandService],
})
export class DemandModule {}

/** The worker side: the handler of demand import jobs (IMPORTS queue). */
@Module({ imports: [DemandModule], providers: [DemandImportHandler] })
export class DemandWorkerModule {}
