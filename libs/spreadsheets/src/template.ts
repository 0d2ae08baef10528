import ExcelJS from 'exceljs';
import { applyAutoFilter, EXPORT_HEADER_ROWS, FROZEN_HEADER_VIEW, writeHeaderRows } from './export';
import { ImportColumn } from './import-runner';

export type TemplateCell = string | number | null;

export interface TemplateSpec {
  /** The data sheet, which imports read (the first sheet). */
  sheetName: string;
  columns: readonly ImportColumn[];
  /** Rows written under the header, e.g. a batch's items × groups to fill in. */
  rows?: readonly (readonly TemplateCell[])[];
  /** Lines shown above the column table on the "Notes" sheet. */
  notes?: readonly string[];
}

export const NOTES_SHEET = 'Notes';

/**
 * An import template (domain.md 12) in the export convention: the data sheet with the
 * Chinese headers on row 1 and the English field names on row 2 (both frozen, an
 * auto-filter, column widths; the import accepts either header row and passes over the
 * second), cells formatted as text unless the column says otherwise (so Excel keeps codes
 * such as "00123"), any prefilled rows, then a Notes sheet describing each column with
 * an example. The example lives on the Notes sheet, never in the data sheet, so a
 * template sent back unchanged cannot import a sample row.
 */
export async function buildTemplate(spec: TemplateSpec): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jicai';
  const data = wb.addWorksheet(spec.sheetName, { views: [FROZEN_HEADER_VIEW] });
  writeHeaderRows(
    data,
    spec.columns.map((c) => ({
      header: c.header,
      label: c.label,
      value: () => null,
      width: c.width ?? Math.max(12, c.header.length + 4, [...(c.label ?? '')].length * 2 + 4),
    })),
  );
  spec.columns.forEach((c, i) => {
    const col = data.getColumn(i + 1);
    col.numFmt = c.numFmt ?? '@';
  });
  for (const r of spec.rows ?? []) data.addRow([...r]);
  applyAutoFilter(data, spec.columns.length, EXPORT_HEADER_ROWS + (spec.rows?.length ?? 0));

  const notes = wb.addWorksheet(NOTES_SHEET);
  notes.columns = [{ width: 24 }, { width: 10 }, { width: 70 }, { width: 24 }];
  for (const line of spec.notes ?? []) notes.addRow([line]);
  if (spec.notes?.length) notes.addRow([]);
  const head = notes.addRow(['Column', 'Required', 'Description', 'Example']);
  head.font = { bold: true };
  for (const c of spec.columns) {
    const names = [...new Set([c.label ?? c.header, c.header, ...(c.aliases ?? [])])].join(' / ');
    notes.addRow([names, c.required ? 'yes' : 'no', c.description ?? '', c.example ?? '']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
