import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AppError, AuditService, Clock, Principal, Role, conflict, forbidden, invalidState, notFound, validationFailed } from '@jicai/common';
import { type Batch, BatchStatus, BatchesService, findBatchItem, publicityEndsAt } from '@jicai/batches';
import { evaluateItemGroup, ruledInvalidBids, writeEvaluationRows, writeRevivalOffers } from './evaluation-rows';
import { technicalScoreFromCriteria, TechnicalCriterion } from './evaluation.rules';
import { openedBids } from '@jicai/bidding';
import { adminOrOwnSupplierRows } from './supplier-scope';
import { NotificationKind, NotificationsService } from '@jicai/notifications';

export type ObjectionStatus = 'OPEN' | 'UPHELD' | 'DISMISSED';
export type FlagStatus = 'FLAGGED' | 'STATEMENT_SUBMITTED' | 'ACCEPTED' | 'RULED_INVALID';

/** What an upheld objection changed: a bid's technical score, or a bid ruled invalid. */
export type ObjectionRuling = { bidId: number; technicalScore: string; criteria: TechnicalCriterion[] } | { bidId: number; invalid: true };

export interface ObjectionView {
  id: number;
  batchId: number;
  itemId: number;
  group: string;
  supplierId: number;
  reason: string;
  attachment: string | null;
  status: ObjectionStatus;
  answerReason: string | null;
  ruling: ObjectionRuling | null;
  filedAt: string;
  answeredAt: string | null;
}

export interface AbnormalLowFlagView {
  bidId: number;
  itemId: number;
  group: string;
  supplierId: number;
  medianUcp: string;
  thresholdUcp: string;
  status: FlagStatus;
  /** The cost statement: only to admins and the bidding supplier. */
  statement?: string | null;
  statementAt: string | null;
  decisionReason: string | null;
  decidedAt: string | null;
}

export interface RuledInvalidView {
  bidId: number;
  itemId: number;
  group: string;
  source: string;
  sourceId: number;
  reason: string;
  ruledAt: string;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Publicity (公示) of a batch: from evaluation until evaluatedAt + publicityDays (domain.md 15.4). */
export function publicityOf(batch: Batch): { endsAt: Date | null; during: (now: Date) => boolean } {
  const endsAt = batch.evaluatedAt ? publicityEndsAt(batch.evaluatedAt, batch.rules.publicityDays) : null;
  return { endsAt, during: (now) => batch.status === BatchStatus.EVALUATED && endsAt !== null && now < endsAt };
}

/**
 * Domain.md 15.4 and 15.5: objections during publicity and their answers, cost statements of
 * abnormally low bids and their decisions, re-evaluation of one item × group, and the checks
 * the award must pass. Every change is audited.
 */
@Injectable()
export class PublicityService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batches: BatchesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  /** POST /batches/:id/objections [supplier that bid in the batch], only during publicity. */
  async fileObjection(actor: Principal, batchId: number, dto: { itemId: number; group: string; reason: string; attachment?: string }): Promise<ObjectionView> {
    return this.dataSource.transaction(async (m) => {
      const batch = await this.batches.lock(m, batchId);
      const bids = (await openedBids(m, batchId)).filter((b) => b.supplierId === actor.organizationId);
      // Only a supplier that bid may object; to others the batch's publicity is not theirs.
      if (bids.length === 0) throw forbidden('Only a supplier that bid in this batch may object to its results');
      if (!publicityOf(batch).during(this.clock.now())) {
        throw conflict(
          'NOT_IN_PUBLICITY',
          `Objections are taken only during publicity (batch ${batch.code} is ${batch.status}, publicity ends ${iso(publicityOf(batch).endsAt)})`,
        );
      }
      const [group] = await m.query('SELECT 1 AS x FROM evaluation_groups WHERE batch_id = ? AND item_id = ? AND group_name = ?', [
        batchId,
        dto.itemId,
        dto.group,
      ]);
      if (!group) {
        throw validationFailed('No such item × group in this batch', [
          { field: 'itemId', message: `item ${dto.itemId} group ${dto.group} is not an evaluated item × group of this batch` },
        ]);
      }
      const now = this.clock.now();
      const res = await m.query(
        'INSERT INTO objections (batch_id, item_id, group_name, supplier_id, filed_by, reason, attachment, status, filed_at) VALUES (?,?,?,?,?,?,?,?,?)',
        [batchId, dto.itemId, dto.group, actor.organizationId, actor.userId, dto.reason.trim(), dto.attachment?.trim() || null, 'OPEN', now],
      );
      const id = Number(res.insertId);
      await this.audit.record(m, {
        actor,
        action: 'objection.file',
        entity: 'objection',
        entityId: id,
        data: { batchId, itemId: dto.itemId, group: dto.group },
      });
      return (await this.objectionRows(m, 'o.id = ?', [id]))[0];
    });
  }

