import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock, invalidState, Principal } from '@jicai/common';
import { AgreementStatus, agreementsByIds, SharedAgreement } from '@jicai/allocation';
import { type Batch, BatchStatus, batchesByIds, lockBatchShared } from '@jicai/batches';
import { NotificationKind, NotificationsService } from '@jicai/notifications';
import {
  buildTemplate,
  ImportAccepted,
  ImportedRow,
  ImportHandler,
  ImportHandlerFor,
  ImportJobsService,
  ImportRun,
  ImportWritten,
  RowErrors,
  runImport,
} from '@jicai/spreadsheets';
import { MAX_ORDER_IMPORT_ROWS, ORDER_COLUMNS, ORDER_IMPORT_CHUNK, ORDER_IMPORT_KIND, ORDER_TEMPLATE_NOTES, OrderRow, OrderToWrite } from './order-import';
import { OrderStatus, confirmDeadline } from './orders.rules';

/** Why a row's agreement cannot take an order now (the same rules as POST /orders), or null. */
function refusal(
  hospitalId: number,
  a: SharedAgreement | undefined,
  batches: Map<number, Batch>,
  agreementId: number,
): { column: string; message: string } | null {
  if (!a || a.hospitalId !== hospitalId) return { column: 'agreementId', message: `no agreement ${agreementId} of yours` };
  if (a.status !== AgreementStatus.CONFIRMED) return { column: 'agreementId', message: `agreement ${a.id} is ${a.status}; orders need a CONFIRMED agreement` };
  const b = batches.get(a.batchId);
  if (!b || b.status !== BatchStatus.IN_FORCE)
    return { column: 'agreementId', message: `batch ${a.batchId} is ${b?.status ?? 'missing'}; orders are placed while it is IN_FORCE` };
  return null;
}

/** Purchase orders by spreadsheet [hospital]: the template, and the all-or-nothing import (api side). */
@Injectable()
export class OrderImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly imports: ImportJobsService,
  ) {}

  /** GET /orders/template.xlsx: the columns to fill in, with notes. */
  template(): Promise<Buffer> {
    return buildTemplate({ sheetName: 'Orders', columns: ORDER_COLUMNS, notes: ORDER_TEMPLATE_NOTES });
  }

  /** POST /orders/import: every row checked as POST /orders would (400 naming each bad cell); a valid file → 202 {jobId, rows}. */
  async importXlsx(actor: Principal, file: Buffer): Promise<ImportAccepted> {
    const rows = await runImport<OrderRow>(file, ORDER_COLUMNS, { maxRows: MAX_ORDER_IMPORT_ROWS }, (r, errors) => this.check(actor, r, errors));
    const out: OrderToWrite[] = rows.map(({ row, value }) => ({ row, ...value }));
    return this.imports.enqueueImport(ORDER_IMPORT_KIND, actor, out);
  }

  private async check(actor: Principal, rows: ImportedRow<OrderRow>[], errors: RowErrors): Promise<void> {
    const m = this.dataSource.manager;
    const agreements = await agreementsByIds(
      m,
      rows.map((r) => r.value.agreementId),
    );
    const batches = await batchesByIds(m, [...new Set([...agreements.values()].map((a) => a.batchId))]);
    for (const { row, value: v } of rows) {
      const bad = refusal(actor.organizationId, agreements.get(v.agreementId), batches, v.agreementId);
      if (bad) errors.add(row, bad.column, bad.message);
    }
  }
}

/**
 * Writes a checked orders sheet (the job of POST /orders/import): the agreements and their
 * batches share-locked and checked again (a change since the request refuses the whole file),
 * every order in multi-row INSERTs marked with the job id, and one ORDER_PLACED notification
 * per supplier by one INSERT ... SELECT over the job's orders.
 */
@Injectable()
@ImportHandlerFor(ORDER_IMPORT_KIND)
export class OrderImportHandler implements ImportHandler<OrderToWrite> {
  constructor(
    private readonly clock: Clock,
    private readonly notifications: NotificationsService,
  ) {}

  async write(m: EntityManager, { jobId, actor, rows }: ImportRun<OrderToWrite>): Promise<ImportWritten> {
    const hospitalId = actor!.organizationId;
    const agreements = await agreementsByIds(
      m,
      rows.map((r) => r.agreementId),
      { share: true },
    );
    const batches = new Map<number, Batch>();
    for (const id of [...new Set([...agreements.values()].map((a) => a.batchId))].sort((a, b) => a - b)) {
      const b = await lockBatchShared(m, id);
      if (b) batches.set(id, b);
    }
    for (const r of rows) {
      if (refusal(hospitalId, agreements.get(r.agreementId), batches, r.agreementId)) {
        throw invalidState(
          `Agreement ${r.agreementId} (row ${r.row}) changed since the file was checked; nothing was imported: check the file and send it again`,
        );
      }
    }
    const now = this.clock.now();
    for (let i = 0; i < rows.length; i += ORDER_IMPORT_CHUNK) {
      const chunk = rows.slice(i, i + ORDER_IMPORT_CHUNK);
      await m.query(
        `INSERT INTO purchase_orders (batch_id, agreement_id, item_id, group_name, hospital_id, supplier_id, packs, delivered_packs, requested_by, status,
                                      placed_at, placed_by, confirm_deadline, import_job_id) VALUES ?`,
        [
          chunk.map((r) => {
            const a = agreements.get(r.agreementId)!;
            const deadline = confirmDeadline(now, batches.get(a.batchId)!.rules.orderConfirmHours);
            return [
              a.batchId,
              a.id,
              a.itemId,
              a.group,
              a.hospitalId,
              a.supplierId,
              r.packs,
              0,
              r.requestedBy,
              OrderStatus.PLACED,
              now,
              actor!.userId,
              deadline,
              jobId,
            ];
          }),
        ],
      );
    }
    // One notification per supplier (its orders counted), from the job's own rows.
    await this.notifications.notifyEach(
      m,
      {
        sql: `SELECT supplier_id AS organization_id, NULL AS entity_id, MIN(batch_id) AS batch_id,
                     CONCAT(COUNT(*), ' order(s) placed by spreadsheet; answer each by ', DATE_FORMAT(MIN(confirm_deadline), '%Y-%m-%dT%H:%i:%sZ')) AS message,
                     CONCAT('orders-import:', ?, ':', supplier_id) AS dedupe_key
                FROM purchase_orders WHERE import_job_id = ? GROUP BY supplier_id`,
        params: [jobId, jobId],
      },
      { kind: NotificationKind.ORDER_PLACED, entity: 'purchase_order' },
    );
    return {
      result: { imported: rows.length },
      audit: {
        action: 'order.import',
        entity: 'purchase_order',
        entityId: 'import',
        data: { orders: rows.length, hospitalId, packs: rows.reduce((s, r) => s + r.packs, 0) },
      },
    };
  }
}
