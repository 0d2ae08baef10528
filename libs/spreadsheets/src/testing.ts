import ExcelJS from 'exceljs';

/**
 * Builds a small workbook the way Excel files look (shared strings, sheets before
 * sharedStrings.xml in the zip): for unit and e2e tests of imports.
 */
export async function workbookOf(sheets: Record<string, readonly (readonly unknown[])[]>): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const ws = wb.addWorksheet(name);
    rows.forEach((r, i) => {
      if (r.length) ws.getRow(i + 1).values = [...r] as ExcelJS.CellValue[];
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Every sheet's rows as plain values (1-based rows, cells from column A), read with exceljs's in-memory reader. */
export async function sheetsOf(buf: Buffer): Promise<Record<string, unknown[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out: Record<string, unknown[][]> = {};
  wb.eachSheet((ws) => {
    const rows: unknown[][] = [];
    ws.eachRow({ includeEmpty: true }, (row, n) => {
      rows[n - 1] = (row.values as unknown[]).slice(1);
    });
    out[ws.name] = rows;
  });
  return out;
}