  /** GET /batches/:id/objections: admins all, a supplier its own; others 403. */
  async listObjections(viewer: Principal, batchId: number): Promise<{ items: ObjectionView[]; total: number }> {
    await this.batches.get(batchId);
    return adminOrOwnSupplierRows(viewer, 'o', batchId, (where, params) => this.objectionRows(this.dataSource.manager, where, params));
  }

  /**
   * POST /objections/:id/answer [admin]: DISMISSED with a reason, or UPHELD with a reason and
   * a ruling (a bid of that item × group gets a new technical score, or is ruled invalid),
   * after which that item × group is evaluated again. Only while the batch is EVALUATED.
   */
  async answerObjection(
    actor: Principal,
    objectionId: number,
    dto: { decision: 'UPHELD' | 'DISMISSED'; reason: string; bidId?: number; criteria?: TechnicalCriterion[]; ruleInvalid?: boolean },
  ): Promise<ObjectionView> {
    return this.dataSource.transaction(async (m) => {
      const [o] = await m.query('SELECT id, batch_id AS batchId, item_id AS itemId, group_name AS `group`, status FROM objections WHERE id = ?', [objectionId]);
      if (!o) throw notFound('Objection');
      const batch = await this.batches.lock(m, Number(o.batchId));
      await m.query('SELECT id FROM objections WHERE id = ? FOR UPDATE', [objectionId]);
      const [cur] = await m.query('SELECT status FROM objections WHERE id = ?', [objectionId]);
      if (cur.status !== 'OPEN') throw invalidState(`Objection ${objectionId} was already answered (${cur.status})`);
      if (batch.status !== BatchStatus.EVALUATED) throw invalidState(`Batch ${batch.code} is ${batch.status}; objections are answered before award`);
      const itemId = Number(o.itemId);
      let ruling: ObjectionRuling | null = null;
      if (dto.decision === 'UPHELD') {
        ruling = await this.applyRuling(m, actor, batch, itemId, o.group, dto, { source: 'OBJECTION', sourceId: objectionId });
      } else if (dto.bidId !== undefined || dto.criteria !== undefined || dto.ruleInvalid !== undefined) {
        throw validationFailed('A dismissal changes nothing', [{ field: 'decision', message: 'bidId, criteria and ruleInvalid go only with UPHELD' }]);
      }
      await m.query('UPDATE objections SET status = ?, answer_reason = ?, ruling = ?, answered_by = ?, answered_at = ? WHERE id = ?', [
        dto.decision,
        dto.reason.trim(),
        ruling ? JSON.stringify(ruling) : null,
        actor.userId,
        this.clock.now(),
        objectionId,
      ]);
      await this.audit.record(m, {
        actor,
        action: 'objection.answer',
        entity: 'objection',
        entityId: objectionId,
        data: { batchId: batch.id, decision: dto.decision, ruling },
      });
      const answered = (await this.objectionRows(m, 'o.id = ?', [objectionId]))[0];
      // The objecting supplier alone; an objection is answered once, so once per objection.
      await this.notifications.notify(m, [answered.supplierId], {
        kind: NotificationKind.OBJECTION_ANSWERED,
        message: `Batch ${batch.code}: your objection ${objectionId} (item ${itemId}, group ${o.group}) was ${dto.decision}: ${dto.reason.trim()}`,
        entity: 'objection',
        entityId: objectionId,
        batchId: batch.id,
        dedupeKey: `objection-answered:${objectionId}`,
      });
      return answered;
    });
  }

