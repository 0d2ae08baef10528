import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { ImportProcessor } from './import-jobs.processor';
import { ImportHandlers, ImportRunner } from './import-jobs.runner';
import { ImportJobsService } from './import-jobs.service';

/** The api side of imports: ImportJobsService.enqueueImport for the modules' import endpoints. */
@Module({ providers: [ImportJobsService], exports: [ImportJobsService] })
export class ImportsModule {}

/**
 * The worker side: the IMPORTS processor and the runner. The handlers come from the
 * modules' worker modules (@ImportHandlerFor), which the worker imports beside this one.
 */
@Module({ imports: [DiscoveryModule], providers: [ImportHandlers, ImportRunner, ImportProcessor] })
export class ImportsWorkerModule {}
