import { Injectable } from '@nestjs/common';
import { AppConfig } from '@jicai/common';
import { BidCheck, BidIdentity, BidKeys, SealedBid, bidKeys, nonceFor, openForOwner, sealBid, verifySealedBid } from './bid-integrity';

/** The bid keys of this deployment (BID_SEALING_KEY / BID_SEALING_KEYS), held in memory only. */
@Injectable()
export class BidSealer {
  private readonly keys: BidKeys;

  constructor(config: AppConfig) {
    this.keys = bidKeys(config.bidSealingKeyRing);
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

  /** The bid's nonce, under the key its ciphertext names; null if that key is not configured. */
  nonceOf(ciphertext: string, nonceSalt: string): string | null {
    return nonceFor(this.keys, ciphertext, nonceSalt);
  }
}
