import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bid } from './bid.entity';
import { BidAuditSealing } from './bid-audit-sealing';
import { BidSealer } from './bid-sealer';
import { BiddingController } from './bidding.controller';
import { BiddingService } from './bidding.service';

/** The HTTP side of bidding: submission, withdrawal, views, the admin's open request. */
@Module({
  imports: [TypeOrmModule.forFeature([Bid])],
  controllers: [BiddingController],
  providers: [BiddingService, BidSealer, BidAuditSealing],
  exports: [BiddingService],
})
export class BiddingModule {}