  /** An upheld objection's ruling on one bid of the item × group, then its re-evaluation. */
  private async applyRuling(
    m: EntityManager,
    actor: Principal,
    batch: Batch,
    itemId: number,
    group: string,
    dto: { bidId?: number; criteria?: TechnicalCriterion[]; ruleInvalid?: boolean; reason: string },
    source: { source: 'OBJECTION'; sourceId: number },
  ): Promise<ObjectionRuling> {
    const bothOrNeither = (dto.criteria !== undefined) === (dto.ruleInvalid === true);
    if (dto.bidId === undefined || bothOrNeither) {
      throw validationFailed('An upheld objection names a bid and either its new criteria or ruleInvalid: true', [
        { field: dto.bidId === undefined ? 'bidId' : 'criteria', message: 'UPHELD needs bidId and exactly one of criteria, ruleInvalid' },
      ]);
    }
    const [r] = await m.query('SELECT bid_id FROM evaluation_results WHERE bid_id = ? AND batch_id = ? AND item_id = ? AND group_name = ?', [
      dto.bidId,
      batch.id,
      itemId,
      group,
    ]);
    if (!r)
      throw validationFailed('The bid is not a valid bid of the item × group objected to', [
        { field: 'bidId', message: `bid ${dto.bidId} is not in item ${itemId} group ${group}` },
      ]);
    if (dto.ruleInvalid) {
      await this.ruleInvalid(m, actor, batch, dto.bidId, itemId, group, source.source, source.sourceId, dto.reason);
      await this.reevaluate(m, actor, batch, itemId, group);
      return { bidId: dto.bidId, invalid: true };
    }
    const ts = technicalScoreFromCriteria(dto.criteria!, batch.rules.technicalWeight);
    if (!ts.ok) throw validationFailed('Technical score is not valid', ts.errors);
    await m.query('UPDATE technical_scores SET technical_score = ?, criteria = ?, scored_by = ?, scored_at = ? WHERE bid_id = ?', [
      ts.technicalScore,
      JSON.stringify(dto.criteria),
      actor.userId,
      this.clock.now(),
      dto.bidId,
    ]);
    await m.query('INSERT IGNORE INTO technical_scores (bid_id, batch_id, technical_score, criteria, scored_by, scored_at) VALUES (?,?,?,?,?,?)', [
      dto.bidId,
      batch.id,
      ts.technicalScore,
      JSON.stringify(dto.criteria),
      actor.userId,
      this.clock.now(),
    ]);
    await this.audit.record(m, {
      actor,
      action: 'bid.technical-score',
      entity: 'bid',
      entityId: dto.bidId,
      data: { batchId: batch.id, technicalScore: ts.technicalScore, objectionId: source.sourceId },
    });
    await this.reevaluate(m, actor, batch, itemId, group);
    return { bidId: dto.bidId, technicalScore: ts.technicalScore, criteria: dto.criteria! };
  }

  private async ruleInvalid(
    m: EntityManager,
    actor: Principal,
    batch: Batch,
    bidId: number,
    itemId: number,
    group: string,
    source: string,
    sourceId: number,
    reason: string,
  ) {
    await m.query(
      'INSERT INTO ruled_invalid_bids (bid_id, batch_id, item_id, group_name, source, source_id, reason, ruled_by, ruled_at) VALUES (?,?,?,?,?,?,?,?,?)',
      [bidId, batch.id, itemId, group, source, sourceId, reason.trim(), actor.userId, this.clock.now()],
    );
    await this.audit.record(m, {
      actor,
      action: 'bid.ruled-invalid',
      entity: 'bid',
      entityId: bidId,
      data: { batchId: batch.id, itemId, group, source, sourceId },
    });
  }

