import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Writable } from 'node:stream';
import { notFound } from '@jicai/common';
import { ExportColumn, writeXlsx } from '@jicai/spreadsheets';
import { findBatch } from '@jicai/batches';

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

const day = (d: Date | null) => (d ? new Date(d).toISOString().slice(0, 10) : null);
const time = (d: Date | null) => (d ? new Date(d).toISOString() : null);

const COLUMNS: readonly ExportColumn<ScheduleRow>[] = [
  { header: 'Prepayment ID', value: 'id' },
  { header: 'Hospital ID', value: 'hospitalId' },
  { header: 'Hospital code', value: 'hospitalCode', width: 16 },
  { header: 'Hospital', value: 'hospitalName', width: 30 },
  { header: 'Agreement year', value: 'year' },
  { header: 'Due date', value: (r) => day(r.dueDate), width: 12 },
  { header: 'Year end', value: (r) => day(r.yearEnd), width: 12 },
  { header: 'Amount', value: 'amount', decimals: 2, width: 16 },
  { header: 'Status', value: 'status', width: 12 },
  { header: 'Balance', value: 'balance', decimals: 2, width: 16 },
  { header: 'Disbursed at', value: (r) => time(r.disbursedAt), width: 26 },
  { header: 'Recovered amount', value: 'recoveredAmount', decimals: 2, width: 18 },
  { header: 'Recovered at', value: (r) => time(r.recoveredAt), width: 26 },
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
      const page: ScheduleRow[] = await this.dataSource.query(
        `SELECT p.id, p.hospital_id AS hospitalId, o.code AS hospitalCode, o.name AS hospitalName, p.year, p.amount,
                p.due_date AS dueDate, p.year_end AS yearEnd, p.status, p.balance, p.disbursed_at AS disbursedAt,
                p.recovered_amount AS recoveredAmount, p.recovered_at AS recoveredAt
         FROM prepayments p JOIN organizations o ON o.id = p.hospital_id
         WHERE p.batch_id = ? AND (p.year > ? OR (p.year = ? AND p.hospital_id > ?))
         ORDER BY p.year, p.hospital_id LIMIT ?`,
        [batchId, after.year, after.year, after.hospitalId, PAGE],
      );
      for (const r of page) yield { ...r, id: Number(r.id), hospitalId: Number(r.hospitalId), year: Number(r.year) };
      if (page.length < PAGE) return;
      const last = page[page.length - 1];
      after = { year: Number(last.year), hospitalId: Number(last.hospitalId) };
    }
  }
}
