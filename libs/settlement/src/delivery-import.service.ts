import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, Principal } from '@jicai/common';
import { AgreementStatus, agreementsByIds } from '@jicai/allocation';
import { BatchStatus, batchesByIds } from '@jicai/batches';
import { ImportAccepted, ImportedRow, ImportJobsService, RowErrors, runImport } from '@jicai/spreadsheets';
import { DeliveryStatus } from './delivery.entity';
import {
  ACCEPTANCE_COLUMNS,
  ACCEPTANCE_IMPORT_KIND,
  AcceptanceSheetRow,
  AcceptanceToWrite,
  DELIVERY_COLUMNS,
  DELIVERY_IMPORT_CHUNK,
  DELIVERY_IMPORT_KIND,
  DeliverySheetRow,
  DeliveryToWrite,
  MAX_DELIVERY_IMPORT_ROWS,
} from './delivery-import';

/** Runs `query` over `ids` a chunk at a time (IN lists stay short) and concatenates the rows. */
export async function inChunks<R = any>(ids: readonly number[], query: (chunk: number[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += DELIVERY_IMPORT_CHUNK) out.push(...(await query(unique.slice(i, i + DELIVERY_IMPORT_CHUNK))));
  return out;
}

const deliveryKey = (agreementId: number, lotNumber: string, packs: number, deliveredAt: Date) =>
  `${agreementId}|${lotNumber}|${packs}|${deliveredAt.getTime()}`;

/**
 * Deliveries by spreadsheet [supplier] and acceptances by spreadsheet [hospital] (domain.md
 * section 10, in bulk): the request validates every row against the database (400 with every
 * bad row, nothing written); an import job writes the whole file in one transaction, audited
 * once. The same rules as POST /deliveries and POST /deliveries/:id/accept.
 */
@Injectable()
export class DeliveryImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly imports: ImportJobsService,
    private readonly clock: Clock,
  ) {}

  async importDeliveries(actor: Principal, file: Buffer): Promise<ImportAccepted> {
    let out: DeliveryToWrite[] = [];
    await runImport<DeliverySheetRow>(file, DELIVERY_COLUMNS, { maxRows: MAX_DELIVERY_IMPORT_ROWS }, async (rows, errors) => {
      out = await this.checkDeliveries(actor, rows, errors);
    });
    return this.imports.enqueueImport(DELIVERY_IMPORT_KIND, actor, out);
  }

  async importAcceptances(actor: Principal, file: Buffer): Promise<ImportAccepted> {
    let out: AcceptanceToWrite[] = [];
    await runImport<AcceptanceSheetRow>(file, ACCEPTANCE_COLUMNS, { maxRows: MAX_DELIVERY_IMPORT_ROWS }, async (rows, errors) => {
      out = await this.checkAcceptances(actor, rows, errors);
    });
    return this.imports.enqueueImport(ACCEPTANCE_IMPORT_KIND, actor, out);
  }

  private async checkDeliveries(actor: Principal, rows: ImportedRow<DeliverySheetRow>[], errors: RowErrors): Promise<DeliveryToWrite[]> {
    const now = this.clock.now();
    const ids = rows.map((r) => r.value.agreementId);
    const agreements = new Map<number, { supplierId: number; status: string; batchStatus: string; ordersRequired: boolean }>();
    const found = await agreementsByIds(this.dataSource.manager, ids);
    const batches = await batchesByIds(
      this.dataSource.manager,
      [...found.values()].map((a) => a.batchId),
    );
    for (const a of found.values()) {
      const batch = batches.get(a.batchId);
      if (!batch) continue;
      agreements.set(a.id, { supplierId: a.supplierId, status: a.status, batchStatus: batch.status, ordersRequired: Boolean(batch.rules.ordersRequired) });
    }
    // The same delivery (agreement, lot, packs, time) recorded already, e.g. the file sent twice.
    const recorded = new Set<string>();
    for (const d of await inChunks(ids, (chunk) =>
      this.dataSource.query('SELECT agreement_id, lot_number, packs, delivered_at FROM deliveries WHERE agreement_id IN (?) AND supplier_id = ?', [
        chunk,
        actor.organizationId,
      ]),
    )) {
      recorded.add(deliveryKey(Number(d.agreement_id), d.lot_number, Number(d.packs), new Date(d.delivered_at)));
    }
    const firstRowOf = new Map<string, number>();
    const out: DeliveryToWrite[] = [];
    for (const { row, value: v } of rows) {
      const a = agreements.get(v.agreementId);
      if (!a || a.supplierId !== actor.organizationId) {
        errors.add(row, 'agreementId', `agreement ${v.agreementId} not found`);
        continue;
      }
      let good = true;
      if (a.status !== AgreementStatus.CONFIRMED) {
        errors.add(row, 'agreementId', `agreement ${v.agreementId} is ${a.status}; deliveries need a CONFIRMED agreement`);
        good = false;
      } else if (a.batchStatus !== BatchStatus.IN_FORCE) {
        errors.add(row, 'agreementId', `the batch of agreement ${v.agreementId} is ${a.batchStatus}; deliveries are recorded while it is IN_FORCE`);
        good = false;
      }
      // Issue 13: where the batch requires orders, a delivery draws on a confirmed order line.
      if (a.ordersRequired && v.orderId === null) {
        errors.add(row, 'orderId', 'is required by the batch rule ordersRequired');
        good = false;
      }
      if (v.deliveredAt.getTime() > now.getTime()) {
        errors.add(row, 'deliveredAt', 'must not be in the future');
        good = false;
      }
      const key = deliveryKey(v.agreementId, v.lotNumber, v.packs, v.deliveredAt);
      if (recorded.has(key)) {
        errors.add(
          row,
          'lotNumber',
          `this delivery (agreement ${v.agreementId}, lot ${v.lotNumber}, ${v.packs} packs, ${v.deliveredAt.toISOString()}) is recorded already`,
        );
        good = false;
      } else if (firstRowOf.has(key)) {
        errors.add(row, 'lotNumber', `the same delivery is also on row ${firstRowOf.get(key)}`);
        good = false;
      } else firstRowOf.set(key, row);
      if (good)
        out.push({
          row,
          agreementId: v.agreementId,
          packs: v.packs,
          lotNumber: v.lotNumber,
          deliveredAt: v.deliveredAt.toISOString(),
          orderId: v.orderId ?? null,
        });
    }
    return out;
  }

  private async checkAcceptances(actor: Principal, rows: ImportedRow<AcceptanceSheetRow>[], errors: RowErrors): Promise<AcceptanceToWrite[]> {
    const now = this.clock.now();
    const deliveries = new Map<number, { hospitalId: number; status: string; packs: number; deliveredAt: Date }>();
    for (const d of await inChunks(
      rows.map((r) => r.value.deliveryId),
      (chunk) => this.dataSource.query('SELECT id, hospital_id, status, packs, delivered_at FROM deliveries WHERE id IN (?)', [chunk]),
    )) {
      deliveries.set(Number(d.id), { hospitalId: Number(d.hospital_id), status: d.status, packs: Number(d.packs), deliveredAt: new Date(d.delivered_at) });
    }
    const firstRowOf = new Map<number, number>();
    const out: AcceptanceToWrite[] = [];
    for (const { row, value: v } of rows) {
      const d = deliveries.get(v.deliveryId);
      if (!d || d.hospitalId !== actor.organizationId) {
        errors.add(row, 'deliveryId', `delivery ${v.deliveryId} not found`);
        continue;
      }
      if (firstRowOf.has(v.deliveryId)) {
        errors.add(row, 'deliveryId', `delivery ${v.deliveryId} is also on row ${firstRowOf.get(v.deliveryId)}`);
        continue;
      }
      firstRowOf.set(v.deliveryId, row);
      let good = true;
      if (d.status !== DeliveryStatus.DELIVERED) {
        errors.add(row, 'deliveryId', `delivery ${v.deliveryId} is already ${d.status}; a delivery is accepted once`);
        good = false;
      }
      if (v.acceptedPacks > d.packs) {
        errors.add(row, 'acceptedPacks', `must be at most the ${d.packs} packs delivered`);
        good = false;
      }
      const acceptedAt = v.acceptedAt ?? now;
      if (acceptedAt.getTime() > now.getTime()) {
        errors.add(row, 'acceptedAt', 'must not be in the future');
        good = false;
      } else if (acceptedAt.getTime() < d.deliveredAt.getTime()) {
        errors.add(row, 'acceptedAt', `must not be before deliveredAt ${d.deliveredAt.toISOString()}`);
        good = false;
      }
      if (good) out.push({ row, deliveryId: v.deliveryId, acceptedPacks: v.acceptedPacks, acceptedAt: acceptedAt.toISOString() });
    }
    return out;
  }
}
