import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditEntryToSeal, AuditSealingPolicy, AuditService, SealDecision } from '@jicai/common';
import { batchesByIds } from '@jicai/batches';

/** The bid entries written before opening: they name the bidder (actor) and its product. */
const SEALED_ACTIONS = new Set(['bid.submit', 'bid.replace', 'bid.withdraw']);

/**
 * Pure part of the bid sealing policy (domain.md sections 4 and 11): a bid entry written
 * while bidding is open is sealed under its batch, with its actor, its product and the
 * version it replaces (which would link two bids of one supplier). Item, group and receipt
 * stay public: counts per item × group are public anyway, and the receipt commits to a
 * secret nonce.
 */
export function bidEntrySeal(e: AuditEntryToSeal): SealDecision | null {
  if (e.entity !== 'bid' || !SEALED_ACTIONS.has(e.action)) return null;
  const batchId = Number(e.data.batchId);
  if (!Number.isSafeInteger(batchId) || batchId <= 0) throw new Error(`bid audit entry ${e.entityId} has no batchId; it cannot be sealed`);
  return { scope: String(batchId), sealedKeys: ['productId', 'supplierId', 'replaces'] };
}

/** Registers the bid policy with the audit log at init, in every process that has bidding. */
@Injectable()
export class BidAuditSealing implements AuditSealingPolicy, OnModuleInit {
  readonly name = 'bid';

  constructor(
    private readonly audit: AuditService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.audit.registerSealingPolicy(this);
  }

  sealOf(e: AuditEntryToSeal): SealDecision | null {
    return bidEntrySeal(e);
  }

  /** A batch's bid entries open with its bids: once the batch has an openedAt. */
  async openScopes(scopes: readonly string[]): Promise<ReadonlySet<string>> {
    const ids = scopes.map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);
    if (ids.length === 0) return new Set();
    const batches = await batchesByIds(this.dataSource.manager, ids);
    return new Set([...batches.values()].filter((b) => b.openedAt !== null).map((b) => String(b.id)));
  }
}