  /** Section 5 again for one item × group, leaving out the bids ruled invalid; audited with the new winners. */
  async reevaluate(m: EntityManager, actor: Principal, batch: Batch, itemId: number, group: string): Promise<void> {
    const item = await findBatchItem(m, batch.id, itemId);
    if (!item) throw new Error(`item ${itemId} of batch ${batch.id} is missing`);
    const excluded = await ruledInvalidBids(m, batch.id);
    const bids = (await openedBids(m, batch.id)).filter((b) => b.itemId === itemId && b.group === group && !excluded.has(b.bidId));
    const scores = new Map<number, string>(
      (await m.query('SELECT bid_id AS bidId, technical_score AS ts FROM technical_scores WHERE batch_id = ?', [batch.id])).map((r: any) => [
        Number(r.bidId),
        r.ts,
      ]),
    );
    const one = evaluateItemGroup(batch, item, group, bids, scores);
    await m.query('DELETE FROM evaluation_results WHERE batch_id = ? AND item_id = ? AND group_name = ?', [batch.id, itemId, group]);
    await m.query('DELETE FROM evaluation_groups WHERE batch_id = ? AND item_id = ? AND group_name = ?', [batch.id, itemId, group]);
    await writeEvaluationRows(m, [one.groupRow], one.resultRows, one.flagRows, this.clock.now());
    await writeRevivalOffers(m, batch, itemId, group, one.evaluated, bids, this.clock.now());
    const winners = one.resultRows.filter((r) => r[13] === 1).map((r) => r[0]);
    await this.audit.record(m, {
      actor,
      action: 'evaluation.reevaluate',
      entity: 'batch',
      entityId: batch.id,
      data: { itemId, group, bids: bids.length, winners },
    });
  }

  /** POST /bids/:id/cost-statement [supplier, own flagged bid], during publicity (15.5). */
  async submitCostStatement(actor: Principal, bidId: number, statement: string): Promise<AbnormalLowFlagView> {
    return this.dataSource.transaction(async (m) => {
      const flag = await this.lockedFlag(m, bidId);
      if (Number(flag.supplierId) !== actor.organizationId) throw notFound('Abnormally low bid');
      const batch = await this.batches.lock(m, Number(flag.batchId));
      if (!publicityOf(batch).during(this.clock.now())) throw conflict('NOT_IN_PUBLICITY', 'A cost statement is submitted during publicity');
      if (flag.status !== 'FLAGGED' && flag.status !== 'STATEMENT_SUBMITTED') throw invalidState(`The flag was already decided (${flag.status})`);
      await m.query('UPDATE abnormal_low_flags SET status = ?, statement = ?, statement_at = ? WHERE bid_id = ?', [
        'STATEMENT_SUBMITTED',
        statement.trim(),
        this.clock.now(),
        bidId,
      ]);
      await this.audit.record(m, { actor, action: 'bid.cost-statement', entity: 'bid', entityId: bidId, data: { batchId: batch.id } });
      return (await this.flagRows(m, 'f.bid_id = ?', [bidId], true))[0];
    });
  }

