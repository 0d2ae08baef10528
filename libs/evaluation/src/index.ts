export * from './winner.entity';
export * from './technical-score.entity';
export * from './evaluation.rules';
export * from './evaluation.queue';
export * from './evaluation.service';
export * from './evaluation.module';
export * from './opened-bids';
