import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '@jicai/batches';
import { AgreedVolume } from './agreed-volume.entity';
import { Agreement } from './agreement.entity';
import { AgreementsService } from './agreements.service';
import { AllocationController } from './allocation.controller';
import { AllocationProcessor } from './allocation.processor';
import { AllocationRunService } from './allocation-run.service';
import { AllocationService } from './allocation.service';
import { Preference } from './preference.entity';
import { PreferencesController } from './preferences.controller';
import { PreferencesService } from './preferences.service';

const ENTITIES = [Preference, AgreedVolume, Agreement];

/** Preferences, the allocation request, agreements and their confirmation (api.md "Allocation and agreements"). */
@Module({
  imports: [TypeOrmModule.forFeature(ENTITIES), BatchesModule],
  controllers: [PreferencesController, AllocationController],
  providers: [PreferencesService, AllocationService, AgreementsService],
  exports: [PreferencesService, AgreementsService],
})
export class AllocationModule {}

/** The worker side: the allocation job (providers only). */
@Module({
  imports: [TypeOrmModule.forFeature(ENTITIES), BatchesModule],
  providers: [AllocationRunService, AllocationProcessor],
  exports: [AllocationRunService],
})
export class AllocationWorkerModule {}