  /**
   * POST /bids/:id/cost-statement/decision [admin]: ACCEPTED (a statement was submitted) or
   * RULED_INVALID (with or without one; then its item × group is evaluated again).
   */
  async decideCostStatement(actor: Principal, bidId: number, dto: { decision: 'ACCEPTED' | 'RULED_INVALID'; reason: string }): Promise<AbnormalLowFlagView> {
    return this.dataSource.transaction(async (m) => {
      const flag = await this.lockedFlag(m, bidId);
      const batch = await this.batches.lock(m, Number(flag.batchId));
      if (batch.status !== BatchStatus.EVALUATED) throw invalidState(`Batch ${batch.code} is ${batch.status}; cost statements are decided before award`);
      if (flag.status === 'ACCEPTED' || flag.status === 'RULED_INVALID') throw invalidState(`The flag was already decided (${flag.status})`);
      if (dto.decision === 'ACCEPTED' && flag.status !== 'STATEMENT_SUBMITTED') {
        throw conflict('NO_COST_STATEMENT', 'No cost statement was submitted: the bid can only be ruled invalid');
      }
      await m.query('UPDATE abnormal_low_flags SET status = ?, decision_reason = ?, decided_by = ?, decided_at = ? WHERE bid_id = ?', [
        dto.decision,
        dto.reason.trim(),
        actor.userId,
        this.clock.now(),
        bidId,
      ]);
      await this.audit.record(m, {
        actor,
        action: 'bid.cost-statement.decide',
        entity: 'bid',
        entityId: bidId,
        data: { batchId: batch.id, decision: dto.decision },
      });
      if (dto.decision === 'RULED_INVALID') {
        await this.ruleInvalid(m, actor, batch, bidId, Number(flag.itemId), flag.group, 'ABNORMAL_LOW', bidId, dto.reason);
        await this.reevaluate(m, actor, batch, Number(flag.itemId), flag.group);
      }
      return (await this.flagRows(m, 'f.bid_id = ?', [bidId], true))[0];
    });
  }

  /** GET /batches/:id/abnormal-low-bids: admins all (with statements), a supplier its own. */
  async listFlags(viewer: Principal, batchId: number): Promise<{ items: AbnormalLowFlagView[]; total: number }> {
    await this.batches.get(batchId);
    let items: AbnormalLowFlagView[];
    if (viewer.role === Role.ADMIN) items = await this.flagRows(this.dataSource.manager, 'f.batch_id = ?', [batchId], true);
    else if (viewer.role === Role.SUPPLIER)
      items = await this.flagRows(this.dataSource.manager, 'f.batch_id = ? AND f.supplier_id = ?', [batchId, viewer.organizationId], true);
    else throw forbidden();
    return { items, total: items.length };
  }

  /**
   * Section 15.4: the award waits for the end of publicity, every objection answered and
   * every abnormally low bid decided (409 PUBLICITY_NOT_OVER, OBJECTIONS_OPEN, COST_STATEMENTS_OPEN).
   */
  async assertAwardable(m: EntityManager, batch: Batch): Promise<void> {
    const { endsAt } = publicityOf(batch);
    if (endsAt && this.clock.now() < endsAt) {
      throw new AppError(409, 'PUBLICITY_NOT_OVER', `Publicity of batch ${batch.code} ends ${endsAt.toISOString()}`, [
        { field: 'publicityEndsAt', message: endsAt.toISOString() },
      ]);
    }
    const open = await m.query("SELECT id FROM objections WHERE batch_id = ? AND status = 'OPEN' ORDER BY id", [batch.id]);
    if (open.length) {
      throw new AppError(
        409,
        'OBJECTIONS_OPEN',
        `${open.length} objection(s) are not answered`,
        open.map((o: any) => ({ field: `objections[${o.id}]`, message: 'not answered' })),
      );
    }
    const undecided = await m.query(
      "SELECT bid_id AS bidId FROM abnormal_low_flags WHERE batch_id = ? AND status IN ('FLAGGED','STATEMENT_SUBMITTED') ORDER BY bid_id",
      [batch.id],
    );
    if (undecided.length) {
      throw new AppError(
        409,
        'COST_STATEMENTS_OPEN',
        `${undecided.length} abnormally low bid(s) are not decided`,
        undecided.map((f: any) => ({ field: `bids[${f.bidId}]`, message: 'abnormally low, not decided' })),
      );
    }
  }

