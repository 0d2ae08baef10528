import { Module } from '@nestjs/common';
import { OrganizationsModule } from '@jicai/organizations';
import { ImportsModule } from '@jicai/spreadsheets';
import { OnboardingController } from './onboarding.controller';
import { OrganizationImportHandler } from './organization-import.handler';
import { OrganizationImportService } from './organization-import.service';

/**
 * Bulk onboarding: organisations and their first users by spreadsheet. A library of its
 * own because organizations sits below spreadsheets in the layers; the tables stay the
 * organizations module's, written through its set-based methods.
 */
@Module({
  imports: [OrganizationsModule, ImportsModule],
  controllers: [OnboardingController],
  providers: [OrganizationImportService],
})
export class OnboardingModule {}

/** The worker side: the handler of organisation import jobs. */
@Module({ imports: [OrganizationsModule], providers: [OrganizationImportHandler] })
export class OnboardingWorkerModule {}
