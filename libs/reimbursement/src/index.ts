export * from './payment-standard.entity';
export * from './reimbursement.rules';
export * from './payment-standards.service';
export * from './reimbursement.service';
export * from './reimbursement.module';
export * from './dto/reimbursement.responses';
