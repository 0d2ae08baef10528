import ExcelJS from 'exceljs';
import { ImportColumn, runImport } from './import-runner';
import { buildTemplate, NOTES_SHEET } from './template';
import { sheetsOf } from './testing';

const COLUMNS: ImportColumn[] = [
  { key: 'itemId', header: 'itemId', required: true, description: 'the item', example: '12', width: 10 },
  { key: 'quantity', header: 'quantity', label: '需求量', aliases: ['数量'], description: 'units per year', example: '15001' },
];

describe('buildTemplate', () => {
  it('writes the header row, prefilled rows and widths on the data sheet, and notes on a second sheet', async () => {
    const buf = await buildTemplate({
      sheetName: 'Demand',
      columns: COLUMNS,
      rows: [
        [12, null],
        [13, 5],
      ],
      notes: ['Fill in quantity.'],
    });
    const sheets = await sheetsOf(buf);
    expect(Object.keys(sheets)).toEqual(['Demand', NOTES_SHEET]);
    expect(sheets.Demand).toEqual([['itemId', '需求量'], ['itemId', 'quantity'], [12], [13, 5]]);
    expect(sheets[NOTES_SHEET]).toEqual([
      ['Fill in quantity.'],
      [],
      ['Column', 'Required', 'Description', 'Example'],
      ['itemId', 'yes', 'the item', '12'],
      ['需求量 / quantity / 数量', 'no', 'units per year', '15001'],
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect(wb.getWorksheet('Demand')!.getColumn(1).width).toBe(10);
    expect(wb.getWorksheet('Demand')!.getColumn(2).width).toBe(12); // default: at least 12
  });

  it('is read back by the import runner (the notes sheet is not imported)', async () => {
    const buf = await buildTemplate({ sheetName: 'Demand', columns: COLUMNS, rows: [['12', '100']] });
    const rows = await runImport<{ itemId: string; quantity: string }>(buf, COLUMNS, { maxRows: 5 });
    expect(rows).toEqual([{ row: 3, value: { itemId: '12', quantity: '100' } }]);
  });
});
