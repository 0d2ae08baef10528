import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, Principal, Role, Clock, AppError, notFound, validationFailed, Page, KeysetPage, nextAfter, Dec } from '@jicai/common';
import { type Batch, type BatchItem, batchExists, findBatch, findBatchItem, itemsOfBatch, lockBatchShared } from '@jicai/batches';
import { hospitalOfRow, hospitalsNamed } from '@jicai/organizations';
import { buildTemplate, ImportAccepted, ImportedRow, ImportJobsService, RowErrors, runImport } from '@jicai/spreadsheets';
import {
  ADMIN_TEMPLATE_COLUMNS,
  DEMAND_COLUMNS,
  DEMAND_IMPORT_KIND,
  DEMAND_TEMPLATE_NOTES,
  DemandRow,
  HOSPITAL_TEMPLATE_COLUMNS,
  MAX_DEMAND_IMPORT_ROWS,
} from './demand-import';
import { Demand } from './demand.entity';
import { demandRefusal, groupNames } from './demand.rules';
import { ListDemandQueryDto, PutDemandDto } from './dto/demand.dto';

export interface DemandView {
  hospitalId: number;
  itemId: number;
  group: string;
  quantity: number;
}

export type DemandEntry = DemandView;

const UPSERT_SQL = (rows: number) =>
  `INSERT INTO demands (batch_id, item_id, hospital_id, group_name, quantity, updated_at) VALUES ${Array(rows).fill('(?,?,?,?,?,?)').join(',')}
   ON DUPLICATE KEY UPDATE quantity = VALUES(quantity), updated_at = VALUES(updated_at)`;

