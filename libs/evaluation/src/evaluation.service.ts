import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuditService,
  Principal,
  Role,
  Clock,
  AppError,
  forbidden,
  invalidState,
  notFound,
  validationFailed,
  JobsService,
  requesterOf,
  QueueName,
  Dec,
  Page,
} from '@jicai/common';
import { type Batch, BatchStatus, BatchesService, itemsOfBatch } from '@jicai/batches';
import { namesOf } from '@jicai/catalog';
import { PaymentStandardsService } from '@jicai/reimbursement';
import { EvaluatedBid, technicalScoreFromCriteria, TechnicalCriterion } from './evaluation.rules';
import { evaluateItemGroup, insertRows, ruledInvalidBids, writeEvaluationRows, writeRevivalOffers } from './evaluation-rows';
import { RevivalOfferView, RevivalService } from './revival.service';
import { AbnormalLowFlagView, ObjectionView, PublicityService, publicityOf } from './publicity.service';
import { EVALUATE_JOB, EvaluateJobPayload, evaluateJobId } from './evaluation.queue';
import { batchIdOfBid, biddingSuppliersQuery, OpenedBid, openedBids } from '@jicai/bidding';
import { NotificationKind, NotificationsService } from '@jicai/notifications';
import { buildTemplate, ExportSheet, ImportAccepted, ImportJobsService, runImport } from '@jicai/spreadsheets';
import { ResultExportRow, resultsSheet } from './results.export';
import { originalAwardUcps } from './winner.reads';
import { TechnicalScoreView, technicalScoresOf } from './technical-scores.view';
import {
  criteriaByBid,
  MAX_TECHNICAL_SCORE_IMPORT_ROWS,
  TECHNICAL_SCORE_COLUMNS,
  TECHNICAL_SCORES_IMPORT_KIND,
  TechnicalScoreImportRow,
  TechnicalScoreRow,
} from './technical-scores.import';

const AFTER_EVALUATION = [BatchStatus.EVALUATED, BatchStatus.AWARDED, BatchStatus.ALLOCATED, BatchStatus.IN_FORCE, BatchStatus.COMPLETED];
const AFTER_AWARD = [BatchStatus.AWARDED, BatchStatus.ALLOCATED, BatchStatus.IN_FORCE, BatchStatus.COMPLETED];

export interface ResultBid {
  bidId: number;
  supplierId: number;
  /** Names beside the ids (results are shown only after opening, so every bidder is known). */
  supplierName: string;
  productId: number;
  productName: string;
  productSpec: string;
  packPrice: string;
  unitComparablePrice: string;
  technicalScore: string;
  priceScore: string;
  compositeScore: string;
  rank: number;
  gated: boolean;
  /** Section 15.1/15.2: RATIO, REDUCTION, FLOOR or NO_GATE; null when it failed every gate. */
  gatePassedBy: string | null;
  winner: boolean;
  /** Section 15.5: the flag when the bid is abnormally low (its cost statement is not shown here). */
  abnormalLow: AbnormalLowFlagView | null;
  /** Section 15.3: the revival offer made to the bid, and its answer. */
  revival: RevivalOfferView | null;
}

export interface ResultGroup {
  itemId: number;
  group: string;
  bidCount: number;
  noBid: boolean;
  /** Section 15.1: what the ratio gate was measured from; the floor that applied (15.2). */
  anchorUcp: string | null;
  gateFloor: string | null;
  bids: ResultBid[];
  winners: number[];
  /** Section 15.4: objections to this item × group (admins: all; a supplier: its own). */
  objections: ObjectionView[];
  /** Bids left out of the evaluation after it: ruled invalid by an upheld objection or a cost-statement decision. */
  ruledInvalid: { bidId: number; source: string; sourceId: number; reason: string; ruledAt: string }[];
}

export interface ResultsView {
  batchId: number;
  status: BatchStatus;
  /** Section 15.4: end of publicity (null before evaluation). */
  publicityEndsAt: string | null;
  items: ResultGroup[];
}