  /** For the results view: objections per item × group (admins all; a supplier its own) and flags per bid. */
  async resultAnnotations(viewer: Principal, batchId: number) {
    const objections =
      viewer.role === Role.ADMIN
        ? await this.objectionRows(this.dataSource.manager, 'o.batch_id = ?', [batchId])
        : viewer.role === Role.SUPPLIER
          ? await this.objectionRows(this.dataSource.manager, 'o.batch_id = ? AND o.supplier_id = ?', [batchId, viewer.organizationId])
          : [];
    const flags = await this.flagRows(this.dataSource.manager, 'f.batch_id = ?', [batchId], false);
    const invalid: any[] = await this.dataSource.query(
      'SELECT bid_id AS bidId, item_id AS itemId, group_name AS `group`, source, source_id AS sourceId, reason, ruled_at AS ruledAt FROM ruled_invalid_bids WHERE batch_id = ? ORDER BY bid_id',
      [batchId],
    );
    return {
      objections,
      flags: new Map(flags.map((f) => [f.bidId, f])),
      ruledInvalid: invalid.map((r): RuledInvalidView => ({
        bidId: Number(r.bidId),
        itemId: Number(r.itemId),
        group: r.group as string,
        source: r.source as string,
        sourceId: Number(r.sourceId),
        reason: r.reason as string,
        ruledAt: iso(r.ruledAt)!,
      })),
    };
  }

  private async lockedFlag(m: EntityManager, bidId: number) {
    const [flag] = await m.query(
      'SELECT bid_id AS bidId, batch_id AS batchId, item_id AS itemId, group_name AS `group`, supplier_id AS supplierId, status FROM abnormal_low_flags WHERE bid_id = ? FOR UPDATE',
      [bidId],
    );
    if (!flag) throw notFound('Abnormally low bid');
    return flag;
  }

  private async objectionRows(m: EntityManager, where: string, params: unknown[]): Promise<ObjectionView[]> {
    const rows = await m.query(
      `SELECT o.id, o.batch_id AS batchId, o.item_id AS itemId, o.group_name AS \`group\`, o.supplier_id AS supplierId, o.reason, o.attachment, o.status,
              o.answer_reason AS answerReason, o.ruling, o.filed_at AS filedAt, o.answered_at AS answeredAt
       FROM objections o WHERE ${where} ORDER BY o.id`,
      params,
    );
    return rows.map((r: any) => ({
      id: Number(r.id),
      batchId: Number(r.batchId),
      itemId: Number(r.itemId),
      group: r.group,
      supplierId: Number(r.supplierId),
      reason: r.reason,
      attachment: r.attachment,
      status: r.status,
      answerReason: r.answerReason,
      ruling: r.ruling ? JSON.parse(r.ruling) : null,
      filedAt: iso(r.filedAt)!,
      answeredAt: iso(r.answeredAt),
    }));
  }

  private async flagRows(m: EntityManager, where: string, params: unknown[], withStatement: boolean): Promise<AbnormalLowFlagView[]> {
    const rows = await m.query(
      `SELECT f.bid_id AS bidId, f.item_id AS itemId, f.group_name AS \`group\`, f.supplier_id AS supplierId, f.median_ucp AS medianUcp,
              f.threshold_ucp AS thresholdUcp, f.status, f.statement, f.statement_at AS statementAt, f.decision_reason AS decisionReason, f.decided_at AS decidedAt
       FROM abnormal_low_flags f WHERE ${where} ORDER BY f.bid_id`,
      params,
    );
    return rows.map((r: any) => ({
      bidId: Number(r.bidId),
      itemId: Number(r.itemId),
      group: r.group,
      supplierId: Number(r.supplierId),
      medianUcp: r.medianUcp,
      // DECIMAL(30,8) as stored; the bound itself has at most 8 decimals (15.5).
      thresholdUcp: r.thresholdUcp,
      status: r.status,
      ...(withStatement ? { statement: r.statement } : {}),
      statementAt: iso(r.statementAt),
      decisionReason: r.decisionReason,
      decidedAt: iso(r.decidedAt),
    }));
  }
}
