import { Dec } from '@jicai/common';

/** A cell's value as imports see it: formulas give their cached result, rich text its plain text. */
export type CellValue = string | number | boolean | Date | CellError | null;

/** A cell holding an Excel error such as #N/A or #DIV/0!. */
export class CellError {
  constructor(readonly code: string) {}
  toString(): string {
    return this.code;
  }
}

/** exceljs's cell value (string, number, formula, rich text, hyperlink, error...) as a CellValue. */
export function plainCellValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('error' in o) return new CellError(String(o.error));
    if ('formula' in o || 'sharedFormula' in o) return plainCellValue(o.result);
    if (Array.isArray(o.richText)) return (o.richText as { text?: string }[]).map((r) => r.text ?? '').join('');
    if ('text' in o) return plainCellValue(o.text);
  }
  return String(v);
}

/**
 * A cell as trimmed text, the form every column parser receives. Numbers are written as
 * plain decimals with at most 15 significant digits, Excel's own precision, so a cell
 * showing 0.3 that holds 0.30000000000000004 reads "0.3", and 20113061 stays "20113061"
 * (never "2.0113061e7"). Dates are ISO-8601 UTC.
 */
export function cellText(v: CellValue): string {
  if (v === null) return '';
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number') return new Dec(v).toSignificantDigits(15).toFixed();
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (v instanceof Date) return isNaN(v.getTime()) ? '' : v.toISOString();
  return v.toString();
}

export function isBlank(v: CellValue): boolean {
  return v === null || (typeof v === 'string' && v.trim() === '');
}
