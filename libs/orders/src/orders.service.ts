import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AuditService, Clock, invalidState, notFound, Page, Principal, Role, unprocessable, validationFailed } from '@jicai/common';
import { AgreementStatus, shareLockAgreement } from '@jicai/allocation';
import { BatchStatus, lockBatchShared } from '@jicai/batches';
import { NotificationKind, NotificationsService } from '@jicai/notifications';
import { namesOf } from '@jicai/catalog';
import { PurchaseOrder } from './purchase-order.entity';
import { OrderAction, OrderStatus, answeredInTime, applyDelivery, averageDays, canApply, confirmDeadline, fillRate, openPacks } from './orders.rules';
import { ListOrdersQueryDto, PlaceOrderDto, RefuseOrderDto } from './dto/orders.dto';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function orderView(o: PurchaseOrder) {
  return {
    id: o.id,
    batchId: o.batchId,
    agreementId: o.agreementId,
    itemId: o.itemId,
    group: o.group,
    hospitalId: o.hospitalId,
    supplierId: o.supplierId,
    packs: o.packs,
    deliveredPacks: o.deliveredPacks,
    openPacks: ([OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_DELIVERED, OrderStatus.PLACED] as OrderStatus[]).includes(o.status)
      ? openPacks(o.packs, o.deliveredPacks)
      : 0,
    requestedBy: o.requestedBy,
    status: o.status,
    placedAt: iso(o.placedAt),
    confirmDeadline: iso(o.confirmDeadline),
    answeredAt: iso(o.answeredAt),
    answeredInTime: o.answeredAt ? answeredInTime(o.answeredAt, o.confirmDeadline) : null,
    refusalReason: o.refusalReason,
    refusalNote: o.refusalNote,
    cancelledAt: iso(o.cancelledAt),
    firstDeliveredAt: iso(o.firstDeliveredAt),
    completedAt: iso(o.completedAt),
  };
}
export type OrderView = ReturnType<typeof orderView>;

/** Names beside the ids, in lists. */
export interface OrderNames {
  hospitalName?: string;
  supplierName?: string;
}

/** Per supplier of a batch (issue 13 item 2): answers in time, refusals, fill rate, days to delivery. */
export interface SupplierPerformanceView {
  supplierId: number;
  supplierName: string;
  /** Orders placed, cancelled ones left out (the hospital withdrew them). */
  orders: number;
  confirmed: number;
  confirmedInTime: number;
  refused: number;
  refusedInTime: number;
  refusedStockOut: number;
  /** Still PLACED past the deadline. */
  unansweredLate: number;
  confirmedPacks: number;
  deliveredPacks: number;
  fillRate: string | null;
  averageDaysToFirstDelivery: string | null;
}

/** What settlement needs to know of the order line a delivery draws on. */
export interface OrderDeliveryInput {
  orderId: number;
  agreementId: number;
  supplierId: number;
  packs: number;
  deliveredAt: Date;
}

/**
 * Purchase orders (采购订单), issue 13 item 1: a hospital orders against its own CONFIRMED
 * agreement of a batch IN_FORCE; the supplier confirms or refuses within orderConfirmHours;
 * deliveries draw on confirmed lines (`recordDelivery`, called by settlement in its own
 * transaction). Each side sees only its own orders; admins and the fund see all.
 */