/** Hospitals' annual demand per item × group (domain.md 6; api.md "Demand"). */
@Injectable()
export class DemandService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly imports: ImportJobsService,
  ) {}

  /**
   * The batch, share-locked for the transaction: a concurrent close or cancel (which
   * locks it FOR UPDATE) waits for this demand to commit, and demand writers do not wait
   * for each other.
   */
  private async shareLockBatch(m: EntityManager, id: number): Promise<Batch> {
    const batch = await lockBatchShared(m, id);
    if (!batch) throw notFound('Batch');
    return batch;
  }

  private assertOpen(batch: Batch): void {
    const refusal = demandRefusal(batch.status, batch.biddingClosesAt, this.clock.now());
    if (refusal) throw new AppError(409, refusal.code, refusal.message);
  }

  private async batchWithItems(id: number): Promise<{ batch: Batch; items: BatchItem[] }> {
    const batch = await findBatch(this.dataSource.manager, id);
    if (!batch) throw notFound('Batch');
    const items = await itemsOfBatch(this.dataSource.manager, id);
    return { batch, items };
  }

  /** PUT /batches/:id/items/:itemId/demand (hospital): sets the caller's own demand. */
  async put(actor: Principal, batchId: number, itemId: number, dto: PutDemandDto): Promise<DemandView> {
    return this.dataSource.transaction(async (m) => {
      const batch = await this.shareLockBatch(m, batchId);
      if (!(await findBatchItem(m, batchId, itemId))) throw notFound('Item');
      const groups = groupNames(batch.rules);
      if (!groups.includes(dto.group)) throw validationFailed('Unknown group', [{ field: 'group', message: `must be one of ${groups.join(', ')}` }]);
      this.assertOpen(batch);
      const entry: DemandEntry = { hospitalId: actor.organizationId, itemId, group: dto.group, quantity: dto.quantity };
      const previous = await m.getRepository(Demand).findOneBy({ itemId, hospitalId: entry.hospitalId, group: dto.group });
      await this.upsert(m, batchId, [entry]);
      await this.audit.record(m, {
        actor,
        action: 'demand.set',
        entity: 'batch',
        entityId: batchId,
        data: { ...entry, previous: previous?.quantity ?? null },
      });
      return entry;
    });
  }

  /** GET /batches/:id/demand: a hospital its own, an admin everybody's. */
  async list(viewer: Principal, batchId: number, q: ListDemandQueryDto): Promise<Page<DemandView> | KeysetPage<DemandView & { id: number }>> {
    if (!(await batchExists(this.dataSource.manager, batchId))) throw notFound('Batch');
    const qb = this.dataSource.getRepository(Demand).createQueryBuilder('d').where('d.batchId = :batchId', { batchId });
    if (viewer.role !== Role.ADMIN) qb.andWhere('d.hospitalId = :own', { own: viewer.organizationId });
    if (q.hospitalId !== undefined) qb.andWhere('d.hospitalId = :hospitalId', { hospitalId: q.hospitalId });
    if (q.itemId !== undefined) qb.andWhere('d.itemId = :itemId', { itemId: q.itemId });
    if (q.group !== undefined) qb.andWhere('d.group = :group', { group: q.group });
    if (q.after !== undefined) {
      // Key-set pages follow the row id (the offset pages' hospital × item order has no single key).
      const page = await qb.andWhere('d.id > :after', { after: q.after }).orderBy('d.id', 'ASC').limit(q.limit).getMany();
      const items = page.map((d) => ({ id: d.id, hospitalId: d.hospitalId, itemId: d.itemId, group: d.group, quantity: d.quantity }));
      return { items, nextAfter: nextAfter(items, q.limit, (d) => d.id) };
    }
    const [rows, total] = await qb.orderBy('d.hospitalId').addOrderBy('d.itemId').addOrderBy('d.group').take(q.limit).skip(q.offset).getManyAndCount();
    return { items: rows.map((d) => ({ hospitalId: d.hospitalId, itemId: d.itemId, group: d.group, quantity: d.quantity })), total };
  }

  /**
   * GET /batches/:id/demand/template.xlsx: a row per item × group. A hospital's rows carry
   * its current quantities; an admin's have hospital columns to fill in.
   */
  async template(viewer: Principal, batchId: number): Promise<Buffer> {
    const { batch, items } = await this.batchWithItems(batchId);
    const groups = groupNames(batch.rules);
    const admin = viewer.role === Role.ADMIN;
    const current = new Map<string, number>();
    if (!admin) {
      for (const d of await this.dataSource.getRepository(Demand).findBy({ batchId, hospitalId: viewer.organizationId }))
        current.set(`${d.itemId}|${d.group}`, d.quantity);
    }
    const rows = items.flatMap((i) =>
      groups.map((g) => {
        const context = [
          i.id,
          i.genericName,
          i.dosageForm,
          `${new Dec(i.repStrengthValue).toFixed()} ${i.repStrengthUnit}`,
          g,
          current.get(`${i.id}|${g}`) ?? null,
        ];
        return admin ? [null, null, ...context] : context;
      }),
    );
    return buildTemplate({
      sheetName: 'Demand',
      columns: admin ? ADMIN_TEMPLATE_COLUMNS : HOSPITAL_TEMPLATE_COLUMNS,
      rows,
      notes: [`Batch ${batch.code} (${batch.name}); bidding closes at ${batch.biddingClosesAt.toISOString()}.`, ...DEMAND_TEMPLATE_NOTES],
    });
  }

  /**
   * POST /batches/:id/demand/import: all or nothing (domain.md 12). A hospital's rows are
   * its own; an admin's name a hospital by id or code. Rows with a blank quantity are left
   * out. Every bad row answers 400; a clean file's entries go to an import job
   * (DEMAND_IMPORT_KIND), which writes them in one transaction with one audit entry:
   * 202 {jobId, rows}.
   */
  async importXlsx(actor: Principal, batchId: number, file: Buffer): Promise<ImportAccepted> {
    const { batch, items } = await this.batchWithItems(batchId);
    this.assertOpen(batch);
    let entries: DemandEntry[] = [];
    await runImport<DemandRow>(file, DEMAND_COLUMNS, { maxRows: MAX_DEMAND_IMPORT_ROWS }, async (rows, errors) => {
      entries = await this.checkRows(actor, batch, new Set(items.map((i) => i.id)), rows, errors);
    });
    if (!entries.length) {
      throw validationFailed('The file gives no quantity: fill in the quantity column', [{ field: 'file', message: 'no row has a quantity' }]);
    }
    return this.imports.enqueueImport(DEMAND_IMPORT_KIND, actor, entries, { batchId });
  }

  /**
   * The batch share-locked for the rest of the transaction, refusing (409) once it takes
   * no more demand: what a writer of many demands (the import job) checks first.
   */
  async lockOpenBatch(m: EntityManager, batchId: number): Promise<Batch> {
    const batch = await this.shareLockBatch(m, batchId);
    this.assertOpen(batch);
    return batch;
  }

  private async checkRows(actor: Principal, batch: Batch, itemIds: Set<number>, rows: ImportedRow<DemandRow>[], errors: RowErrors): Promise<DemandEntry[]> {
    const groups = groupNames(batch.rules);
    const hospitals = await hospitalsNamed(
      this.dataSource.manager,
      actor,
      rows.map((r) => r.value),
    );
    const firstRowOf = new Map<string, number>();
    const out: DemandEntry[] = [];
    for (const { row, value: v } of rows) {
      if (v.quantity === null) continue; // blank: this demand stays as it is
      let good = true;
      // Section 1: a hospital reports only its own demand.
      const hospitalId = hospitalOfRow(actor, row, v, hospitals, errors, 'you may report only your own demand');
      if (hospitalId === null) good = false;
      if (!itemIds.has(v.itemId)) {
        errors.add(row, 'itemId', `item ${v.itemId} is not in batch ${batch.code}`);
        good = false;
      }
      if (!groups.includes(v.group)) {
        errors.add(row, 'group', `must be one of ${groups.join(', ')}`);
        good = false;
      }
      if (!good) continue;
      const key = `${hospitalId}|${v.itemId}|${v.group}`;
      const first = firstRowOf.get(key);
      if (first !== undefined) {
        errors.add(row, 'itemId', `item ${v.itemId}, group ${v.group} is also on row ${first}`);
        continue;
      }
      firstRowOf.set(key, row);
      out.push({ hospitalId: hospitalId!, itemId: v.itemId, group: v.group, quantity: v.quantity });
    }
    return out;
  }

  /** Multi-row upsert on the unique key (item, hospital, group); at most UPSERT_CHUNK entries. */
  async upsert(m: EntityManager, batchId: number, entries: DemandEntry[]): Promise<void> {
    const now = this.clock.now();
    await m.query(
      UPSERT_SQL(entries.length),
      entries.flatMap((e) => [batchId, e.itemId, e.hospitalId, e.group, e.quantity, now]),
    );
  }
}
