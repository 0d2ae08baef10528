import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '@jicai/batches';
import { ReimbursementModule } from '@jicai/reimbursement';
import { ImportsModule } from '@jicai/spreadsheets';
import { EvaluationController } from './evaluation.controller';
import { EvaluationService } from './evaluation.service';
import { PublicityController } from './publicity.controller';
import { PublicityService } from './publicity.service';
import { RevivalService } from './revival.service';
import { EvaluationProcessor } from './evaluation.processor';
import { TechnicalScore } from './technical-score.entity';
import { TechnicalScoresImportHandler } from './technical-scores.import.handler';
import { Winner } from './winner.entity';
import { WinnerAwardPrices } from './winner.reads';

@Module({
  imports: [TypeOrmModule.forFeature([TechnicalScore, Winner]), BatchesModule, ReimbursementModule, ImportsModule],
  controllers: [EvaluationController, PublicityController],
  providers: [EvaluationService, PublicityService, RevivalService, WinnerAwardPrices],
  exports: [EvaluationService, PublicityService, RevivalService],
})
export class EvaluationModule {}

/** The worker side: the evaluation job, and the handler of technical-score import jobs (IMPORTS queue). */
@Module({ imports: [EvaluationModule, BatchesModule], providers: [EvaluationProcessor, TechnicalScoresImportHandler] })
export class EvaluationWorkerModule {}
