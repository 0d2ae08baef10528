import { decimalsOf, Dec, isDecimalString } from '@jicai/common';
import { bad, ok, ParseResult } from './import-runner';

/** Ready-made column parsers; each gets the trimmed cell text (never blank). */

export function text(opts: { maxLength: number; nfkc?: boolean }): (s: string) => ParseResult<string> {
  return (s) => {
    const v = opts.nfkc ? s.normalize('NFKC').trim() : s;
    if (v === '') return bad('is required');
    return v.length > opts.maxLength ? bad(`must be at most ${opts.maxLength} characters`) : ok(v);
  };
}

/** A whole number in [min, max]; "12" or a numeric cell 12, never "12.5" or "1e3". */
export function integer(opts: { min: number; max: number }): (s: string) => ParseResult<number> {
  return (s) => {
    if (!/^[+-]?\d+$/.test(s)) return bad('must be a whole number');
    const n = new Dec(s);
    if (n.lt(opts.min) || n.gt(opts.max)) return bad(`must be between ${opts.min} and ${opts.max}`);
    return ok(n.toNumber());
  };
}

/** A plain decimal string with at most maxDp decimals (domain.md 0: more is rejected, not rounded). */
export function decimal(opts: { maxDp: number; positive?: boolean; maxIntegerDigits?: number }): (s: string) => ParseResult<string> {
  return (s) => {
    if (!isDecimalString(s)) return bad('must be a decimal number such as 2.5');
    if (decimalsOf(s) > opts.maxDp) return bad(`must have at most ${opts.maxDp} decimal places`);
    const d = new Dec(s);
    if (opts.positive && !d.gt(0)) return bad('must be greater than 0');
    if (opts.maxIntegerDigits !== undefined && d.abs().gte(new Dec(10).pow(opts.maxIntegerDigits))) return bad('is too large');
    return ok(s);
  };
}

/** One of the listed values, exactly (after trimming). */
export function oneOf<V extends string>(values: readonly V[]): (s: string) => ParseResult<V> {
  return (s) => ((values as readonly string[]).includes(s) ? ok(s as V) : bad(`must be one of ${values.join(', ')}`));
}

/** A database id: a positive whole number. */
export const id = integer({ min: 1, max: 4294967295 });
