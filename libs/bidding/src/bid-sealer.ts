import { Injectable } from '@nestjs/common';
import { AppConfig } from '@jicai/common';
import { BidCheck, BidIdentity, BidKeys, SealedBid, bidKeys, nonceOf, openForOwner, sealBid, verifySealedBid } from './bid-integrity';

/** The bid keys of this deployment (BID_SEALING_KEY), held in memory only. */
@Injectable()
export class BidSealer {
  private readonly keys: BidKeys;

  constructor(config: AppConfig) {
    this.keys = bidKeys(config.bidSealingKey);
  }

  seal(id: BidIdentity, packPrice: string, supplyCapacity: number): SealedBid {
    return sealBid(this.keys, id, packPrice, supplyCapacity);
  }

  verify(id: BidIdentity, ciphertext: string, receipt: string): BidCheck {
    return verifySealedBid(this.keys, id, ciphertext, receipt);
  }

  openForOwner(id: BidIdentity, ciphertext: string) {
    return openForOwner(this.keys, id, ciphertext);
  }

  nonceOf(nonceSalt: string): string {
    return nonceOf(this.keys.nonceKey, nonceSalt);
  }
}
