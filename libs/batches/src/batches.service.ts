import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import {
  AuditService,
  Principal,
  Clock,
  AppError,
  ErrorDetail,
  conflict,
  invalidState,
  notFound,
  validationFailed,
  JobsService,
  requesterOf,
  QueueName,
  Dec,
  OrganizationType,
} from '@jicai/common';
import { isValidStrength, normalizeName, normalizeUnit } from '@jicai/catalog';
import { NotificationKind, NotificationsService } from '@jicai/notifications';
import { Batch } from './batch.entity';
import { lockBatchExclusive } from './batch.reads';
import { BatchItem } from './batch-item.entity';
import { BatchStatus, canTransition, resolveRules, validateBatchTimes } from './batch-rules.rules';
import { BatchJobPayload, CLOSE_BIDDING_JOB, closeBiddingJobId, OPEN_BIDS_JOB, openBidsJobId } from './batch.queue';
import { CreateBatchDto, CreateItemDto, UpdateBatchDto } from './dto/batch.dto';

/** "2027-01-01" or a UTC midnight: an agreement starts on a calendar day. */
function parseAgreementStart(s: string): Date | null {
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00.000Z` : s);
  if (isNaN(d.getTime())) return null;
  if (d.getUTCHours() || d.getUTCMinutes() || d.getUTCSeconds() || d.getUTCMilliseconds()) return null;
  return d;
}

const trimZeros = (v: string) => new Dec(v).toString();

export function itemView(i: BatchItem) {
  return {
    id: i.id,
    batchId: i.batchId,
    genericName: i.genericName,
    dosageForm: i.dosageForm,
    representativeStrength: { value: trimZeros(i.repStrengthValue), unit: i.repStrengthUnit },
    ceilingUnitPrice: i.ceilingUnitPrice,
    dosageFormClass: i.dosageFormClass,
  };
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function batchView(b: Batch, items?: BatchItem[]) {
  return {
    id: b.id,
    code: b.code,
    name: b.name,
    status: b.status,
    biddingOpensAt: iso(b.biddingOpensAt),
    biddingClosesAt: iso(b.biddingClosesAt),
    openingAt: iso(b.openingAt),
    agreementStart: iso(b.agreementStart),
    agreementMonths: b.agreementMonths,
    rules: b.rules,
    integrityAlarm: b.integrityAlarm,
    integrityAlarmReason: b.integrityAlarmReason,
    publishedAt: iso(b.publishedAt),
    openedAt: iso(b.openedAt),
    evaluatedAt: iso(b.evaluatedAt),
    awardedAt: iso(b.awardedAt),
    allocatedAt: iso(b.allocatedAt),
    confirmationDeadline: iso(b.confirmationDeadline),
    activatedAt: iso(b.activatedAt),
    createdAt: iso(b.createdAt),
    ...(items ? { items: items.map(itemView) } : {}),
  };
}

@Injectable()
export class BatchesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly jobs: JobsService,
    private readonly notifications: NotificationsService,
  ) {}

  async create(actor: Principal, dto: CreateBatchDto): Promise<Batch> {
    const fields = this.validateFields(dto);
    const saved = await this.dataSource.transaction(async (m) => {
      if (await m.getRepository(Batch).exists({ where: { code: dto.code } })) {
        throw conflict('ALREADY_EXISTS', `A batch with code ${dto.code} already exists`, [{ field: 'code', message: 'already taken' }]);
      }
      const now = this.clock.now();
      const batch = m.getRepository(Batch).create({
        code: dto.code,
        name: dto.name.trim(),
        status: BatchStatus.DRAFT,
        ...fields,
        integrityAlarm: false,
        integrityAlarmReason: null,
        createdBy: actor.userId,
        createdAt: now,
        updatedAt: now,
        publishedAt: null,
        openedAt: null,
        evaluatedAt: null,
        awardedAt: null,
        allocatedAt: null,
        confirmationDeadline: null,
        activatedAt: null,
      });
      await m.getRepository(Batch).insert(batch);
      await this.audit.record(m, { actor, action: 'batch.create', entity: 'batch', entityId: batch.id, data: { code: batch.code, status: batch.status } });
      return batch;
    });
    await this.schedule(saved, actor);
    return saved;
  }

  /** Changes a draft's name, times or rules; the opening job moves with openingAt. */
  async update(actor: Principal, id: number, dto: UpdateBatchDto): Promise<Batch> {
    const batch = await this.dataSource.transaction(async (m) => {
      const b = await this.lock(m, id);
      if (b.status !== BatchStatus.DRAFT) throw invalidState(`Batch ${b.code} is ${b.status}; only a DRAFT can be changed`);
      const merged: CreateBatchDto = {
        code: b.code,
        name: dto.name ?? b.name,
        biddingOpensAt: dto.biddingOpensAt ?? b.biddingOpensAt.toISOString(),
        biddingClosesAt: dto.biddingClosesAt ?? b.biddingClosesAt.toISOString(),
        openingAt: dto.openingAt ?? b.openingAt.toISOString(),
        agreementStart: dto.agreementStart ?? b.agreementStart.toISOString(),
        agreementMonths: dto.agreementMonths ?? b.agreementMonths,
        rules: dto.rules ?? (b.rules as unknown as Record<string, unknown>),
      };
      const fields = this.validateFields(merged);
      Object.assign(b, fields, { name: merged.name.trim(), updatedAt: this.clock.now() });
      await m.getRepository(Batch).save(b, { reload: false });
      await this.audit.record(m, { actor, action: 'batch.update', entity: 'batch', entityId: b.id, data: dto });
      return b;
    });
    await this.schedule(batch, actor);
    return batch;
  }

  private validateFields(dto: CreateBatchDto) {
    const details: ErrorDetail[] = [];
    const rules = resolveRules(dto.rules ?? {});
    if (!rules.ok) details.push(...rules.errors);
    const biddingOpensAt = new Date(dto.biddingOpensAt);
    const biddingClosesAt = new Date(dto.biddingClosesAt);
    const openingAt = new Date(dto.openingAt);
    details.push(...validateBatchTimes({ biddingOpensAt, biddingClosesAt, openingAt, agreementMonths: dto.agreementMonths }));
    const agreementStart = parseAgreementStart(dto.agreementStart);
    if (!agreementStart) details.push({ field: 'agreementStart', message: 'agreementStart must be a date (YYYY-MM-DD) or a UTC midnight' });
    if (details.length || !rules.ok || !agreementStart) throw validationFailed('The batch is not valid', details);
    return { biddingOpensAt, biddingClosesAt, openingAt, agreementStart, agreementMonths: dto.agreementMonths, rules: rules.rules };
  }

  /** Delayed jobs at biddingClosesAt and openingAt; same ids, so a change replaces them. */
  private async schedule(b: Batch, actor: Principal | null): Promise<void> {
    const now = this.clock.now().getTime();
    const payload: BatchJobPayload = { batchId: b.id, requestedBy: requesterOf(actor) };
    for (const [name, jobId, at] of [
      [CLOSE_BIDDING_JOB, closeBiddingJobId(b.id), b.biddingClosesAt],
      [OPEN_BIDS_JOB, openBidsJobId(b.id), b.openingAt],
    ] as const) {
      await this.jobs.replace(QueueName.OPENING, name, payload, { jobId, delay: Math.max(0, at.getTime() - now) });
    }
  }

  async addItem(actor: Principal, batchId: number, dto: CreateItemDto): Promise<BatchItem> {
    if (!isValidStrength(dto.representativeStrength) || new Dec(dto.representativeStrength.value).lte(0)) {
      throw validationFailed('Invalid representative strength', [{ field: 'representativeStrength', message: 'value must be > 0 with a unit' }]);
    }
    if (new Dec(dto.ceilingUnitPrice).lte(0)) throw validationFailed('Invalid ceiling', [{ field: 'ceilingUnitPrice', message: 'must be > 0' }]);
    return this.dataSource.transaction(async (m) => {
      const b = await this.lock(m, batchId);
      if (b.status !== BatchStatus.DRAFT) throw invalidState(`Items can be added only to a DRAFT batch; ${b.code} is ${b.status}`);
      const genericNameNorm = normalizeName(dto.genericName);
      const dosageFormNorm = normalizeName(dto.dosageForm);
      if (await m.getRepository(BatchItem).exists({ where: { batchId, genericNameNorm, dosageFormNorm } })) {
        throw conflict('ALREADY_EXISTS', 'The batch already has an item with this generic name and dosage form');
      }
      const item = m.getRepository(BatchItem).create({
        batchId,
        genericName: dto.genericName.trim(),
        genericNameNorm,
        dosageForm: dto.dosageForm.trim(),
        dosageFormNorm,
        repStrengthValue: dto.representativeStrength.value,
        repStrengthUnit: normalizeUnit(dto.representativeStrength.unit),
        ceilingUnitPrice: new Dec(dto.ceilingUnitPrice).toFixed(4),
        dosageFormClass: dto.dosageFormClass ?? 'OTHER',
        createdAt: this.clock.now(),
      });
      await m.getRepository(BatchItem).insert(item);
      await this.audit.record(m, {
        actor,
        action: 'batch.item.create',
        entity: 'batch',
        entityId: batchId,
        data: { itemId: item.id, genericName: item.genericName, dosageForm: item.dosageForm },
      });
      return item;
    });
  }

  async publish(actor: Principal, id: number): Promise<Batch> {
    return this.dataSource.transaction(async (m) => {
      const b = await this.lock(m, id);
      if (b.status === BatchStatus.DRAFT) {
        const items = await m.getRepository(BatchItem).count({ where: { batchId: id } });
        if (items === 0) throw new AppError(422, 'BATCH_HAS_NO_ITEMS', 'A batch needs at least one item to be published');
        if (this.clock.now() >= b.biddingClosesAt) throw invalidState('Bidding would already be closed: move biddingClosesAt first');
      }
      await this.transition(m, actor, b, BatchStatus.PUBLISHED, { publishedAt: this.clock.now() });
      // Every supplier and hospital, in one INSERT ... SELECT; the key makes it once per batch.
      await this.notifications.notifyOrganizationTypes(m, [OrganizationType.SUPPLIER, OrganizationType.HOSPITAL], {
        kind: NotificationKind.BATCH_PUBLISHED,
        message: `Batch ${b.code} (${b.name}) is published: bidding closes at ${b.biddingClosesAt.toISOString()}`,
        entity: 'batch',
        entityId: b.id,
        batchId: b.id,
        dedupeKey: `batch-published:${b.id}`,
      });
      return b;
    });
  }

  async cancel(actor: Principal, id: number): Promise<Batch> {
    const b = await this.dataSource.transaction(async (m) => {
      const b = await this.lock(m, id);
      await this.transition(m, actor, b, BatchStatus.CANCELLED);
      return b;
    });
    for (const jobId of [closeBiddingJobId(id), openBidsJobId(id)]) await this.jobs.removeDelayed(QueueName.OPENING, jobId);
    return b;
  }

  /** Locks the batch row for the rest of the transaction. */
  async lock(m: EntityManager, id: number): Promise<Batch> {
    const b = await lockBatchExclusive(m, id);
    if (!b) throw notFound('Batch');
    return b;
  }

  /** Section 4: opening found a bid that fails verification; the batch is blocked (its row locked by the caller). */
  async raiseIntegrityAlarm(m: EntityManager, b: Batch, reason: string): Promise<void> {
    Object.assign(b, { integrityAlarm: true, integrityAlarmReason: reason, updatedAt: this.clock.now() });
    await m.getRepository(Batch).update({ id: b.id }, { integrityAlarm: true, integrityAlarmReason: reason, updatedAt: b.updatedAt });
  }

  /**
   * Moves a locked batch to `to` if the lifecycle allows it (section 3), auditing the
   * change; otherwise 409 INVALID_STATE, and the refusal is audited too.
   */
  async transition(m: EntityManager, actor: Principal | null, b: Batch, to: BatchStatus, extra: Partial<Batch> = {}, data: object = {}): Promise<void> {
    const from = b.status;
    if (!canTransition(from, to)) {
      await this.audit.recordNow({ actor, action: 'batch.transition-refused', entity: 'batch', entityId: b.id, data: { from, to } });
      throw invalidState(`Batch ${b.code} cannot go from ${from} to ${to}`, [{ field: 'status', message: `is ${from}` }]);
    }
    Object.assign(b, extra, { status: to, updatedAt: this.clock.now() });
    await m.getRepository(Batch).update({ id: b.id }, { ...extra, status: to, updatedAt: b.updatedAt });
    await this.audit.record(m, { actor, action: 'batch.transition', entity: 'batch', entityId: b.id, data: { from, to, ...data } });
  }

  async get(id: number): Promise<{ batch: Batch; items: BatchItem[] }> {
    const batch = await this.dataSource.getRepository(Batch).findOneBy({ id });
    if (!batch) throw notFound('Batch');
    const items = await this.dataSource.getRepository(BatchItem).find({ where: { batchId: id }, order: { id: 'ASC' } });
    return { batch, items };
  }

  async item(batchId: number, itemId: number): Promise<BatchItem> {
    const item = await this.dataSource.getRepository(BatchItem).findOneBy({ id: itemId, batchId });
    if (!item) throw notFound('Item');
    return item;
  }

  async list(q: { status?: string; limit: number; offset: number }) {
    const [batches, total] = await this.dataSource.getRepository(Batch).findAndCount({
      where: q.status ? { status: q.status as BatchStatus } : {},
      order: { id: 'DESC' },
      take: q.limit,
      skip: q.offset,
    });
    const ids = batches.map((b) => b.id);
    const items = ids.length ? await this.dataSource.getRepository(BatchItem).find({ where: { batchId: In(ids) }, order: { id: 'ASC' } }) : [];
    return {
      items: batches.map((b) =>
        batchView(
          b,
          items.filter((i) => i.batchId === b.id),
        ),
      ),
      total,
    };
  }
}
