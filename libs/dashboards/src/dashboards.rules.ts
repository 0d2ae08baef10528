import { Dec, validationFailed } from '@jicai/common';

/**
 * Pure rules of the dashboards (issue 15): price cuts, the windows and buckets of the time
 * series, and filling the months/weeks without activity with zeros so every chart has one
 * point per bucket.
 */

/** Price cut of an item: 1 − lowest award UCP ÷ ceiling UCP, 4 decimals half-up; null without winners. */
export function priceCut(ceilingUnitPrice: string, lowestAwardUnitPrice: string | null): string | null {
  if (lowestAwardUnitPrice === null) return null;
  const ceiling = new Dec(ceilingUnitPrice);
  if (ceiling.lte(0)) return null;
  return new Dec(1).minus(new Dec(lowestAwardUnitPrice).div(ceiling)).toFixed(4);
}

/** Longest window a time series answers (months); beyond it 400 VALIDATION_FAILED. */
export const MAX_SERIES_MONTHS = 36;

const monthStart = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
const addMonths = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, 1));

/**
 * The window [from, to) of a monthly series from `YYYY-MM` bounds, both included: by default the
 * 12 months ending with the current one. 400 when from is after to or the span exceeds 36 months.
 */
export function monthWindow(fromMonth: string | undefined, toMonth: string | undefined, now: Date): { from: Date; to: Date; months: string[] } {
  const parse = (m: string) => new Date(`${m}-01T00:00:00.000Z`);
  const last = toMonth ? parse(toMonth) : monthStart(now);
  const first = fromMonth ? parse(fromMonth) : addMonths(last, -11);
  const months: string[] = [];
  for (let d = first; d <= last; d = addMonths(d, 1)) {
    months.push(d.toISOString().slice(0, 7));
    if (months.length > MAX_SERIES_MONTHS) throw validationFailed(`A series covers at most ${MAX_SERIES_MONTHS} months`);
  }
  if (!months.length) throw validationFailed('from must not be after to');
  return { from: first, to: addMonths(last, 1), months };
}

const DAY = 86_400_000;
/** The Monday (UTC) of a date's week. */
export const mondayOf = (d: Date) => {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY);
};

/** Longest window of the weekly series (weeks). */
export const MAX_SERIES_WEEKS = 104;

/**
 * The window [from, to) of a weekly series from two dates (`YYYY-MM-DD`, both weeks included), as
 * whole weeks Monday to Monday: by default 8 weeks back and 8 ahead of the current week.
 */
export function weekWindow(fromDate: string | undefined, toDate: string | undefined, now: Date): { from: Date; to: Date; weeks: string[] } {
  const thisWeek = mondayOf(now);
  const first = fromDate ? mondayOf(new Date(`${fromDate}T00:00:00.000Z`)) : new Date(thisWeek.getTime() - 8 * 7 * DAY);
  const last = toDate ? mondayOf(new Date(`${toDate}T00:00:00.000Z`)) : new Date(thisWeek.getTime() + 8 * 7 * DAY);
  const weeks: string[] = [];
  for (let d = first; d <= last; d = new Date(d.getTime() + 7 * DAY)) {
    weeks.push(d.toISOString().slice(0, 10));
    if (weeks.length > MAX_SERIES_WEEKS) throw validationFailed(`A series covers at most ${MAX_SERIES_WEEKS} weeks`);
  }
  if (!weeks.length) throw validationFailed('from must not be after to');
  return { from: first, to: new Date(last.getTime() + 7 * DAY), weeks };
}

/** Rows keyed by their bucket (month or week), to give every bucket of a series a point (zeros where no row). */
export function byBucket<T>(rows: readonly T[], bucket: (r: T) => string): Map<string, T> {
  return new Map(rows.map((r) => [bucket(r), r]));
}

/** Σ of decimal strings, 2 decimals. */
export const sumMoney = (values: readonly string[]) => values.reduce((a, v) => a.plus(v), new Dec(0)).toFixed(2);
