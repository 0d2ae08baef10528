import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock, Dec, notFound, Page, Principal, Role, validationFailed } from '@jicai/common';
import { organizationsByIds } from '@jicai/organizations';
import { BatchStatus, findBatch, itemsOfBatch } from '@jicai/batches';
import { openedBidCountsByItem } from '@jicai/bidding';
import { winnerTotalsByItem } from '@jicai/evaluation';
import { agreementTotalsBySupplier } from '@jicai/allocation';
import { prepaidByMonth } from '@jicai/prepayment';
import { ordersByMonth } from '@jicai/orders';
import { deliveriesByMonth, paidByMonth, paymentsByWeek, settledByMonth } from '@jicai/settlement';
import { behindHospitals, progressByHospitalLevel, progressByItem } from '@jicai/execution';
import { BehindHospitalsQueryDto, HospitalDashboardQueryDto, MonthRangeQueryDto, SupplierDashboardQueryDto, WeekRangeQueryDto } from './dto/dashboards.dto';
import type {
  BehindHospitalDto,
  FundMonthDto,
  FundPrepaidSettledDto,
  FunnelDto,
  HospitalDashboardDto,
  ItemProgressDto,
  LevelProgressDto,
  PaymentsByWeekDto,
  PaymentsWeekDto,
  PriceCutDto,
  SupplierDashboardDto,
  SupplierMonthDto,
  WinnerVolumeDto,
} from './dto/dashboards.responses';
import { byBucket, monthWindow, priceCut, sumMoney, weekWindow } from './dashboards.rules';

/** Statuses before the opening: bids are sealed, the funnel counts none. */
const SEALED = new Set<string>([BatchStatus.DRAFT, BatchStatus.PUBLISHED, BatchStatus.CLOSED, BatchStatus.CANCELLED]);
const money = (v: string | undefined) => new Dec(v ?? 0).toFixed(2);

/**
 * The dashboards of issue 15: aggregates computed in SQL by the owning modules' read
 * functions (GROUP BY over indexed columns), combined here; money as decimal strings. Each
 * role sees only its own: suppliers their own figures, hospitals their own rows.
 */