@Injectable()
export class EvaluationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly batches: BatchesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
    private readonly paymentStandards: PaymentStandardsService,
    private readonly imports: ImportJobsService,
    private readonly publicity: PublicityService,
    private readonly revival: RevivalService,
    private readonly notifications: NotificationsService,
  ) {}

  /** PUT /bids/:id/technical-score: section 5, a sum of criteria points within their maxima. */
  async setTechnicalScore(actor: Principal, bidId: number, criteria: TechnicalCriterion[]) {
    return this.dataSource.transaction(async (m) => {
      const bid = await this.findOpenedBid(m, bidId);
      const batch = await this.batches.lock(m, bid.batchId);
      if (batch.status !== BatchStatus.OPENED) throw invalidState(`Technical scores can be entered only while the batch is OPENED; it is ${batch.status}`);
      const technicalScore = this.scoreOf(criteria, batch.rules.technicalWeight);
      await this.upsertScores(m, actor, batch.id, [{ bidId, technicalScore, criteria }]);
      await this.audit.record(m, { actor, action: 'bid.technical-score', entity: 'bid', entityId: bidId, data: { batchId: batch.id, technicalScore } });
      return { bidId, technicalScore };
    });
  }

  scoreOf(criteria: TechnicalCriterion[], technicalWeight: string, rowPrefix?: (field: string) => { row?: number; column?: string; field?: string }): string {
    const r = technicalScoreFromCriteria(criteria, technicalWeight);
    if (!r.ok) {
      throw validationFailed(
        'Technical score is not valid',
        r.errors.map((e) => ({ ...(rowPrefix ? rowPrefix(e.field) : { field: e.field }), message: e.message })),
      );
    }
    return r.technicalScore;
  }

  async upsertScores(
    m: EntityManager,
    actor: Principal | null,
    batchId: number,
    rows: { bidId: number; technicalScore: string; criteria: TechnicalCriterion[] }[],
  ): Promise<void> {
    const now = this.clock.now();
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      await m.query(
        `INSERT INTO technical_scores (bid_id, batch_id, technical_score, criteria, scored_by, scored_at) VALUES ${chunk.map(() => '(?,?,?,?,?,?)').join(',')}
         ON DUPLICATE KEY UPDATE technical_score = VALUES(technical_score), criteria = VALUES(criteria), scored_by = VALUES(scored_by), scored_at = VALUES(scored_at)`,
        chunk.flatMap((r) => [r.bidId, batchId, r.technicalScore, JSON.stringify(r.criteria), actor?.userId ?? null, now]),
      );
    }
  }

  /**
   * POST /batches/:id/technical-scores/import: one row per criterion of a bid; all or
   * nothing, every bad row reported (400, domain.md 12). A clean file goes to an import
   * job (TECHNICAL_SCORES_IMPORT_KIND) that gives each bid in the file exactly the
   * criteria listed for it: 202 {jobId, rows}.
   */
  async importTechnicalScores(actor: Principal, batchId: number, file: Buffer): Promise<ImportAccepted> {
    const { batch } = await this.batches.get(batchId);
    if (batch.status !== BatchStatus.OPENED) throw invalidState(`Technical scores can be imported only while the batch is OPENED; it is ${batch.status}`);
    const opened = new Set((await openedBids(this.dataSource, batchId)).map((b) => b.bidId));
    const rows = await runImport<TechnicalScoreRow>(file, TECHNICAL_SCORE_COLUMNS, { maxRows: MAX_TECHNICAL_SCORE_IMPORT_ROWS }, (rows, errors) => {
      for (const { row, value } of rows) if (!opened.has(value.bidId)) errors.add(row, 'bidId', `bid ${value.bidId} is not an opened bid of this batch`);
      for (const [bidId, { rows: rowNumbers, criteria }] of criteriaByBid(rows, errors)) {
        if (!opened.has(bidId)) continue;
        const r = technicalScoreFromCriteria(criteria, batch.rules.technicalWeight);
        if (!r.ok) {
          for (const e of r.errors) {
            const m = /^criteria\[(\d+)\]\.(\w+)$/.exec(e.field);
            errors.add(m ? rowNumbers[Number(m[1])] : rowNumbers[0], m ? m[2] : 'points', `bid ${bidId}: ${e.message}`);
          }
        }
      }
    });
    const valid: TechnicalScoreImportRow[] = rows.map(({ row, value: v }) => ({
      row,
      bidId: v.bidId,
      criterion: v.criterion,
      points: v.points,
      maxPoints: v.maxPoints,
    }));
    return this.imports.enqueueImport(TECHNICAL_SCORES_IMPORT_KIND, actor, valid, { batchId });
  }

  /**
   * GET /batches/:id/technical-scores (admin): every opened bid with its stored score and
   * criteria (null and [] until scored), readable as soon as the batch is opened, before
   * and after evaluation.
   */
  async technicalScores(batchId: number, page: { limit: number; offset: number }): Promise<Page<TechnicalScoreView>> {
    await this.batches.get(batchId);
    return technicalScoresOf(this.dataSource.manager, batchId, page);
  }

  /**
   * The template lists every opened bid of the batch, with its item, group and supplier
   * (ids and names): one row per stored criterion of a scored bid (so the file sent back
   * unchanged keeps the scores), one row with the criterion to fill in for a bid not yet
   * scored.
   */
  async technicalScoreTemplate(batchId: number): Promise<Buffer> {
    const { batch } = await this.batches.get(batchId);
    const { items } = batch.status === BatchStatus.OPENED ? await technicalScoresOf(this.dataSource.manager, batchId) : { items: [] };
    const rows = items.flatMap((b) => {
      const context = [b.itemId, b.genericName, b.group, b.supplierId, b.supplierName];
      if (!b.criteria.length) return [[b.bidId, null, null, null, ...context]];
      return b.criteria.map((c) => [b.bidId, c.name, c.points, c.maxPoints, ...context]);
    });
    return buildTemplate({
      sheetName: 'TechnicalScores',
      columns: TECHNICAL_SCORE_COLUMNS,
      rows,
      notes: [
        `Technical scores of batch ${batch.code}: one row per criterion of a bid (copy a bid's row for each criterion). Scores already stored are filled in.`,
        `Each criterion's points must be within its maxPoints; a bid's total within technicalWeight ${batch.rules.technicalWeight}.`,
      ],
    });
  }

  private async findOpenedBid(m: EntityManager, bidId: number): Promise<OpenedBid> {
    const batchId = await batchIdOfBid(m, bidId);
    if (batchId === null) throw notFound('Bid');
    const bid = (await openedBids(m, batchId)).find((b) => b.bidId === bidId);
    if (!bid) throw new AppError(409, 'INVALID_STATE', 'Only live bids of an opened batch are scored');
    return bid;
  }

  private async missingScores(m: EntityManager | DataSource, batch: Batch): Promise<number[]> {
    if (new Dec(batch.rules.technicalWeight).isZero()) return [];
    const bids = await openedBids(m, batch.id);
    const scored = new Set<number>(
      (await m.query('SELECT bid_id AS bidId FROM technical_scores WHERE batch_id = ?', [batch.id])).map((r: any) => Number(r.bidId)),
    );
    return bids.filter((b) => !scored.has(b.bidId)).map((b) => b.bidId);
  }

  /** POST /batches/:id/evaluate: checks what it can now, then the worker evaluates. */
  async requestEvaluation(actor: Principal, batchId: number): Promise<string> {
    const { batch } = await this.batches.get(batchId);
    if (batch.integrityAlarm)
      throw new AppError(409, 'INTEGRITY_ALARM', `Batch ${batch.code} is blocked by an integrity alarm: ${batch.integrityAlarmReason ?? ''}`);
    if (batch.status !== BatchStatus.OPENED) throw invalidState(`Batch ${batch.code} is ${batch.status}; only an OPENED batch can be evaluated`);
    const missing = await this.missingScores(this.dataSource, batch);
    if (missing.length) {
      throw new AppError(
        422,
        'TECHNICAL_SCORES_MISSING',
        `${missing.length} valid bid(s) have no technical score`,
        missing.map((id) => ({ field: `bids[${id}]`, message: `bid ${id} has no technical score` })),
      );
    }
    const payload: EvaluateJobPayload = { batchId, requestedBy: requesterOf(actor) };
    return this.jobs.enqueue(QueueName.EVALUATION, EVALUATE_JOB, payload, { jobId: evaluateJobId(batchId) });
  }

  /**
   * The evaluation job (section 5): every item × group of the batch's rules, in one
   * transaction with the move to EVALUATED. A rerun after success finds the batch
   * EVALUATED and does nothing.
   */
  async evaluate(batchId: number, actor: Principal | null) {
    return this.dataSource.transaction(async (m) => {
      const batch = await this.batches.lock(m, batchId);
      if (AFTER_EVALUATION.includes(batch.status)) return { batchId, alreadyEvaluated: true };
      if (batch.status !== BatchStatus.OPENED) throw invalidState(`Batch ${batch.code} is ${batch.status}`);
      if (batch.integrityAlarm) throw new AppError(409, 'INTEGRITY_ALARM', 'Batch is blocked by an integrity alarm');
      const items = await itemsOfBatch(m, batchId);
      const bids = await openedBids(m, batchId);
      const scores = new Map<number, string>(
        (await m.query('SELECT bid_id AS bidId, technical_score AS ts FROM technical_scores WHERE batch_id = ?', [batchId])).map((r: any) => [
          Number(r.bidId),
          r.ts as string,
        ]),
      );
      const missing = new Dec(batch.rules.technicalWeight).isZero() ? [] : bids.filter((b) => !scores.has(b.bidId)).map((b) => b.bidId);
      if (missing.length) throw new AppError(422, 'TECHNICAL_SCORES_MISSING', `Bids without a technical score: ${missing.join(', ')}`);

      const excluded = await ruledInvalidBids(m, batchId);
      const byKey = new Map<string, OpenedBid[]>();
      for (const b of bids) {
        if (excluded.has(b.bidId)) continue;
        const k = `${b.itemId}|${b.group}`;
        if (!byKey.has(k)) byKey.set(k, []);
        byKey.get(k)!.push(b);
      }
      const groupRows: unknown[][] = [];
      const resultRows: unknown[][] = [];
      const flagRows: unknown[][] = [];
      const revival: { itemId: number; group: string; evaluated: EvaluatedBid[]; groupBids: OpenedBid[] }[] = [];
      let winnerCount = 0;
      for (const item of items) {
        for (const group of Object.keys(batch.rules.groups)) {
          const groupBids = byKey.get(`${item.id}|${group}`) ?? [];
          const one = evaluateItemGroup(batch, item, group, groupBids, scores);
          revival.push({ itemId: item.id, group, evaluated: one.evaluated, groupBids });
          groupRows.push(one.groupRow);
          resultRows.push(...one.resultRows);
          flagRows.push(...one.flagRows);
          winnerCount += one.winners;
        }
      }
      await m.query('DELETE FROM evaluation_results WHERE batch_id = ?', [batchId]);
      await m.query('DELETE FROM evaluation_groups WHERE batch_id = ?', [batchId]);
      // One instant for the evaluation: publicity and revival deadlines both count from evaluatedAt.
      const evaluatedAt = this.clock.now();
      await writeEvaluationRows(m, groupRows, resultRows, flagRows, evaluatedAt);
      for (const r of revival) await writeRevivalOffers(m, batch, r.itemId, r.group, r.evaluated, r.groupBids, evaluatedAt);
      await this.batches.transition(m, actor, batch, BatchStatus.EVALUATED, { evaluatedAt }, { bids: bids.length, winners: winnerCount });
      // Section 15.4: the results are published to the batch's bidders (one INSERT ... SELECT, once per batch).
      await this.notifications.notifyFrom(m, biddingSuppliersQuery(batchId), {
        kind: NotificationKind.RESULTS_PUBLISHED,
        message: `Batch ${batch.code}: the evaluation results are published (publicity; objections may be filed until it ends)`,
        entity: 'batch',
        entityId: batchId,
        batchId,
        dedupeKey: `results-published:${batchId}`,
      });
      return { batchId, groups: groupRows.length, bids: bids.length, winners: winnerCount, noBidGroups: groupRows.filter((r) => r[5] === 1).length };
    });
  }

  /**
   * Section 5 results; visible to admins after evaluation, to every role after award, and
   * (section 15.4) from evaluation on to the suppliers that bid in the batch: publicity.
   */
  async results(viewer: Principal, batchId: number): Promise<ResultsView> {
    const { batch } = await this.batches.get(batchId);
    let visible = viewer.role === Role.ADMIN ? AFTER_EVALUATION.includes(batch.status) : AFTER_AWARD.includes(batch.status);
    if (!visible && viewer.role === Role.SUPPLIER && batch.status === BatchStatus.EVALUATED) {
      visible = (await openedBids(this.dataSource, batchId)).some((b) => b.supplierId === viewer.organizationId);
    }
    if (!visible) {
      if (viewer.role === Role.ADMIN) throw invalidState(`Batch ${batch.code} has not been evaluated (it is ${batch.status})`);
      throw forbidden('Results are published to the bidders at evaluation (publicity) and to everyone at award');
    }
    const notes = await this.publicity.resultAnnotations(viewer, batchId);
    const offers = await this.revival.byBid(batchId);
    const groups = await this.dataSource.query(
      'SELECT item_id AS itemId, group_name AS `group`, bid_count AS bidCount, no_bid AS noBid, anchor_ucp AS anchorUcp, gate_floor AS gateFloor FROM evaluation_groups WHERE batch_id = ? ORDER BY item_id, group_name',
      [batchId],
    );
    const rows = await this.dataSource.query(
      `SELECT bid_id AS bidId, item_id AS itemId, group_name AS \`group\`, supplier_id AS supplierId, product_id AS productId, pack_price AS packPrice,
              unit_comparable_price AS unitComparablePrice, technical_score AS technicalScore, price_score AS priceScore,
              composite_score AS compositeScore, \`rank\`, gated, gate_passed_by AS gatePassedBy, winner
       FROM evaluation_results WHERE batch_id = ? ORDER BY item_id, group_name, \`rank\``,
      [batchId],
    );
    const names = await namesOf(this.dataSource.manager, {
      organizations: rows.map((r: any) => Number(r.supplierId)),
      products: rows.map((r: any) => Number(r.productId)),
    });
    const byKey = new Map<string, ResultGroup>();
    const items: ResultGroup[] = groups.map((g: any) => {
      const rg: ResultGroup = {
        itemId: Number(g.itemId),
        group: g.group,
        bidCount: Number(g.bidCount),
        noBid: Number(g.noBid) === 1,
        anchorUcp: g.anchorUcp ?? null,
        gateFloor: g.gateFloor ?? null,
        bids: [],
        winners: [],
        objections: notes.objections.filter((o) => o.itemId === Number(g.itemId) && o.group === g.group),
        ruledInvalid: notes.ruledInvalid.filter((r) => r.itemId === Number(g.itemId) && r.group === g.group),
      };
      byKey.set(`${rg.itemId}|${rg.group}`, rg);
      return rg;
    });
    for (const r of rows) {
      const rg = byKey.get(`${Number(r.itemId)}|${r.group}`)!;
      const bid: ResultBid = {
        bidId: Number(r.bidId),
        supplierId: Number(r.supplierId),
        supplierName: names.organization(Number(r.supplierId)),
        productId: Number(r.productId),
        ...names.product(Number(r.productId)),
        packPrice: r.packPrice,
        unitComparablePrice: r.unitComparablePrice,
        technicalScore: r.technicalScore,
        priceScore: r.priceScore,
        compositeScore: r.compositeScore,
        rank: Number(r.rank),
        gated: Number(r.gated) === 1,
        gatePassedBy: r.gatePassedBy ?? null,
        winner: Number(r.winner) === 1,
        abnormalLow: notes.flags.get(Number(r.bidId)) ?? null,
        revival: offers.get(Number(r.bidId)) ?? null,
      };
      rg.bids.push(bid);
      if (bid.winner) rg.winners.push(bid.bidId);
    }
    return { batchId, status: batch.status, publicityEndsAt: publicityOf(batch).endsAt?.toISOString() ?? null, items };
  }

  /** results.xlsx: the results (visible as GET /results says) as one sheet with names beside the ids (results.export.ts). */
  async resultsSheet(viewer: Principal, batchId: number): Promise<ExportSheet<ResultExportRow>> {
    const r = await this.results(viewer, batchId);
    return resultsSheet(this.dataSource, batchId, r.items);
  }

  /**
   * POST /batches/:id/award (section 5): fixes award prices and UCPs as winners and sets
   * the payment standards of section 9, with the move to AWARDED, in one transaction.
   */
  async award(actor: Principal, batchId: number): Promise<Batch> {
    return this.dataSource.transaction(async (m) => {
      const batch = await this.batches.lock(m, batchId);
      if (batch.status !== BatchStatus.EVALUATED) throw invalidState(`Batch ${batch.code} is ${batch.status}; only an EVALUATED batch can be awarded`);
      await this.publicity.assertAwardable(m, batch);
      const awardedAt = this.clock.now();
      const winners = await m.query(
        `SELECT r.bid_id AS bidId, r.item_id AS itemId, r.group_name AS \`group\`, r.supplier_id AS supplierId, r.product_id AS productId, r.\`rank\` AS \`rank\`,
                r.pack_price AS packPrice, r.unit_comparable_price AS ucp
         FROM evaluation_results r WHERE r.batch_id = ? AND r.winner = 1 ORDER BY r.item_id, r.group_name, r.\`rank\``,
        [batchId],
      );
      const opened = new Map((await openedBids(m, batchId)).map((b) => [b.bidId, b]));
      // Section 15.3: accepted revival offers join after the original winners, at the offer's price.
      const revived = await this.revival.closeForAward(m, actor, batch);
      await insertRows(
        m,
        'winners',
        [
          'bid_id',
          'batch_id',
          'item_id',
          'group_name',
          'supplier_id',
          'product_id',
          '`rank`',
          'award_price',
          'award_unit_price',
          'supply_capacity',
          'measure_units_per_pack',
          'awarded_at',
          'revived',
        ],
        [
          ...winners.map((w: any) => {
            const b = opened.get(Number(w.bidId))!;
            // 中选价 = the winner's pack price; award UCP = its UCP (section 5).
            return [
              w.bidId,
              batchId,
              w.itemId,
              w.group,
              w.supplierId,
              w.productId,
              w.rank,
              w.packPrice,
              w.ucp,
              b.supplyCapacity,
              b.measureUnitsPerPack,
              awardedAt,
              0,
            ];
          }),
          ...revived.map((r) => {
            const b = opened.get(r.bidId)!;
            return [
              r.bidId,
              batchId,
              r.itemId,
              r.group,
              b.supplierId,
              b.productId,
              r.rank,
              r.offerPackPrice,
              r.offerUcp,
              b.supplyCapacity,
              b.measureUnitsPerPack,
              awardedAt,
              1,
            ];
          }),
        ],
      );
      // Section 15.6: the winners' products, revived ones included, are the selected ones.
      const selected = new Set<number>([...winners.map((w: any) => Number(w.productId)), ...revived.map((r) => opened.get(r.bidId)!.productId)]);
      await this.paymentStandards.recordAward(m, batchId, awardedAt, await originalAwardUcps(m, batchId), selected);
      await this.batches.transition(m, actor, batch, BatchStatus.AWARDED, { awardedAt }, { winners: winners.length, revived: revived.map((r) => r.bidId) });
      return batch;
    });
  }
}
