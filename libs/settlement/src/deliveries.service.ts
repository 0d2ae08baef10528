import { Inject, Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, Principal, Role, Clock, invalidState, notFound, unprocessable, validationFailed, Page, KeysetPage, nextAfter } from '@jicai/common';
import { AgreementStatus, findAgreement, shareLockAgreement } from '@jicai/allocation';
import { BatchStatus, DEFAULT_RULES, findBatch, lockBatchShared } from '@jicai/batches';
import { NotificationKind, NotificationsService } from '@jicai/notifications';
import { OrdersService } from '@jicai/orders';
import { DELIVERIES_ACCEPTED, DeliveriesAcceptedListener } from './acceptance-listener';
import { namesOf } from '@jicai/catalog';
import { Delivery, DeliveryStatus } from './delivery.entity';
import { AcceptDeliveryDto, CreateDeliveryDto, ListDeliveriesQueryDto } from './dto/settlement.dto';
import { acceptedAmount, dueDate } from './settlement.rules';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function deliveryView(d: Delivery) {
  return {
    id: d.id,
    agreementId: d.agreementId,
    orderId: d.orderId,
    batchId: d.batchId,
    hospitalId: d.hospitalId,
    supplierId: d.supplierId,
    packs: d.packs,
    lotNumber: d.lotNumber,
    deliveredAt: iso(d.deliveredAt),
    status: d.status,
    acceptedPacks: d.acceptedPacks,
    acceptedAt: iso(d.acceptedAt),
    acceptedAmount: d.acceptedAmount,
    dueDate: iso(d.dueDate),
    settlementRunId: d.settlementRunId,
    createdAt: iso(d.createdAt),
  };
}
export type DeliveryView = ReturnType<typeof deliveryView>;

/** Names beside the ids, in lists. */
export interface DeliveryNames {
  hospitalName?: string;
  supplierName?: string;
}

/** A time the caller gives for something that has happened: not in the future (server clock). */
function pastTime(value: string, field: string, now: Date): Date {
  const at = new Date(value);
  if (at.getTime() > now.getTime()) throw validationFailed(`${field} is in the future`, [{ field, message: 'must not be in the future' }]);
  return at;
}

