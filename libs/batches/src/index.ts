export * from './batch.entity';
export * from './batch-item.entity';
export * from './batch-rules.rules';
export * from './batch.queue';
export * from './batches.service';
export * from './batch.reads';
export * from './batches.module';
export * from './dto/batch.responses';
