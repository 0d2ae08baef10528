import ExcelJS from 'exceljs';
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
 * An import template (domain.md 12): the data sheet with the header row (bold, frozen,
 * column widths, cells formatted as text so Excel keeps codes such as "00123") and any
 * prefilled rows, then a Notes sheet describing each column with an example. The example
 * lives on the Notes sheet, never in the data sheet, so a template sent back unchanged
 * cannot import a sample row.
 */
export async function buildTemplate(spec: TemplateSpec): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Jicai';
  const data = wb.addWorksheet(spec.sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  data.columns = spec.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(12, c.header.length + 4), style: { numFmt: '@' } }));
  data.getRow(1).font = { bold: true };
  for (const r of spec.rows ?? []) data.addRow([...r]);

  const notes = wb.addWorksheet(NOTES_SHEET);
  notes.columns = [{ width: 24 }, { width: 10 }, { width: 70 }, { width: 24 }];
  for (const line of spec.notes ?? []) notes.addRow([line]);
  if (spec.notes?.length) notes.addRow([]);
  const head = notes.addRow(['Column', 'Required', 'Description', 'Example']);
  head.font = { bold: true };
  for (const c of spec.columns) {
    const names = [c.header, ...(c.aliases ?? [])].join(' / ');
    notes.addRow([names, c.required ? 'yes' : 'no', c.description ?? '', c.example ?? '']);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
