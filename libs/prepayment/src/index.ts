export * from './prepayment.entity';
export * from './prepayment-draw.entity';
export * from './prepayment.queue';
export * from './prepayment.rules';
export * from './prepayment.service';
export * from './activation.service';
export * from './prepayment.module';
export * from './dto/prepayment.responses';
