import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** An original winner's award UCP (section 15.3: revived winners set no standard), as the award passes it in. */
export interface AwardedUcp {
  itemId: number;
  group: string;
  awardUcp: string;
}

/**
 * Section 9 (zero markup): a product's award in force, read from the winners. Evaluation owns
 * `winners` and sits above reimbursement in the layers, so reimbursement states what it needs
 * here and evaluation provides it (it registers itself at init, in every process that has
 * evaluation).
 */
export interface AwardPriceSource {
  /** Among the product's wins in batches IN_FORCE, the latest award (then the higher batch id), or null. */
  awardInForceOfProduct(m: EntityManager, productId: number): Promise<{ awardPrice: string; batchId: number } | null>;
}

/** Where reimbursement finds the AwardPriceSource evaluation registered. */
@Injectable()
export class AwardPrices {
  private source: AwardPriceSource | null = null;

  register(source: AwardPriceSource): void {
    this.source = source;
  }

  awardInForceOfProduct(m: EntityManager, productId: number): Promise<{ awardPrice: string; batchId: number } | null> {
    if (!this.source) throw new Error('No AwardPriceSource registered: the evaluation module provides it');
    return this.source.awardInForceOfProduct(m, productId);
  }
}
