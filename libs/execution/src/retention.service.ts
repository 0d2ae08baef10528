import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, Clock, JobRequester, notFound, OrganizationType, Page, Principal, Role, validationFailed } from '@jicai/common';
import { BatchRules, findBatchItem } from '@jicai/batches';
import { namesOf } from '@jicai/catalog';
import { findOrganization } from '@jicai/organizations';
import { ExecutionBatches } from './execution-batches';
import { agreementYear, agreementYears } from './progress.rules';
import { AssessmentScoreDto, BaselineDto, RetentionQueryDto } from './dto/retention.dto';

export interface RetentionView {
  batchId: number;
  year: number;
  hospitalId: number;
  /** Set on the list's rows (names beside ids for clerks). */
  hospitalName?: string;
  savings: string;
  score: string | null;
  share: string | null;
  retained: string | null;
  status: 'PROVISIONAL' | 'FIXED';
  computedAt: string;
  fixedAt: string | null;
}

const view = (r: any): RetentionView => ({
  batchId: Number(r.batch_id),
  year: Number(r.year),
  hospitalId: Number(r.hospital_id),
  savings: r.savings,
  score: r.score,
  share: r.share,
  retained: r.retained,
  status: r.status,
  computedAt: new Date(r.computed_at).toISOString(),
  fixedAt: r.fixed_at ? new Date(r.fixed_at).toISOString() : null,
});

/**
 * Savings retention (结余留用), issue 13 item 3, in set-based SQL over execution's own
 * progress_agreements (accepted and agreed units per agreement × year, award UCP), the
 * baselines and the scores: savings = ROUND(Σ (baseline − award UCP) × LEAST(accepted, agreed), 2),
 * retained = ROUND(GREATEST(savings, 0) × share(score), 2). FIXED rows never change again.
 */
