export * from './bid.entity';
export * from './bid.views';
export * from './bid-integrity';
export * from './bidding.rules';
export * from './bidding-window.rules';
export * from './sealing';
export * from './bidding.service';
export * from './bidding.module';
