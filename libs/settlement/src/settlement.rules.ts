/**
 * Delivery and settlement rules (domain.md section 10), pure: no framework,
 * no I/O. Amounts are exact 2-decimal values (section 0).
 */
import { AMOUNT_DP, Dec, Decimal, fmt, parseDecimal, PRICE_DP, roundHalfUp } from '@jicai/common';

/** A refused input. `code` is stable so an API layer can map it to its own error. */
export class SettlementRuleError extends Error {
  constructor(
    readonly code: 'VALIDATION_FAILED',
    message: string,
  ) {
    super(message);
    this.name = 'SettlementRuleError';
  }
}

const invalid = (message: string) => new SettlementRuleError('VALIDATION_FAILED', message);

/** Entity ids: numbers, or strings (bigint columns arrive as strings; uuids). */
export type Id = string | number;

const MS_PER_DAY = 86_400_000;
const DIGITS = /^\d+$/;

/**
 * Orders ids deterministically: numerically when both are non-negative integers
 * (as numbers or digit strings, so "9" < "10"), otherwise by plain string
 * comparison (UTF-16 code units, locale-independent).
 */
export function compareIds(a: Id, b: Id): number {
  const sa = String(a);
  const sb = String(b);
  if (DIGITS.test(sa) && DIGITS.test(sb)) {
    const na = sa.replace(/^0+(?=\d)/, '');
    const nb = sb.replace(/^0+(?=\d)/, '');
    if (na.length !== nb.length) return na.length - nb.length;
    return na < nb ? -1 : na > nb ? 1 : 0;
  }
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function checkDate(d: unknown, what: string): Date {
  if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw invalid(`${what} must be a valid Date`);
  return d;
}

function parseAmount(value: unknown, what: string): Decimal {
  const a = parseDecimal(value, AMOUNT_DP);
  if (a === null || a.isNeg()) {
    throw invalid(`${what} must be a non-negative decimal string with at most ${AMOUNT_DP} decimals, got ${JSON.stringify(value)}`);
  }
  return a;
}

/**
 * Section 10: accepted amount = acceptedPacks × award price (2 decimals).
 * acceptedPacks is an integer ≥ 0 (a hospital may accept part of a delivery);
 * awardPrice a pack price (2 decimals, > 0). Returns a 2-decimal string.
 */
export function acceptedAmount(acceptedPacks: number, awardPrice: string): string {
  if (typeof acceptedPacks !== 'number' || !Number.isSafeInteger(acceptedPacks) || acceptedPacks < 0) {
    throw invalid(`acceptedPacks must be an integer ≥ 0, got ${JSON.stringify(acceptedPacks)}`);
  }
  const price = parseDecimal(awardPrice, PRICE_DP);
  if (price === null || !price.gt(0)) {
    throw invalid(`awardPrice must be a positive decimal string with at most ${PRICE_DP} decimals, got ${JSON.stringify(awardPrice)}`);
  }
  return fmt(roundHalfUp(price.times(acceptedPacks), AMOUNT_DP), AMOUNT_DP);
}

/**
 * Section 10: due date = acceptance time + rule `paymentTermDays` days, counted
 * as exact 24-hour UTC days (the time of day of the acceptance is kept).
 */
export function dueDate(acceptedAt: Date, paymentTermDays: number): Date {
  checkDate(acceptedAt, 'acceptedAt');
  if (typeof paymentTermDays !== 'number' || !Number.isSafeInteger(paymentTermDays) || paymentTermDays < 0) {
    throw invalid(`paymentTermDays must be an integer ≥ 0, got ${JSON.stringify(paymentTermDays)}`);
  }
  return new Date(acceptedAt.getTime() + paymentTermDays * MS_PER_DAY);
}

export interface SettlementDelivery {
  deliveryId: Id;
  batchId: Id;
  supplierId: Id;
  acceptedAt: Date;
  /** Accepted amount, 2-decimal string ≥ 0. */
  amount: string;
  dueDate: Date;
}

export interface SettleHospitalInput {
  /** The hospital's accepted, unsettled deliveries up to the cut-off, in any order. */
  deliveries: readonly SettlementDelivery[];
  /** The hospital's prepaid balance per batch (keyed by String(batchId)), 2-decimal strings ≥ 0; a missing batch has 0. */
  prepaidBalances: Readonly<Record<string, string>>;
}

export interface SettlementLine {
  deliveryId: Id;
  supplierId: Id;
  batchId: Id;
  amount: string;
  fromPrepayment: string;
  fromHospital: string;
}

export interface PaymentInstructionDraft {
  supplierId: Id;
  amount: string;
  fromPrepayment: string;
  fromHospital: string;
  /** The earliest due date among the instruction's lines. */
  dueDate: Date;
  /** Delivery ids of its lines, in settlement order. */
  lines: Id[];
}

export interface HospitalSettlement {
  /** One line per delivery, in settlement order (acceptedAt, then deliveryId). */
  lines: SettlementLine[];
  /** One instruction per supplier, in the order of each supplier's first line. */
  instructions: PaymentInstructionDraft[];
  /** Prepaid balance per batch after the run (every batch of the input balances or deliveries). */
  balancesAfter: Record<string, string>;
  /** Amount drawn from each batch's prepaid balance in this run (same keys as balancesAfter). */
  drawn: Record<string, string>;
}

/** Settlement order of section 10: acceptance time, then delivery id. */
type Ordered = Pick<SettlementDelivery, 'acceptedAt' | 'deliveryId'>;
export function compareDeliveries(a: Ordered, b: Ordered): number {
  const t = a.acceptedAt.getTime() - b.acceptedAt.getTime();
  return t !== 0 ? t : compareIds(a.deliveryId, b.deliveryId);
}

/**
 * Section 10 (冲抵): settles one hospital's deliveries.
 *
 * Deliveries are taken in order (acceptedAt, deliveryId). Each draws on the
 * hospital's prepaid balance for the delivery's own batch until that balance
 * is spent — a delivery may be split between prepayment and hospital — and the
 * rest is paid from the hospital's own settlement. One instruction per supplier
 * sums its lines; its due date is the earliest due date among those lines.
 *
 * Invariants: no balance goes below zero; for every line
 * amount = fromPrepayment + fromHospital; Σ lines = Σ delivery amounts = Σ
 * instructions, to the fen; Σ drawn = Σ fromPrepayment. All values are exact
 * 2-decimal amounts, so no rounding happens here.
 * A duplicate deliveryId is refused (a delivery is settled exactly once).
 */
export function settleHospital(input: SettleHospitalInput): HospitalSettlement {
  const balances = new Map<string, Decimal>();
  const drawn = new Map<string, Decimal>();
  for (const [batchKey, value] of Object.entries(input.prepaidBalances)) {
    balances.set(batchKey, parseAmount(value, `prepaidBalances[${batchKey}]`));
    drawn.set(batchKey, new Dec(0));
  }

  const seen = new Set<string>();
  const deliveries = input.deliveries.map((d) => {
    const key = String(d.deliveryId);
    if (seen.has(key)) throw invalid(`delivery ${key} is listed more than once`);
    seen.add(key);
    checkDate(d.acceptedAt, `acceptedAt of delivery ${key}`);
    checkDate(d.dueDate, `dueDate of delivery ${key}`);
    return { d, amount: parseAmount(d.amount, `amount of delivery ${key}`) };
  });
  deliveries.sort((x, y) => compareDeliveries(x.d, y.d));

  const lines: SettlementLine[] = [];
  type Sums = { supplierId: Id; amount: Decimal; fromPrepayment: Decimal; fromHospital: Decimal; dueDate: Date; lines: Id[] };
  const bySupplier = new Map<string, Sums>();
  for (const { d, amount } of deliveries) {
    const batchKey = String(d.batchId);
    const balance = balances.get(batchKey) ?? new Dec(0);
    const fromPrepayment = Dec.min(balance, amount);
    const fromHospital = amount.minus(fromPrepayment);
    balances.set(batchKey, balance.minus(fromPrepayment));
    drawn.set(batchKey, (drawn.get(batchKey) ?? new Dec(0)).plus(fromPrepayment));

    lines.push({
      deliveryId: d.deliveryId,
      supplierId: d.supplierId,
      batchId: d.batchId,
      amount: fmt(amount, AMOUNT_DP),
      fromPrepayment: fmt(fromPrepayment, AMOUNT_DP),
      fromHospital: fmt(fromHospital, AMOUNT_DP),
    });

    const supplierKey = String(d.supplierId);
    const ins = bySupplier.get(supplierKey);
    if (ins === undefined) {
      bySupplier.set(supplierKey, {
        supplierId: d.supplierId,
        amount,
        fromPrepayment,
        fromHospital,
        dueDate: d.dueDate,
        lines: [d.deliveryId],
      });
    } else {
      ins.amount = ins.amount.plus(amount);
      ins.fromPrepayment = ins.fromPrepayment.plus(fromPrepayment);
      ins.fromHospital = ins.fromHospital.plus(fromHospital);
      if (d.dueDate.getTime() < ins.dueDate.getTime()) ins.dueDate = d.dueDate;
      ins.lines.push(d.deliveryId);
    }
  }

  const instructions: PaymentInstructionDraft[] = [...bySupplier.values()].map((i) => ({
    supplierId: i.supplierId,
    amount: fmt(i.amount, AMOUNT_DP),
    fromPrepayment: fmt(i.fromPrepayment, AMOUNT_DP),
    fromHospital: fmt(i.fromHospital, AMOUNT_DP),
    dueDate: new Date(i.dueDate.getTime()),
    lines: i.lines,
  }));

  const balancesAfter: Record<string, string> = {};
  const drawnOut: Record<string, string> = {};
  for (const [batchKey, d] of drawn) {
    balancesAfter[batchKey] = fmt(balances.get(batchKey) ?? new Dec(0), AMOUNT_DP);
    drawnOut[batchKey] = fmt(d, AMOUNT_DP);
  }
  return { lines, instructions, balancesAfter, drawn: drawnOut };
}

/** Section 10: payment instruction states. */
export type PaymentInstructionStatus = 'PENDING' | 'PAID';

/**
 * Section 10: an instruction unpaid past its due date shows as overdue.
 * "Past" means strictly after: at the due instant itself it is not yet overdue.
 */
export function isOverdue(status: PaymentInstructionStatus | string, dueDate: Date, now: Date): boolean {
  return status === 'PENDING' && now.getTime() > dueDate.getTime();
}

const DAY_MS = 86_400_000;

/**
 * Issue 13 item 4: days overdue = the days (a started day counts whole) between the due date
 * and payment, or now while unpaid; 0 when paid or still within the term.
 */
export function daysOverdue(status: PaymentInstructionStatus | string, dueDate: Date, paidAt: Date | null, now: Date): number {
  const end = status === 'PAID' ? paidAt : now;
  if (!end || end.getTime() <= dueDate.getTime()) return 0;
  return Math.ceil((end.getTime() - dueDate.getTime()) / DAY_MS);
}
