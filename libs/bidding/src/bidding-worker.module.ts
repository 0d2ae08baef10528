import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '@jicai/batches';
import { Bid } from './bid.entity';
import { BidAuditSealing } from './bid-audit-sealing';
import { BidSealer } from './bid-sealer';
import { OpeningProcessor } from './opening.processor';
import { OpeningService } from './opening.service';

/** The worker side of bidding: the OPENING queue's processor (close bidding, open bids). */
@Module({
  imports: [TypeOrmModule.forFeature([Bid]), BatchesModule],
  providers: [OpeningService, OpeningProcessor, BidSealer, BidAuditSealing],
  exports: [OpeningService],
})
export class BiddingWorkerModule {}
