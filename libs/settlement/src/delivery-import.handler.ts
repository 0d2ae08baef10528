import { Inject, Injectable, Optional } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AMOUNT_DP, AppError, Clock, fmt, invalidState, sum } from '@jicai/common';
import { NotificationKind, NotificationsService } from '@jicai/notifications';
import { OrdersService } from '@jicai/orders';
import { AgreementStatus, agreementsByIds } from '@jicai/allocation';
import { BatchStatus, batchesByIds, DEFAULT_RULES, lockBatchesShared } from '@jicai/batches';
import { ImportHandler, ImportHandlerFor, ImportRun, ImportWritten } from '@jicai/spreadsheets';
import { acceptedScopes, DELIVERIES_ACCEPTED, DeliveriesAcceptedListener } from './acceptance-listener';
import { ACCEPTANCE_IMPORT_KIND, AcceptanceToWrite, DELIVERY_IMPORT_CHUNK, DELIVERY_IMPORT_KIND, DeliveryToWrite } from './delivery-import';
import { inChunks } from './delivery-import.service';
import { DeliveryStatus } from './delivery.entity';
import { acceptedAmount, dueDate } from './settlement.rules';

const changed = (what: string) => invalidState(`${what} changed since the file was checked; nothing was imported: check the file and send it again`);

/** Writes a validated deliveries sheet (the job of POST /deliveries/import). */
@Injectable()
@ImportHandlerFor(DELIVERY_IMPORT_KIND)
export class DeliveryImportHandler implements ImportHandler<DeliveryToWrite> {
  constructor(
    private readonly clock: Clock,
    private readonly orders: OrdersService,
    private readonly notifications: NotificationsService,
  ) {}

  async write(m: EntityManager, { jobId, actor, rows }: ImportRun<DeliveryToWrite>): Promise<ImportWritten> {
    // Share-lock the agreements and their batches, as POST /deliveries does, and re-check
    // what may have changed since the request (a batch closed, a supplier's agreement).
    const agreements = await agreementsByIds(
      m,
      rows.map((r) => r.agreementId),
      { share: true },
    );
    const batches = [
      ...(
        await lockBatchesShared(
          m,
          [...agreements.values()].map((a) => a.batchId),
        )
      ).values(),
    ];
    if (batches.some((b) => b.status !== BatchStatus.IN_FORCE)) throw changed('The state of a batch');
    const ordersRequired = new Set(batches.filter((b) => b.rules.ordersRequired).map((b) => b.id));
    for (const r of rows) {
      const a = agreements.get(r.agreementId);
      if (!a || a.supplierId !== actor?.organizationId || a.status !== AgreementStatus.CONFIRMED) throw changed(`Agreement ${r.agreementId} (row ${r.row})`);
      if (r.orderId === null && ordersRequired.has(a.batchId)) throw changed(`The rule ordersRequired of batch ${a.batchId}`);
      // Each order line drawn on, under its lock, never beyond ordered-not-delivered (issue 13).
      if (r.orderId !== null) {
        try {
          await this.orders.recordDelivery(m, {
            orderId: r.orderId,
            agreementId: r.agreementId,
            supplierId: a.supplierId,
            packs: r.packs,
            deliveredAt: new Date(r.deliveredAt),
          });
        } catch (e) {
          if (e instanceof AppError) throw new AppError(e.statusCode, e.code, `Row ${r.row}: ${e.message}; nothing was imported`, e.details);
          throw e;
        }
      }
    }
    const now = this.clock.now();
    for (let i = 0; i < rows.length; i += DELIVERY_IMPORT_CHUNK) {
      const chunk = rows.slice(i, i + DELIVERY_IMPORT_CHUNK);
      const params = chunk.flatMap((r) => {
        const a = agreements.get(r.agreementId)!;
        return [r.agreementId, r.orderId, a.batchId, a.hospitalId, a.supplierId, r.packs, r.lotNumber, new Date(r.deliveredAt), DeliveryStatus.DELIVERED, now];
      });
      await m.query(
        `INSERT INTO deliveries (agreement_id, order_id, batch_id, hospital_id, supplier_id, packs, lot_number, delivered_at, status, created_at) VALUES ${chunk
          .map(() => '(?,?,?,?,?,?,?,?,?,?)')
          .join(',')}`,
        params,
      );
    }
    const packs = rows.reduce((n, r) => n + r.packs, 0);
    // One notice per hospital for the whole file (not one per delivery).
    const perHospital = new Map<number, number>();
    for (const r of rows) {
      const h = agreements.get(r.agreementId)!.hospitalId;
      perHospital.set(h, (perHospital.get(h) ?? 0) + 1);
    }
    await this.notifications.notifyMany(
      m,
      [...perHospital].map(([hospitalId, n]) => ({
        organizationId: hospitalId,
        kind: NotificationKind.DELIVERY_AWAITING_ACCEPTANCE,
        message: `${n} deliveries await your acceptance (GET /deliveries?status=DELIVERED)`,
        entity: 'delivery',
        dedupeKey: `delivery-import:${jobId}`,
      })),
    );
    return {
      result: { imported: rows.length, agreements: agreements.size, packs },
      audit: {
        action: 'delivery.import',
        entity: 'delivery',
        entityId: 'import',
        data: { imported: rows.length, supplierId: actor?.organizationId, agreements: agreements.size, packs },
      },
    };
  }
}

