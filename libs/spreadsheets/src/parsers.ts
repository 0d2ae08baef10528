import { decimalsOf, Dec, isDecimalString } from '@jicai/common';
import type { CellValue } from './cells';
import { bad, ok, ParseResult } from './import-runner';

/** Ready-made column parsers; each gets the trimmed cell text (never blank). */

export function text(opts: { maxLength: number; nfkc?: boolean }): (s: string) => ParseResult<string> {
  return (s) => {
    const v = opts.nfkc ? s.normalize('NFKC').trim() : s;
    if (v === '') return bad('is required');
    return v.length > opts.maxLength ? bad(`must be at most ${opts.maxLength} characters`) : ok(v);
  };
}

/**
 * A number as typed: NFKC first (full-width digits, signs, points and commas that Chinese
 * input methods type become ASCII), spaces trimmed, a leading "+" dropped, and thousands
 * separators ACCEPTED when they group by exactly three digits ("15,001", "1,234.5";
 * also "１５,００１"); any other comma ("1,5", "15,00") is refused, never guessed to be a
 * decimal comma. Answers the plain number text, or null when it is not one.
 */
export function numberText(s: string): string | null {
  let t = s.normalize('NFKC').trim().replace(/^\+/, '');
  if (t.includes(',')) {
    if (!/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return null;
    t = t.replace(/,/g, '');
  }
  return /^-?\d+(\.\d+)?$/.test(t) ? t : null;
}

/** A whole number in [min, max]; "12", "１２", "1,200" or a numeric cell 12, never "12.5" or "1e3". */
export function integer(opts: { min: number; max: number }): (s: string) => ParseResult<number> {
  return (raw) => {
    const s = numberText(raw);
    if (s === null || !/^-?\d+$/.test(s)) return bad('must be a whole number');
    const n = new Dec(s);
    if (n.lt(opts.min) || n.gt(opts.max)) return bad(`must be between ${opts.min} and ${opts.max}`);
    return ok(n.toNumber());
  };
}

/** A plain decimal string with at most maxDp decimals (domain.md 0: more is rejected, not rounded); full-width and thousands separators as numberText. */
export function decimal(opts: { maxDp: number; positive?: boolean; maxIntegerDigits?: number }): (s: string) => ParseResult<string> {
  return (raw) => {
    const s = numberText(raw);
    if (s === null || !isDecimalString(s)) return bad('must be a decimal number such as 2.5');
    if (decimalsOf(s) > opts.maxDp) return bad(`must have at most ${opts.maxDp} decimal places`);
    const d = new Dec(s);
    if (opts.positive && !d.gt(0)) return bad('must be greater than 0');
    if (opts.maxIntegerDigits !== undefined && d.abs().gte(new Dec(10).pow(opts.maxIntegerDigits))) return bad('is too large');
    return ok(s);
  };
}

/** One of the listed values, exactly (after NFKC and trimming, so a full-width "Ｂ" is "B"). */
export function oneOf<V extends string>(values: readonly V[]): (s: string) => ParseResult<V> {
  return (raw) => {
    const s = raw.normalize('NFKC').trim();
    return (values as readonly string[]).includes(s) ? ok(s as V) : bad(`must be one of ${values.join(', ')}`);
  };
}

const DATE_TEXT = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/;

/**
 * A calendar date, as a "YYYY-MM-DD" string: a date cell (Excel, WPS and LibreOffice
 * store a date as a number with a date format; the reader gives it as a Date at UTC
 * midnight of the wall-clock date), or text such as 2027-01-05, 2027/1/5, 2027.1.5 or
 * 2027年1月5日 (full-width digits too). Dates are the platform's UTC dates; a time of
 * day in the cell is refused, not dropped.
 */
export function date(): (s: string, cell: CellValue) => ParseResult<string> {
  return (raw, cell) => {
    if (cell instanceof Date) {
      if (isNaN(cell.getTime())) return bad('must be a date such as 2027-01-05');
      if (cell.getTime() % 86_400_000 !== 0) return bad('must be a date without a time of day');
      return ok(cell.toISOString().slice(0, 10));
    }
    const m = DATE_TEXT.exec(raw.normalize('NFKC').trim());
    if (!m) return bad('must be a date such as 2027-01-05');
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const t = new Date(Date.UTC(y, mo - 1, d));
    if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return bad('is not a real date');
    return ok(t.toISOString().slice(0, 10));
  };
}

/**
 * An instant, as a Date: a date-time cell (taken as UTC wall-clock time, as the platform
 * states every time in UTC), or ISO-8601 text (with or without a zone; without one, UTC),
 * or a date alone (UTC midnight).
 */
export function dateTime(): (s: string, cell: CellValue) => ParseResult<Date> {
  return (raw, cell) => {
    if (cell instanceof Date) return isNaN(cell.getTime()) ? bad('must be a date and time such as 2027-01-05 08:30') : ok(cell);
    const s = raw.normalize('NFKC').trim();
    const day = date()(s, s);
    if (day.value !== undefined) return ok(new Date(`${day.value}T00:00:00Z`));
    const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(s);
    if (!m) return bad('must be a date and time such as 2027-01-05 08:30');
    const t = new Date(`${m[1]}T${m[2]}${m[5] ?? 'Z'}`);
    return isNaN(t.getTime()) ? bad('is not a real date and time') : ok(t);
  };
}

/** A database id: a positive whole number. */
export const id = integer({ min: 1, max: 4294967295 });
