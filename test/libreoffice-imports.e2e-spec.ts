import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bearer, createTestApp, TestApp } from './helpers/test-app';
import { API, createPublishedBatch, ItemSpec, LEVAMLODIPINE_ITEM, upload } from './helpers/fixtures';
import { importAndWait } from './helpers/imports';

jest.setTimeout(120_000);

const fixture = (name: string) => readFileSync(path.join(__dirname, 'fixtures/libreoffice', name));
const AMLODIPINE: ItemSpec = {
  genericName: '苯磺酸氨氯地平',
  dosageForm: '片剂',
  representativeStrength: { value: '5', unit: 'mg' },
  ceilingUnitPrice: '0.2000',
};

/**
 * Issue 10 item 1 against files LibreOffice 7.4 wrote (test/fixtures/libreoffice, how they
 * were made in its README): a formula whose cached result is 0, full-width digits and
 * letters, thousands separators, numbers stored as text, a notes sheet first; every error of
 * a file in one answer naming sheet, row, header and value; .ods, .xls and .csv told to save
 * as .xlsx.
 */
describe('imports of files saved by LibreOffice (e2e)', () => {
  let t: TestApp;
  let itemIds: number[];
  let batchId: number;

  beforeAll(async () => {
    t = await createTestApp();
    const admin = bearer(t.adminToken);
    for (const [name, code, type] of [
      ['LibreOffice 医院', 'LO-HOSP-1', 'HOSPITAL'],
      ['LibreOffice 药业', 'LO-SUP-1', 'SUPPLIER'],
    ]) {
      const r = await t.http().post(`${API}/organizations`).set(admin).send({ name, code, type });
      expect(r.status).toBe(201);
    }
    const b = await createPublishedBatch(t, { items: [LEVAMLODIPINE_ITEM, AMLODIPINE] });
    batchId = b.id;
    itemIds = b.itemIds;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('imports the demand sheet: the formula =14500-14500 is 0, full-width and grouped numbers are read, the notes sheet first is passed over', async () => {
    // The fixture names items 1 and 2: this suite's database is its own, and these are its first items.
    expect(itemIds).toEqual([1, 2]);
    const { res, job } = await importAndWait(t, t.adminToken, `${API}/batches/${batchId}/demand/import`, fixture('demand-libreoffice.xlsx'));
    expect(res.body.rows).toBe(4);
    expect(job).toMatchObject({ state: 'completed', result: { imported: 4 } });
    const list = await t.http().get(`${API}/batches/${batchId}/demand`).set(bearer(t.adminToken));
    expect(list.body.items.map((d: { itemId: number; group: string; quantity: number }) => [d.itemId, d.group, d.quantity])).toEqual([
      [1, 'A', 0], // <f>14500-14500</f><v>0</v>: was read as blank and left unchanged before
      [1, 'B', 15001], // 'Ｂ' and '１５，００１' typed with a Chinese input method
      [2, 'A', 2500], // item id '２' as text, quantity '2,500'
      [2, 'B', 300], // '  300 ' stored as text
    ]);
  });

  it('reports every error of the products sheet in one answer, naming sheet, row, header and the value seen', async () => {
    const res = await upload(t, t.adminToken, `${API}/catalog/products/import`, fixture('products-libreoffice.xlsx'));
    expect([res.status, res.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.body.message).toBe('The file has 3 error(s) in 2 row(s) of sheet "产品"; nothing was imported');
    expect(res.body.details).toEqual([
      { sheet: '产品', row: 3, column: 'strengthValue', header: '规格', cell: 'C3', value: '0,25', message: 'must be a decimal number such as 2.5' },
      { sheet: '产品', row: 4, column: 'packSize', header: '包装数量', cell: 'E4', value: '0', message: expect.stringMatching(/^must be between 1 and/) },
      // Row 2's number is full-width; the duplicate is reported although row 4 has another error.
      {
        sheet: '产品',
        row: 4,
        column: 'approvalNumber',
        header: '批准文号',
        cell: 'I4',
        value: '国药准字H20113061',
        message: '国药准字H20113061 is also on row 2',
      },
    ]);
  });

  it('tells .ods, .xls and .csv to be saved as .xlsx, in Chinese and English', async () => {
    for (const [file, kind] of [
      ['products-libreoffice.ods', /OpenDocument spreadsheet \(\.ods\)/],
      ['products-libreoffice.xls', /old-format Excel file \(\.xls\)/],
      ['products-libreoffice.csv', /text or CSV file/],
    ] as const) {
      const res = await upload(t, t.adminToken, `${API}/catalog/products/import`, fixture(file));
      expect([file, res.status, res.body.code]).toEqual([file, 400, 'VALIDATION_FAILED']);
      expect(res.body.message).toMatch(kind);
      expect(res.body.message).toContain('另存为');
      expect(res.body.message).toContain('Save it as an Excel workbook (.xlsx)');
    }
  });
});