/** Writes a validated acceptances sheet (the job of POST /deliveries/acceptances/import). */
@Injectable()
@ImportHandlerFor(ACCEPTANCE_IMPORT_KIND)
export class AcceptanceImportHandler implements ImportHandler<AcceptanceToWrite> {
  constructor(@Optional() @Inject(DELIVERIES_ACCEPTED) private readonly onAccepted?: DeliveriesAcceptedListener) {}

  async write(m: EntityManager, { actor, rows }: ImportRun<AcceptanceToWrite>): Promise<ImportWritten> {
    const ids = rows.map((r) => r.deliveryId);
    // The deliveries locked for update (alone: a locking read over a join would lock the
    // agreements and the batch row exclusively too), then prices and rules read plainly.
    const deliveries = new Map<number, { hospitalId: number; status: string; packs: number; agreementId: number; batchId: number; deliveredAt: Date }>();
    for (const d of await inChunks(
      ids,
      (chunk) =>
        m.query('SELECT id, hospital_id, status, packs, agreement_id, batch_id, delivered_at FROM deliveries WHERE id IN (?) FOR UPDATE', [chunk]) as Promise<
          any[]
        >,
    )) {
      deliveries.set(Number(d.id), {
        hospitalId: Number(d.hospital_id),
        status: d.status,
        packs: Number(d.packs),
        agreementId: Number(d.agreement_id),
        batchId: Number(d.batch_id),
        deliveredAt: new Date(d.delivered_at),
      });
    }
    const prices = new Map<number, string>();
    for (const a of (
      await agreementsByIds(
        m,
        [...deliveries.values()].map((d) => d.agreementId),
      )
    ).values()) {
      prices.set(a.id, String(a.awardPrice));
    }
    const termDays = new Map<number, number>();
    for (const b of (
      await batchesByIds(
        m,
        [...deliveries.values()].map((d) => d.batchId),
      )
    ).values()) {
      termDays.set(b.id, Number.isSafeInteger(b.rules.paymentTermDays) ? b.rules.paymentTermDays : DEFAULT_RULES.paymentTermDays);
    }
    const updates = rows.map((r) => {
      const d = deliveries.get(r.deliveryId);
      if (!d || d.hospitalId !== actor?.organizationId || d.status !== DeliveryStatus.DELIVERED || r.acceptedPacks > d.packs) {
        throw changed(`Delivery ${r.deliveryId} (row ${r.row})`);
      }
      const acceptedAt = new Date(r.acceptedAt);
      // Section 10: accepted amount = acceptedPacks × award price; due = acceptance + paymentTermDays.
      return {
        id: r.deliveryId,
        packs: r.acceptedPacks,
        acceptedAt,
        amount: acceptedAmount(r.acceptedPacks, prices.get(d.agreementId)!),
        due: dueDate(acceptedAt, termDays.get(d.batchId)!),
      };
    });
    for (let i = 0; i < updates.length; i += DELIVERY_IMPORT_CHUNK) {
      const chunk = updates.slice(i, i + DELIVERY_IMPORT_CHUNK);
      const values = chunk.map((_, j) => (j === 0 ? 'SELECT ? AS id, ? AS p, ? AS at, ? AS amt, ? AS due' : 'SELECT ?,?,?,?,?')).join(' UNION ALL ');
      await m.query(
        `UPDATE deliveries d JOIN (${values}) v ON v.id = d.id
         SET d.status = 'ACCEPTED', d.accepted_packs = v.p, d.accepted_at = v.at, d.accepted_amount = v.amt, d.due_date = v.due
         WHERE d.status = 'DELIVERED'`,
        chunk.flatMap((u) => [u.id, u.packs, u.acceptedAt, u.amount, u.due]),
      );
    }
    const total = fmt(sum(updates.map((u) => u.amount)), AMOUNT_DP);
    return {
      result: { imported: updates.length, acceptedAmount: total },
      // Committed: progress and the like follow, once per batch × hospital (deduplicated jobs).
      afterCommit: async () => this.onAccepted?.accepted(acceptedScopes(deliveries.values())),
      audit: {
        action: 'delivery.accept-import',
        entity: 'delivery',
        entityId: 'import',
        data: { accepted: updates.length, hospitalId: actor?.organizationId, acceptedAmount: total },
      },
    };
  }
}