@Injectable()
export class OrdersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  async place(actor: Principal, dto: PlaceOrderDto): Promise<OrderView> {
    return this.dataSource.transaction(async (m) => {
      const order = await this.placeIn(m, actor, dto, null);
      await this.audit.record(m, {
        actor,
        action: 'order.place',
        entity: 'purchase_order',
        entityId: order.id,
        data: { agreementId: order.agreementId, packs: order.packs, requestedBy: order.requestedBy },
      });
      return orderView(order);
    });
  }

  /**
   * Places one order in the caller's transaction (also used by the spreadsheet import, whose
   * row number goes into the errors). The agreement must be the hospital's own (else 404) and
   * CONFIRMED, its batch IN_FORCE; both rows are share-locked.
   */
  async placeIn(m: EntityManager, actor: Principal, dto: PlaceOrderDto, importJobId: string | null, row?: number): Promise<PurchaseOrder> {
    const at = (field: string, message: string) => (row === undefined ? { field, message } : { row, column: field, message });
    const agreement = await shareLockAgreement(m, dto.agreementId);
    if (!agreement || agreement.hospitalId !== actor.organizationId) {
      if (row === undefined) throw notFound('Agreement');
      throw validationFailed(`Row ${row}: agreement ${dto.agreementId} not found`, [at('agreementId', 'no such agreement of yours')]);
    }
    if (agreement.status !== AgreementStatus.CONFIRMED) {
      throw invalidState(`Agreement ${agreement.id} is ${agreement.status}; orders need a CONFIRMED agreement`, [at('agreementId', `is ${agreement.status}`)]);
    }
    const batch = await lockBatchShared(m, agreement.batchId);
    if (!batch || batch.status !== BatchStatus.IN_FORCE) {
      throw invalidState(`Batch ${agreement.batchId} is ${batch?.status ?? 'missing'}; orders are placed while it is IN_FORCE`, [
        at('agreementId', 'batch not IN_FORCE'),
      ]);
    }
    const now = this.clock.now();
    const order = m.getRepository(PurchaseOrder).create({
      batchId: agreement.batchId,
      agreementId: agreement.id,
      itemId: agreement.itemId,
      group: agreement.group,
      hospitalId: agreement.hospitalId,
      supplierId: agreement.supplierId,
      packs: dto.packs,
      deliveredPacks: 0,
      requestedBy: dto.requestedBy,
      status: OrderStatus.PLACED,
      placedAt: now,
      placedBy: actor.userId,
      confirmDeadline: confirmDeadline(now, batch.rules.orderConfirmHours),
      answeredAt: null,
      refusalReason: null,
      refusalNote: null,
      cancelledAt: null,
      firstDeliveredAt: null,
      completedAt: null,
      importJobId,
    });
    await m.getRepository(PurchaseOrder).insert(order);
    await this.notifications.notify(m, [order.supplierId], {
      kind: NotificationKind.ORDER_PLACED,
      message: `Order ${order.id}: ${order.packs} packs under agreement ${order.agreementId}; answer by ${order.confirmDeadline.toISOString()}`,
      entity: 'purchase_order',
      entityId: order.id,
      batchId: order.batchId,
      dedupeKey: `order-placed:${order.id}`,
    });
    return order;
  }

  /** Locks the order for an action by its own side: the other side's or an unknown order is 404; a wrong state 409. */
  private async lockFor(m: EntityManager, actor: Principal, id: number, action: OrderAction): Promise<PurchaseOrder> {
    const o = await m.getRepository(PurchaseOrder).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    const own = o && (action === 'cancel' ? o.hospitalId : o.supplierId) === actor.organizationId;
    if (!o || !own) throw notFound('Order');
    if (!canApply(o.status, action)) {
      throw invalidState(`Order ${o.id} is ${o.status}; it cannot be ${action === 'cancel' ? 'cancelled' : `${action}ed`}`, [
        { field: 'status', message: `is ${o.status}` },
      ]);
    }
    return o;
  }

  /** The supplier confirms a PLACED order (after the deadline too, recorded as not in time). */
  async confirm(actor: Principal, id: number): Promise<OrderView> {
    return this.dataSource.transaction(async (m) => {
      const o = await this.lockFor(m, actor, id, 'confirm');
      o.status = OrderStatus.CONFIRMED;
      o.answeredAt = this.clock.now();
      await m.getRepository(PurchaseOrder).update({ id: o.id }, { status: o.status, answeredAt: o.answeredAt });
      await this.audit.record(m, {
        actor,
        action: 'order.confirm',
        entity: 'purchase_order',
        entityId: o.id,
        data: { inTime: answeredInTime(o.answeredAt, o.confirmDeadline) },
      });
      await this.notifications.notify(m, [o.hospitalId], {
        kind: NotificationKind.ORDER_CONFIRMED,
        message: `Order ${o.id} (${o.packs} packs) confirmed by the supplier`,
        entity: 'purchase_order',
        entityId: o.id,
        batchId: o.batchId,
        dedupeKey: `order-confirmed:${o.id}`,
      });
      return orderView(o);
    });
  }

  /** The supplier refuses a PLACED order with a reason (STOCK_OUT, or OTHER with a note). */
  async refuse(actor: Principal, id: number, dto: RefuseOrderDto): Promise<OrderView> {
    return this.dataSource.transaction(async (m) => {
      const o = await this.lockFor(m, actor, id, 'refuse');
      Object.assign(o, { status: OrderStatus.REFUSED, answeredAt: this.clock.now(), refusalReason: dto.reason, refusalNote: dto.note ?? null });
      await m
        .getRepository(PurchaseOrder)
        .update({ id: o.id }, { status: o.status, answeredAt: o.answeredAt, refusalReason: o.refusalReason, refusalNote: o.refusalNote });
      await this.audit.record(m, {
        actor,
        action: 'order.refuse',
        entity: 'purchase_order',
        entityId: o.id,
        data: { reason: dto.reason, note: dto.note ?? null, inTime: answeredInTime(o.answeredAt!, o.confirmDeadline) },
      });
      await this.notifications.notify(m, [o.hospitalId], {
        kind: NotificationKind.ORDER_REFUSED,
        message: `Order ${o.id} (${o.packs} packs) refused by the supplier: ${dto.reason}${dto.note ? ` (${dto.note})` : ''}`,
        entity: 'purchase_order',
        entityId: o.id,
        batchId: o.batchId,
        dedupeKey: `order-refused:${o.id}`,
      });
      return orderView(o);
    });
  }

  /** The hospital cancels its own order before the supplier answered. */
  async cancel(actor: Principal, id: number): Promise<OrderView> {
    return this.dataSource.transaction(async (m) => {
      const o = await this.lockFor(m, actor, id, 'cancel');
      Object.assign(o, { status: OrderStatus.CANCELLED, cancelledAt: this.clock.now() });
      await m.getRepository(PurchaseOrder).update({ id: o.id }, { status: o.status, cancelledAt: o.cancelledAt });
      await this.audit.record(m, { actor, action: 'order.cancel', entity: 'purchase_order', entityId: o.id, data: {} });
      await this.notifications.notify(m, [o.supplierId], {
        kind: NotificationKind.ORDER_CANCELLED,
        message: `Order ${o.id} (${o.packs} packs) cancelled by the hospital`,
        entity: 'purchase_order',
        entityId: o.id,
        batchId: o.batchId,
        dedupeKey: `order-cancelled:${o.id}`,
      });
      return orderView(o);
    });
  }

  /**
   * A delivery draws on an order line, in settlement's transaction (the order row is locked):
   * the line must be the delivering supplier's, of the delivery's agreement, confirmed, and
   * still hold the packs (ordered and not yet delivered). Its delivered packs and state move on.
   */
  async recordDelivery(m: EntityManager, d: OrderDeliveryInput): Promise<PurchaseOrder> {
    const o = await m.getRepository(PurchaseOrder).findOne({ where: { id: d.orderId }, lock: { mode: 'pessimistic_write' } });
    if (!o || o.supplierId !== d.supplierId) {
      throw validationFailed(`Order ${d.orderId} not found`, [{ field: 'orderId', message: 'no such order of yours' }]);
    }
    if (o.agreementId !== d.agreementId) {
      throw validationFailed(`Order ${o.id} is under agreement ${o.agreementId}, not ${d.agreementId}`, [
        { field: 'orderId', message: `belongs to agreement ${o.agreementId}` },
      ]);
    }
    if (!canApply(o.status, 'deliver')) {
      throw invalidState(`Order ${o.id} is ${o.status}; deliveries draw on CONFIRMED or PARTIALLY_DELIVERED orders`, [
        { field: 'orderId', message: `is ${o.status}` },
      ]);
    }
    const check = applyDelivery(o.packs, o.deliveredPacks, d.packs);
    if (!check.ok) {
      throw unprocessable('DELIVERY_EXCEEDS_ORDER', `${d.packs} packs exceed the ${check.open} ordered and not yet delivered on order ${o.id}`, [
        { field: 'packs', message: `must be at most ${check.open}` },
      ]);
    }
    o.deliveredPacks = check.deliveredPacks;
    o.status = check.status;
    o.firstDeliveredAt ??= d.deliveredAt;
    if (check.status === OrderStatus.DELIVERED) o.completedAt = d.deliveredAt;
    await m
      .getRepository(PurchaseOrder)
      .update({ id: o.id }, { deliveredPacks: o.deliveredPacks, status: o.status, firstDeliveredAt: o.firstDeliveredAt, completedAt: o.completedAt });
    return o;
  }

  /**
   * Supplier punctuality over a batch's orders, one row per supplier: admins and the fund see
   * every supplier, a supplier itself, a hospital the suppliers as measured on its own orders.
   */
  async supplierPerformance(
    viewer: Principal,
    batchId: number,
    q: { supplierId?: number; limit: number; offset: number },
  ): Promise<Page<SupplierPerformanceView>> {
    const where = ['batch_id = ?', "status <> 'CANCELLED'"];
    const params: unknown[] = [batchId];
    if (viewer.role === Role.SUPPLIER) {
      where.push('supplier_id = ?');
      params.push(viewer.organizationId);
    }
    if (viewer.role === Role.HOSPITAL) {
      where.push('hospital_id = ?');
      params.push(viewer.organizationId);
    }
    if (q.supplierId !== undefined) {
      where.push('supplier_id = ?');
      params.push(q.supplierId);
    }
    const confirmed = "status IN ('CONFIRMED', 'PARTIALLY_DELIVERED', 'DELIVERED')";
    const now = this.clock.now();
    const rows = await this.dataSource.query(
      `SELECT supplier_id, COUNT(*) AS orders,
              SUM(${confirmed}) AS confirmed,
              SUM(${confirmed} AND answered_at <= confirm_deadline) AS confirmed_in_time,
              SUM(status = 'REFUSED') AS refused,
              SUM(status = 'REFUSED' AND answered_at <= confirm_deadline) AS refused_in_time,
              SUM(status = 'REFUSED' AND refusal_reason = 'STOCK_OUT') AS refused_stock_out,
              SUM(status = 'PLACED' AND confirm_deadline < ?) AS unanswered_late,
              COALESCE(SUM(CASE WHEN ${confirmed} THEN packs END), 0) AS confirmed_packs,
              COALESCE(SUM(delivered_packs), 0) AS delivered_packs,
              COALESCE(SUM(TIMESTAMPDIFF(SECOND, placed_at, first_delivered_at)), 0) AS seconds_to_delivery,
              COUNT(first_delivered_at) AS delivered_orders
         FROM purchase_orders WHERE ${where.join(' AND ')}
        GROUP BY supplier_id ORDER BY supplier_id LIMIT ? OFFSET ?`,
      [now, ...params, q.limit, q.offset],
    );
    const [{ total }] = await this.dataSource.query(`SELECT COUNT(DISTINCT supplier_id) AS total FROM purchase_orders WHERE ${where.join(' AND ')}`, params);
    const names = await namesOf(this.dataSource.manager, { organizations: rows.map((r: any) => Number(r.supplier_id)) });
    return {
      total: Number(total),
      items: rows.map((r: any) => ({
        supplierId: Number(r.supplier_id),
        supplierName: names.organization(Number(r.supplier_id)),
        orders: Number(r.orders),
        confirmed: Number(r.confirmed),
        confirmedInTime: Number(r.confirmed_in_time),
        refused: Number(r.refused),
        refusedInTime: Number(r.refused_in_time),
        refusedStockOut: Number(r.refused_stock_out),
        unansweredLate: Number(r.unanswered_late),
        confirmedPacks: Number(r.confirmed_packs),
        deliveredPacks: Number(r.delivered_packs),
        fillRate: fillRate(Number(r.delivered_packs), Number(r.confirmed_packs)),
        averageDaysToFirstDelivery: averageDays(Number(r.seconds_to_delivery), Number(r.delivered_orders)),
      })),
    };
  }

  async get(viewer: Principal, id: number): Promise<OrderView> {
    const o = await this.dataSource.getRepository(PurchaseOrder).findOneBy({ id });
    if (!o || !this.visible(viewer, o)) throw notFound('Order');
    return orderView(o);
  }

  private visible(viewer: Principal, o: PurchaseOrder): boolean {
    if (viewer.role === Role.HOSPITAL) return o.hospitalId === viewer.organizationId;
    if (viewer.role === Role.SUPPLIER) return o.supplierId === viewer.organizationId;
    return true;
  }

  /** Hospitals and suppliers see their own side; admins and the fund all. */
  async list(viewer: Principal, q: ListOrdersQueryDto): Promise<Page<OrderView & OrderNames>> {
    const qb = this.dataSource.getRepository(PurchaseOrder).createQueryBuilder('o');
    if (viewer.role === Role.HOSPITAL) qb.andWhere('o.hospitalId = :org', { org: viewer.organizationId });
    else if (viewer.role === Role.SUPPLIER) qb.andWhere('o.supplierId = :org', { org: viewer.organizationId });
    for (const key of ['batchId', 'agreementId', 'hospitalId', 'supplierId', 'status'] as const) {
      if (q[key] !== undefined) qb.andWhere(`o.${key} = :${key}`, { [key]: q[key] });
    }
    const [rows, total] = await qb.orderBy('o.id', 'DESC').take(q.limit).skip(q.offset).getManyAndCount();
    const names = await namesOf(this.dataSource.manager, { organizations: rows.flatMap((o) => [o.hospitalId, o.supplierId]) });
    return {
      items: rows.map((o) => ({ ...orderView(o), hospitalName: names.organization(o.hospitalId), supplierName: names.organization(o.supplierId) })),
      total,
    };
  }
}