@Injectable()
export class RetentionService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly batches: ExecutionBatches,
  ) {}

  /** The share table of the rules as a derived table (min_score, share). */
  private sharesSql(rules: BatchRules): { sql: string; params: unknown[] } {
    return {
      sql: rules.retentionShares.map(() => 'SELECT CAST(? AS DECIMAL(7,4)) AS min_score, CAST(? AS DECIMAL(6,4)) AS share').join(' UNION ALL '),
      params: rules.retentionShares.flatMap((r) => [r.minScore, r.share]),
    };
  }

  /** Recomputes the provisional rows of hospitals in [from, to], in the progress recompute's transaction. */
  async recomputeChunk(m: EntityManager, batchId: number, rules: BatchRules, from: number, to: number, now: Date): Promise<void> {
    await m.query(
      `INSERT INTO retention (batch_id, year, hospital_id, savings, score, share, retained, status, computed_at)
       SELECT pa.batch_id, pa.year, pa.hospital_id, ROUND(SUM((bp.baseline_ucp - pa.award_ucp) * LEAST(pa.accepted_units, pa.agreed_units)), 2),
              NULL, NULL, NULL, 'PROVISIONAL', ?
         FROM progress_agreements pa FORCE INDEX (idx_progress_agreements_hospital) JOIN baseline_prices bp ON bp.batch_id = pa.batch_id AND bp.item_id = pa.item_id
        WHERE pa.batch_id = ? AND pa.hospital_id BETWEEN ? AND ?
        GROUP BY pa.batch_id, pa.year, pa.hospital_id
       ON DUPLICATE KEY UPDATE savings = IF(status = 'FIXED', savings, VALUES(savings)), computed_at = IF(status = 'FIXED', computed_at, VALUES(computed_at))`,
      [now, batchId, from, to],
    );
    await this.applyScores(m, batchId, rules, 'r.hospital_id BETWEEN ? AND ?', [from, to]);
  }

  /** Score, share and retained of these hospitals' provisional rows (after their scores changed). */
  async applyScoresOf(m: EntityManager, batchId: number, rules: BatchRules, hospitalIds: readonly number[]): Promise<void> {
    if (hospitalIds.length) await this.applyScores(m, batchId, rules, 'r.hospital_id IN (?)', [[...new Set(hospitalIds)]]);
  }

  /** Score, share and retained of the provisional rows matching `where` (alias r). */
  private async applyScores(m: EntityManager, batchId: number, rules: BatchRules, where: string, params: unknown[]): Promise<void> {
    const shares = this.sharesSql(rules);
    await m.query(
      `UPDATE retention r LEFT JOIN assessment_scores s ON s.batch_id = r.batch_id AND s.year = r.year AND s.hospital_id = r.hospital_id
          SET r.score = s.score,
              r.share = CASE WHEN s.score IS NULL THEN NULL ELSE
                COALESCE((SELECT t.share FROM (${shares.sql}) t WHERE t.min_score <= s.score ORDER BY t.min_score DESC LIMIT 1), 0) END,
              r.retained = CASE WHEN s.score IS NULL THEN NULL ELSE ROUND(GREATEST(r.savings, 0) *
                COALESCE((SELECT t.share FROM (${shares.sql}) t WHERE t.min_score <= s.score ORDER BY t.min_score DESC LIMIT 1), 0), 2) END
        WHERE r.batch_id = ? AND r.status = 'PROVISIONAL' AND ${where}`,
      [...shares.params, ...shares.params, batchId, ...params],
    );
  }

  /** An admin enters an item's baseline UCP (the pre-round average purchase price per measure unit). */
  async setBaseline(actor: Principal, batchId: number, itemId: number, dto: BaselineDto) {
    const batch = await this.batches.get(batchId);
    if (!(await findBatchItem(this.dataSource.manager, batch.id, itemId))) throw notFound('Item');
    const now = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO baseline_prices (batch_id, item_id, baseline_ucp, entered_by, updated_at) VALUES (?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE baseline_ucp = VALUES(baseline_ucp), entered_by = VALUES(entered_by), updated_at = VALUES(updated_at)`,
        [batchId, itemId, dto.baselineUnitPrice, actor.userId, now],
      );
      await this.audit.record(m, {
        actor,
        action: 'baseline.set',
        entity: 'batch_item',
        entityId: itemId,
        data: { batchId, baselineUnitPrice: dto.baselineUnitPrice },
      });
    });
    return { batchId, itemId, baselineUnitPrice: dto.baselineUnitPrice, updatedAt: now.toISOString() };
  }

  async baselines(batchId: number, q: { limit: number; offset: number }) {
    await this.batches.get(batchId);
    const rows = await this.dataSource.query(
      'SELECT item_id, baseline_ucp, updated_at FROM baseline_prices WHERE batch_id = ? ORDER BY item_id LIMIT ? OFFSET ?',
      [batchId, q.limit, q.offset],
    );
    const [{ total }] = await this.dataSource.query('SELECT COUNT(*) AS total FROM baseline_prices WHERE batch_id = ?', [batchId]);
    return {
      items: rows.map((r: any) => ({ batchId, itemId: Number(r.item_id), baselineUnitPrice: r.baseline_ucp, updatedAt: new Date(r.updated_at).toISOString() })),
      total: Number(total),
    };
  }

  /** An admin enters (or corrects, until the year is fixed) a hospital's assessment score for an agreement year. */
  async setScore(actor: Principal, batchId: number, dto: AssessmentScoreDto) {
    const batch = await this.batches.get(batchId);
    if (!agreementYears(batch.agreementMonths).includes(dto.year)) {
      throw validationFailed(`Batch ${batchId} has ${batch.agreementMonths / 12} agreement year(s)`, [{ field: 'year', message: 'no such agreement year' }]);
    }
    const now = this.clock.now();
    return this.dataSource.transaction(async (m) => {
      const [fixed] = await m.query("SELECT status FROM retention WHERE batch_id = ? AND year = ? AND hospital_id = ? AND status = 'FIXED'", [
        batchId,
        dto.year,
        dto.hospitalId,
      ]);
      if (fixed) throw validationFailed('The retention of this hospital and year is fixed', [{ field: 'year', message: 'already fixed by the year-end job' }]);
      if ((await findOrganization(m, dto.hospitalId))?.type !== OrganizationType.HOSPITAL) {
        throw validationFailed('No such hospital', [{ field: 'hospitalId', message: 'not a hospital' }]);
      }
      await m.query(
        `INSERT INTO assessment_scores (batch_id, year, hospital_id, score, entered_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE score = VALUES(score), entered_by = VALUES(entered_by), updated_at = VALUES(updated_at)`,
        [batchId, dto.year, dto.hospitalId, dto.score, actor.userId, now],
      );
      await this.applyScores(m, batchId, batch.rules, 'r.year = ? AND r.hospital_id = ?', [dto.year, dto.hospitalId]);
      await this.audit.record(m, {
        actor,
        action: 'assessment.set',
        entity: 'hospital',
        entityId: dto.hospitalId,
        data: { batchId, year: dto.year, score: dto.score },
      });
      return { batchId, year: dto.year, hospitalId: dto.hospitalId, score: dto.score, updatedAt: now.toISOString() };
    });
  }

  /** The fund and admins: every hospital; a hospital: its own rows. */
  async list(viewer: Principal, batchId: number, q: RetentionQueryDto): Promise<Page<RetentionView> & { totals: { savings: string; retained: string } }> {
    await this.batches.get(batchId);
    const { sql, params } = this.scope(viewer, batchId, q);
    const rows = await this.dataSource.query(`SELECT * ${sql} ORDER BY year, hospital_id LIMIT ? OFFSET ?`, [...params, q.limit, q.offset]);
    const [t] = await this.dataSource.query(
      `SELECT COUNT(*) AS total, COALESCE(SUM(savings), 0) AS savings, COALESCE(SUM(retained), 0) AS retained ${sql}`,
      params,
    );
    const names = await namesOf(this.dataSource.manager, { organizations: rows.map((r: any) => Number(r.hospital_id)) });
    return {
      items: rows.map((r: any) => ({ ...view(r), hospitalName: names.organization(Number(r.hospital_id)) })),
      total: Number(t.total),
      totals: { savings: String(t.savings), retained: String(t.retained) },
    };
  }

  async *exportPages(viewer: Principal, batchId: number, q: RetentionQueryDto): AsyncGenerator<RetentionView[]> {
    await this.batches.get(batchId);
    const { sql, params } = this.scope(viewer, batchId, q);
    for (let offset = 0; ; offset += 5000) {
      const rows = await this.dataSource.query(`SELECT * ${sql} ORDER BY year, hospital_id LIMIT 5000 OFFSET ?`, [...params, offset]);
      if (rows.length) yield rows.map(view);
      if (rows.length < 5000) return;
    }
  }

  private scope(viewer: Principal, batchId: number, q: RetentionQueryDto) {
    const where = ['batch_id = ?'];
    const params: unknown[] = [batchId];
    if (viewer.role === Role.HOSPITAL) {
      where.push('hospital_id = ?');
      params.push(viewer.organizationId);
    }
    for (const [key, column] of [
      ['hospitalId', 'hospital_id'],
      ['year', 'year'],
      ['status', 'status'],
    ] as const) {
      if (q[key] !== undefined) {
        where.push(`${column} = ?`);
        params.push(q[key]);
      }
    }
    return { sql: `FROM retention WHERE ${where.join(' AND ')}`, params };
  }

  /**
   * The year-end job: once agreement year `year` has ended, fixes every provisional row that
   * has a score (one UPDATE), audited once with the count and totals. Rows without a score stay
   * provisional; a later run (after the score is entered) fixes them. Idempotent.
   */
  async fixYear(batchId: number, year: number, requestedBy: JobRequester | null) {
    const batch = await this.batches.get(batchId);
    const end = agreementYear(batch.agreementStart, year).end;
    const now = this.clock.now();
    if (now.getTime() < end.getTime()) return { batchId, year, fixed: 0, reason: `year ${year} ends ${end.toISOString()}` };
    return this.dataSource.transaction(async (m) => {
      const res = await m.query(
        "UPDATE retention SET status = 'FIXED', fixed_at = ? WHERE batch_id = ? AND year = ? AND status = 'PROVISIONAL' AND score IS NOT NULL",
        [now, batchId, year],
      );
      const fixed = Number(res.affectedRows ?? 0);
      const [t] = await m.query(
        `SELECT COALESCE(SUM(status = 'FIXED'), 0) AS fixed, COALESCE(SUM(status = 'PROVISIONAL'), 0) AS provisional,
                COALESCE(SUM(CASE WHEN status = 'FIXED' THEN retained END), 0) AS retained
           FROM retention WHERE batch_id = ? AND year = ?`,
        [batchId, year],
      );
      if (fixed > 0) {
        await this.audit.record(m, {
          actor: null,
          action: 'retention.fix',
          entity: 'batch',
          entityId: batchId,
          data: { year, fixed, fixedTotal: Number(t.fixed), stillProvisional: Number(t.provisional), retained: String(t.retained), requestedBy },
        });
      }
      return { batchId, year, fixed, stillProvisional: Number(t.provisional), retained: String(t.retained) };
    });
  }
}
