import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../../batches/src/batches.module';
import { ReimbursementModule } from '../../reimbursement/src/reimbursement.module';
import { EvaluationController } from './evaluation.controller';
import { EvaluationService } from './evaluation.service';
import { EvaluationProcessor } from './evaluation.processor';
import { TechnicalScore } from './technical-score.entity';
import { Winner } from './winner.entity';

@Module({
  imports: [TypeOrmModule.forFeature([TechnicalScore, Winner]), BatchesModule, ReimbursementModule],
  controllers: [EvaluationController],
  providers: [EvaluationService],
  exports: [EvaluationService],
})
export class EvaluationModule {}

/** The worker side: the evaluation job. */
@Module({ imports: [EvaluationModule], providers: [EvaluationProcessor] })
export class EvaluationWorkerModule {}