/** Deliveries and acceptance (domain.md section 10). */
@Injectable()
export class DeliveriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly orders: OrdersService,
    private readonly notifications: NotificationsService,
    @Optional() @Inject(DELIVERIES_ACCEPTED) private readonly onAccepted?: DeliveriesAcceptedListener,
  ) {}

  /**
   * A supplier records a delivery against its own CONFIRMED agreement of a batch IN_FORCE.
   * Another supplier's agreement is invisible (404); the agreement and batch rows are read
   * with a shared lock so neither can change state under the insert.
   */
  async create(actor: Principal, dto: CreateDeliveryDto): Promise<DeliveryView> {
    const now = this.clock.now();
    const deliveredAt = pastTime(dto.deliveredAt, 'deliveredAt', now);
    return this.dataSource.transaction(async (m) => {
      // Shared locks on the agreement and its batch, through their owners.
      const agreement = await shareLockAgreement(m, dto.agreementId);
      if (!agreement || Number(agreement.supplierId) !== actor.organizationId) throw notFound('Agreement');
      if (agreement.status !== AgreementStatus.CONFIRMED) {
        throw invalidState(`Agreement ${agreement.id} is ${agreement.status}; deliveries need a CONFIRMED agreement`, [
          { field: 'agreementId', message: `is ${agreement.status}` },
        ]);
      }
      const batch = await lockBatchShared(m, Number(agreement.batchId));
      if (!batch || batch.status !== BatchStatus.IN_FORCE) {
        throw invalidState(`Batch ${agreement.batchId} is ${batch?.status ?? 'missing'}; deliveries are recorded while it is IN_FORCE`, [
          { field: 'agreementId', message: 'batch not IN_FORCE' },
        ]);
      }
      // Issue 13: where the batch requires orders, a delivery draws on a confirmed order line.
      if (batch.rules.ordersRequired && dto.orderId === undefined) {
        throw unprocessable('ORDER_REQUIRED', `Batch ${agreement.batchId} requires deliveries to reference a purchase order (rule ordersRequired)`, [
          { field: 'orderId', message: 'required by the batch rule ordersRequired' },
        ]);
      }
      if (dto.orderId !== undefined) {
        await this.orders.recordDelivery(m, {
          orderId: dto.orderId,
          agreementId: Number(agreement.id),
          supplierId: actor.organizationId,
          packs: dto.packs,
          deliveredAt,
        });
      }
      const delivery = m.getRepository(Delivery).create({
        agreementId: Number(agreement.id),
        orderId: dto.orderId ?? null,
        batchId: Number(agreement.batchId),
        hospitalId: Number(agreement.hospitalId),
        supplierId: Number(agreement.supplierId),
        packs: dto.packs,
        lotNumber: dto.lotNumber,
        deliveredAt,
        status: DeliveryStatus.DELIVERED,
        acceptedPacks: null,
        acceptedAt: null,
        acceptedAmount: null,
        dueDate: null,
        settlementRunId: null,
        createdAt: now,
      });
      await m.getRepository(Delivery).insert(delivery);
      await this.audit.record(m, {
        actor,
        action: 'delivery.create',
        entity: 'delivery',
        entityId: delivery.id,
        data: {
          agreementId: Number(agreement.id),
          orderId: dto.orderId ?? null,
          packs: dto.packs,
          lotNumber: dto.lotNumber,
          deliveredAt: deliveredAt.toISOString(),
        },
      });
      await this.notifications.notify(m, [delivery.hospitalId], {
        kind: NotificationKind.DELIVERY_AWAITING_ACCEPTANCE,
        message: `Delivery ${delivery.id}: ${delivery.packs} packs, lot ${delivery.lotNumber}, awaits your acceptance`,
        entity: 'delivery',
        entityId: delivery.id,
        batchId: delivery.batchId,
        dedupeKey: `delivery:${delivery.id}`,
      });
      return deliveryView(delivery);
    });
  }

  /**
   * The hospital accepts all or part of its own delivery, once (section 10): accepted amount
   * = acceptedPacks × the agreement's award price; due date = acceptedAt + paymentTermDays.
   */
  async accept(actor: Principal, id: number, dto: AcceptDeliveryDto): Promise<DeliveryView> {
    const now = this.clock.now();
    const acceptedAt = dto.acceptedAt === undefined ? now : pastTime(dto.acceptedAt, 'acceptedAt', now);
    const view = await this.dataSource.transaction(async (m) => {
      const d = await m.getRepository(Delivery).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!d || d.hospitalId !== actor.organizationId) throw notFound('Delivery');
      if (d.status !== DeliveryStatus.DELIVERED) {
        throw invalidState(`Delivery ${d.id} is already ${d.status}; a delivery is accepted once`, [{ field: 'status', message: `is ${d.status}` }]);
      }
      if (dto.acceptedPacks > d.packs) {
        throw unprocessable('ACCEPTED_PACKS_EXCEED_DELIVERED', `acceptedPacks ${dto.acceptedPacks} is more than the ${d.packs} packs delivered`, [
          { field: 'acceptedPacks', message: `must be at most ${d.packs}` },
        ]);
      }
      if (acceptedAt.getTime() < d.deliveredAt.getTime()) {
        throw validationFailed('acceptedAt is before the delivery', [
          { field: 'acceptedAt', message: `must not be before deliveredAt ${d.deliveredAt.toISOString()}` },
        ]);
      }
      const agreement = await findAgreement(m, d.agreementId);
      if (!agreement) throw new Error(`delivery ${d.id}: agreement ${d.agreementId} is missing`);
      const batch = await findBatch(m, d.batchId);
      if (!batch) throw new Error(`delivery ${d.id}: batch ${d.batchId} is missing`);
      const termDays = Number.isSafeInteger(batch.rules?.paymentTermDays) ? batch.rules.paymentTermDays : DEFAULT_RULES.paymentTermDays;
      // Section 10: accepted amount = acceptedPacks × award price; due = acceptance + paymentTermDays.
      Object.assign(d, {
        status: DeliveryStatus.ACCEPTED,
        acceptedPacks: dto.acceptedPacks,
        acceptedAt,
        acceptedAmount: acceptedAmount(dto.acceptedPacks, agreement.awardPrice),
        dueDate: dueDate(acceptedAt, termDays),
      });
      await m
        .getRepository(Delivery)
        .update(
          { id: d.id },
          { status: d.status, acceptedPacks: d.acceptedPacks, acceptedAt: d.acceptedAt, acceptedAmount: d.acceptedAmount, dueDate: d.dueDate },
        );
      await this.audit.record(m, {
        actor,
        action: 'delivery.accept',
        entity: 'delivery',
        entityId: d.id,
        data: { acceptedPacks: d.acceptedPacks, acceptedAt: acceptedAt.toISOString(), acceptedAmount: d.acceptedAmount, dueDate: d.dueDate!.toISOString() },
      });
      return deliveryView(d);
    });
    // Committed: progress and the like follow (a deduplicated job).
    await this.onAccepted?.accepted([{ batchId: view.batchId, hospitalId: view.hospitalId }]);
    return view;
  }

  /** Suppliers and hospitals see their own side; the fund and admins see all. */
  async list(viewer: Principal, q: ListDeliveriesQueryDto): Promise<Page<DeliveryView & DeliveryNames> | KeysetPage<DeliveryView & DeliveryNames>> {
    const qb = this.dataSource.getRepository(Delivery).createQueryBuilder('d');
    if (viewer.role === Role.SUPPLIER) qb.andWhere('d.supplierId = :org', { org: viewer.organizationId });
    else if (viewer.role === Role.HOSPITAL) qb.andWhere('d.hospitalId = :org', { org: viewer.organizationId });
    if (q.agreementId !== undefined) qb.andWhere('d.agreementId = :agreementId', { agreementId: q.agreementId });
    if (q.orderId !== undefined) qb.andWhere('d.orderId = :orderId', { orderId: q.orderId });
    if (q.status !== undefined) qb.andWhere('d.status = :status', { status: q.status });
    if (q.after !== undefined) {
      const rows = await qb.andWhere('d.id > :after', { after: q.after }).orderBy('d.id', 'ASC').limit(q.limit).getMany();
      const items = await this.withNames(rows.map(deliveryView));
      return { items, nextAfter: nextAfter(items, q.limit, (d) => d.id) };
    }
    const [rows, total] = await qb.orderBy('d.id', 'ASC').take(q.limit).skip(q.offset).getManyAndCount();
    return { items: await this.withNames(rows.map(deliveryView)), total };
  }

  /** The hospital's and the supplier's names beside their ids (one set-based read through organizations). */
  private async withNames(items: DeliveryView[]): Promise<(DeliveryView & DeliveryNames)[]> {
    const names = await namesOf(this.dataSource.manager, { organizations: items.flatMap((d) => [d.hospitalId, d.supplierId]) });
    return items.map((d) => ({ ...d, hospitalName: names.organization(d.hospitalId), supplierName: names.organization(d.supplierId) }));
  }
}
