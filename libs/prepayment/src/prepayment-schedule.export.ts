import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Writable } from 'node:stream';
import { notFound } from '@jicai/common';
import { ExportColumn, writeXlsx } from '@jicai/spreadsheets';
import { findBatch } from '@jicai/batches';
import { organizationsByIds } from '@jicai/organizations';

interface ScheduleRow {
  id: number;
  hospitalId: number;
  hospitalCode: string;
  hospitalName: string;
  year: number;
  amount: string;
  dueDate: Date;
  yearEnd: Date;
  status: string;
  balance: string;
  disbursedAt: Date | null;
  recoveredAmount: string | null;
  recoveredAt: Date | null;
}

const COLUMNS: readonly ExportColumn<ScheduleRow>[] = [
  { header: 'prepaymentId', label: '预付款ID', value: 'id', kind: 'id' },
  { header: 'hospitalId', label: '医院ID', value: 'hospitalId', kind: 'id' },
  { header: 'hospitalCode', label: '医院编码', value: 'hospitalCode', width: 16 },
  { header: 'hospitalName', label: '医院', value: 'hospitalName', width: 30 },
  { header: 'year', label: '协议年度', value: 'year', kind: 'integer' },
  { header: 'dueDate', label: '应付日期', value: 'dueDate', kind: 'date', width: 12 },
  { header: 'yearEnd', label: '年度结束日', value: 'yearEnd', kind: 'date', width: 12 },
  { header: 'amount', label: '预付金额（元）', value: 'amount', decimals: 2, width: 16 },
  { header: 'status', label: '状态', value: 'status', width: 12 },
  { header: 'balance', label: '余额（元）', value: 'balance', decimals: 2, width: 16 },
  { header: 'disbursedAt', label: '拨付时间', value: 'disbursedAt', kind: 'datetime', width: 22 },
  { header: 'recoveredAmount', label: '收回金额（元）', value: 'recoveredAmount', decimals: 2, width: 18 },
  { header: 'recoveredAt', label: '收回时间', value: 'recoveredAt', kind: 'datetime', width: 22 },
];

const PAGE = 1000;

/** GET /prepayments/schedule.xlsx (domain.md section 12): the prepayment schedule of a batch, streamed. */
@Injectable()
export class PrepaymentScheduleExport {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Checks the batch before any byte is sent (a 404 cannot follow a started download). */
  async batchCode(batchId: number): Promise<string> {
    const b = await findBatch(this.dataSource.manager, batchId);
    if (!b) throw notFound('Batch');
    return b.code;
  }

  async write(out: Writable, batchId: number, batchCode: string): Promise<void> {
    await writeXlsx(out, [{ name: `Prepayments ${batchCode}`, columns: COLUMNS, rows: this.rows(batchId) }]);
  }

  /** Keyset pages in schedule order (year, hospital): memory stays flat for any batch size. */
  private async *rows(batchId: number): AsyncIterable<ScheduleRow> {
    let after = { year: 0, hospitalId: 0 };
    for (;;) {
      const page: Omit<ScheduleRow, 'hospitalCode' | 'hospitalName'>[] = await this.dataSource.query(
        `SELECT p.id, p.hospital_id AS hospitalId, p.year, p.amount,
                p.due_date AS dueDate, p.year_end AS yearEnd, p.status, p.balance, p.disbursed_at AS disbursedAt,
                p.recovered_amount AS recoveredAmount, p.recovered_at AS recoveredAt
         FROM prepayments p
         WHERE p.batch_id = ? AND (p.year > ? OR (p.year = ? AND p.hospital_id > ?))
         ORDER BY p.year, p.hospital_id LIMIT ?`,
        [batchId, after.year, after.year, after.hospitalId, PAGE],
      );
      const hospitals = await organizationsByIds(
        this.dataSource.manager,
        page.map((r) => Number(r.hospitalId)),
      );
      for (const r of page) {
        const h = hospitals.get(Number(r.hospitalId));
        yield { ...r, hospitalCode: h?.code ?? '', hospitalName: h?.name ?? '', id: Number(r.id), hospitalId: Number(r.hospitalId), year: Number(r.year) };
      }
      if (page.length < PAGE) return;
      const last = page[page.length - 1];
      after = { year: Number(last.year), hospitalId: Number(last.hospitalId) };
    }
  }
}