@Injectable()
export class DashboardsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  private get m() {
    return this.dataSource.manager;
  }

  private async batch(id: number) {
    const b = await findBatch(this.m, id);
    if (!b) throw notFound('Batch');
    return b;
  }

  async funnel(batchId: number): Promise<FunnelDto> {
    const b = await this.batch(batchId);
    const [items, bids, winners] = await Promise.all([
      itemsOfBatch(this.m, batchId),
      openedBidCountsByItem(this.m, batchId),
      winnerTotalsByItem(this.m, batchId),
    ]);
    const itemsWithBids = items.filter((i) => (bids.get(i.id) ?? 0) > 0).length;
    return {
      batchId,
      status: b.status,
      items: items.length,
      itemsWithBids,
      bids: [...bids.values()].reduce((a, n) => a + n, 0),
      itemsWithWinners: items.filter((i) => winners.has(i.id)).length,
      winners: [...winners.values()].reduce((a, w) => a + w.winners, 0),
      noBidItems: items.length - itemsWithBids,
      opened: !SEALED.has(b.status),
    };
  }

  async priceCuts(batchId: number): Promise<Page<PriceCutDto>> {
    await this.batch(batchId);
    const [items, bids, winners] = await Promise.all([
      itemsOfBatch(this.m, batchId),
      openedBidCountsByItem(this.m, batchId),
      winnerTotalsByItem(this.m, batchId),
    ]);
    const rows = items
      .sort((a, b) => a.id - b.id)
      .map((i) => {
        const w = winners.get(i.id);
        return {
          itemId: i.id,
          genericName: i.genericName,
          dosageForm: i.dosageForm,
          ceilingUnitPrice: i.ceilingUnitPrice,
          bids: bids.get(i.id) ?? 0,
          winners: w?.winners ?? 0,
          lowestAwardUnitPrice: w?.lowestAwardUnitPrice ?? null,
          highestAwardUnitPrice: w?.highestAwardUnitPrice ?? null,
          cut: priceCut(i.ceilingUnitPrice, w?.lowestAwardUnitPrice ?? null),
        };
      });
    return { items: rows, total: rows.length };
  }

  /** Agreed volume per winning supplier; a supplier sees only its own row. */
  async winnerVolumes(user: Principal, batchId: number): Promise<Page<WinnerVolumeDto>> {
    await this.batch(batchId);
    const rows = await agreementTotalsBySupplier(this.m, { batchId, ...(user.role === Role.SUPPLIER ? { supplierId: user.organizationId } : {}) });
    const names = await organizationsByIds(
      this.m,
      rows.map((r) => r.supplierId),
    );
    const items = rows.map((r) => ({ ...r, supplierName: names.get(r.supplierId)?.name ?? String(r.supplierId) }));
    return { items, total: items.length };
  }

  async progressByItem(batchId: number, year: number): Promise<Page<ItemProgressDto>> {
    await this.batch(batchId);
    const [rows, items] = await Promise.all([progressByItem(this.m, { batchId, year }), itemsOfBatch(this.m, batchId)]);
    const name = new Map(items.map((i) => [i.id, i.genericName]));
    const out = rows.map((r) => ({ ...r, genericName: name.get(r.itemId) ?? String(r.itemId) }));
    return { items: out, total: out.length };
  }

  async progressByLevel(batchId: number, year: number): Promise<Page<LevelProgressDto>> {
    await this.batch(batchId);
    const rows = await progressByHospitalLevel(this.m, { batchId, year });
    return { items: rows, total: rows.length };
  }

  async behindHospitals(batchId: number, q: BehindHospitalsQueryDto): Promise<Page<BehindHospitalDto>> {
    await this.batch(batchId);
    const page = await behindHospitals(this.m, { batchId, year: q.year, limit: q.limit, offset: q.offset });
    const labels = await organizationsByIds(
      this.m,
      page.items.map((r) => r.hospitalId),
    );
    return {
      total: page.total,
      items: page.items.map((r) => ({
        ...r,
        hospitalName: labels.get(r.hospitalId)?.name ?? String(r.hospitalId),
        level: labels.get(r.hospitalId)?.level ?? null,
      })),
    };
  }

  /** Every page of the behind hospitals, for the streamed export. */
  async *behindHospitalPages(batchId: number, year: number): AsyncGenerator<BehindHospitalDto[]> {
    const limit = 500;
    for (let offset = 0; ; offset += limit) {
      const page = await this.behindHospitals(batchId, Object.assign(new BehindHospitalsQueryDto(), { year, limit, offset }));
      if (page.items.length) yield page.items;
      if (page.items.length < limit) return;
    }
  }

  async supplier(user: Principal, q: SupplierDashboardQueryDto): Promise<SupplierDashboardDto> {
    const supplierId = user.role === Role.SUPPLIER ? user.organizationId : q.supplierId;
    if (supplierId === undefined) throw validationFailed('supplierId is required', [{ field: 'supplierId', message: 'required for admins and the fund' }]);
    if (q.batchId !== undefined) await this.batch(q.batchId);
    const w = monthWindow(q.from, q.to, this.clock.now());
    const f = { supplierId, from: w.from, to: w.to, ...(q.batchId !== undefined ? { batchId: q.batchId } : {}) };
    const [agreed, orders, deliveries, paid] = await Promise.all([
      agreementTotalsBySupplier(this.m, { supplierId, ...(q.batchId !== undefined ? { batchId: q.batchId } : {}) }),
      ordersByMonth(this.m, f),
      deliveriesByMonth(this.m, f),
      paidByMonth(this.m, { supplierId, from: w.from, to: w.to }),
    ]);
    const o = byBucket(orders, (r) => r.month);
    const d = byBucket(deliveries, (r) => r.month);
    const p = byBucket(paid, (r) => r.month);
    const months: SupplierMonthDto[] = w.months.map((month) => ({
      month,
      orders: o.get(month)?.orders ?? 0,
      orderedPacks: o.get(month)?.packs ?? 0,
      deliveries: d.get(month)?.deliveries ?? 0,
      deliveredPacks: d.get(month)?.packs ?? 0,
      acceptedAmount: money(d.get(month)?.acceptedAmount),
      payments: p.get(month)?.payments ?? 0,
      paidAmount: money(p.get(month)?.amount),
    }));
    const a = agreed[0];
    const sum = (k: 'orders' | 'orderedPacks' | 'deliveries' | 'deliveredPacks' | 'payments') => months.reduce((s, r) => s + r[k], 0);
    return {
      supplierId,
      batchId: q.batchId ?? null,
      agreements: a?.agreements ?? 0,
      agreedUnits: a?.units ?? 0,
      agreedAmount: money(a?.amount),
      confirmedAmount: money(a?.confirmedAmount),
      months,
      totals: {
        month: 'total',
        orders: sum('orders'),
        orderedPacks: sum('orderedPacks'),
        deliveries: sum('deliveries'),
        deliveredPacks: sum('deliveredPacks'),
        acceptedAmount: sumMoney(months.map((r) => r.acceptedAmount)),
        payments: sum('payments'),
        paidAmount: sumMoney(months.map((r) => r.paidAmount)),
      },
    };
  }

  async hospital(user: Principal, q: HospitalDashboardQueryDto): Promise<HospitalDashboardDto> {
    const hospitalId = user.role === Role.HOSPITAL ? user.organizationId : q.hospitalId;
    if (hospitalId === undefined) throw validationFailed('hospitalId is required', [{ field: 'hospitalId', message: 'required for admins and the fund' }]);
    await this.batch(q.batchId);
    const [rows, items] = await Promise.all([progressByItem(this.m, { batchId: q.batchId, year: q.year, hospitalId }), itemsOfBatch(this.m, q.batchId)]);
    const name = new Map(items.map((i) => [i.id, i.genericName]));
    const agreedUnits = rows.reduce((s, r) => s + r.agreedUnits, 0);
    const acceptedUnits = rows.reduce((s, r) => s + r.acceptedUnits, 0);
    return {
      batchId: q.batchId,
      hospitalId,
      year: q.year,
      agreedUnits,
      acceptedUnits,
      // The same ratio as a progress row's, on the hospital's sums: 4 decimals half-up.
      completion: agreedUnits > 0 ? new Dec(acceptedUnits).div(agreedUnits).toFixed(4) : null,
      expectedCompletion: rows.reduce<string | null>(
        (e, r) => (r.expectedCompletion !== null && (e === null || new Dec(r.expectedCompletion).gt(e)) ? r.expectedCompletion : e),
        null,
      ),
      items: rows.map((r) => ({
        itemId: r.itemId,
        genericName: name.get(r.itemId) ?? String(r.itemId),
        agreedUnits: r.agreedUnits,
        acceptedUnits: r.acceptedUnits,
        completion: r.completion,
        expectedCompletion: r.expectedCompletion,
        behind: r.behindHospitals > 0,
      })),
    };
  }

  async fundPrepaidSettled(q: MonthRangeQueryDto): Promise<FundPrepaidSettledDto> {
    const w = monthWindow(q.from, q.to, this.clock.now());
    const [prepaid, settled] = await Promise.all([prepaidByMonth(this.m, w), settledByMonth(this.m, w)]);
    const p = byBucket(prepaid, (r) => r.month);
    const s = byBucket(settled, (r) => r.month);
    const months: FundMonthDto[] = w.months.map((month) => ({
      month,
      disbursed: money(p.get(month)?.disbursed),
      recovered: money(p.get(month)?.recovered),
      settled: money(s.get(month)?.amount),
      fromPrepayment: money(s.get(month)?.fromPrepayment),
      fromHospital: money(s.get(month)?.fromHospital),
    }));
    const total = (k: Exclude<keyof FundMonthDto, 'month'>) => sumMoney(months.map((r) => r[k]));
    return {
      months,
      totals: {
        month: 'total',
        disbursed: total('disbursed'),
        recovered: total('recovered'),
        settled: total('settled'),
        fromPrepayment: total('fromPrepayment'),
        fromHospital: total('fromHospital'),
      },
    };
  }

  async fundPaymentsByWeek(q: WeekRangeQueryDto): Promise<PaymentsByWeekDto> {
    const w = weekWindow(q.from, q.to, this.clock.now());
    const rows = byBucket(await paymentsByWeek(this.m, { ...w, now: this.clock.now() }), (r) => r.week);
    const weeks: PaymentsWeekDto[] = w.weeks.map((week) => {
      const r = rows.get(week);
      return {
        week,
        instructions: r?.instructions ?? 0,
        due: money(r?.due),
        paidOnTime: money(r?.paidOnTime),
        paidLate: money(r?.paidLate),
        overdue: money(r?.overdue),
        pending: money(r?.pending),
      };
    });
    const total = (k: Exclude<keyof PaymentsWeekDto, 'week' | 'instructions'>) => sumMoney(weeks.map((r) => r[k]));
    return {
      weeks,
      totals: {
        week: w.weeks[0],
        instructions: weeks.reduce((s, r) => s + r.instructions, 0),
        due: total('due'),
        paidOnTime: total('paidOnTime'),
        paidLate: total('paidLate'),
        overdue: total('overdue'),
        pending: total('pending'),
      },
    };
  }
}
