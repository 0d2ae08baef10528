import { DataSource } from 'typeorm';
import { bearer, createOrgUser, createTestApp, TestApp, waitForJob } from './helpers/test-app';
import { API, createProduct, download, nextApprovalNumber, productBody, sheetsOf, upload, workbookOf, XLSX_MIME } from './helpers/fixtures';
import { importAndWait, importJob, importJobCount, withImportsPaused, rowErrors } from './helpers/imports';
import { ImportJobPayload, ImportRunner } from '@jicai/spreadsheets';

jest.setTimeout(120_000);

const PRODUCTS = `${API}/catalog/products`;
const HEADER = [
  'genericName',
  'dosageForm',
  'strengthValue',
  'strengthUnit',
  'packSize',
  'smallestUnit',
  'qualityTier',
  'supplierId',
  'supplierCode',
  'approvalNumber',
];

type Org = Awaited<ReturnType<typeof createOrgUser>>;

describe('catalog (e2e)', () => {
  let t: TestApp;
  let supplierA: Org;
  let supplierB: Org;
  let hospital: Org;
  let fund: Org;
  let supplierBCode: string;
  let ds: DataSource;
  const count = async () => Number((await ds.query('SELECT COUNT(*) AS n FROM products'))[0].n);

  beforeAll(async () => {
    t = await createTestApp();
    ds = t.app.get(DataSource);
    supplierA = await createOrgUser(t, 'SUPPLIER', '华海药业');
    supplierB = await createOrgUser(t, 'SUPPLIER', '石药集团');
    hospital = await createOrgUser(t, 'HOSPITAL');
    fund = await createOrgUser(t, 'FUND');
    supplierBCode = (await ds.query('SELECT code FROM organizations WHERE id = ?', [supplierB.orgId]))[0].code;
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('POST /catalog/products', () => {
    it('creates a product, trimming names and normalising the strength (201)', async () => {
      const approvalNumber = nextApprovalNumber();
      const res = await t
        .http()
        .post(PRODUCTS)
        .set(bearer(t.adminToken))
        .send(
          productBody(supplierA.orgId, { genericName: '  苯磺酸氨氯地平 ', dosageForm: '片剂\u3000', strength: { value: '5.00', unit: 'MG' }, approvalNumber }),
        );
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(Number),
        genericName: '苯磺酸氨氯地平',
        dosageForm: '片剂',
        strength: { value: '5', unit: 'mg' },
        packSize: 28,
        smallestUnit: '片',
        qualityTier: 'CONSISTENCY_PASSED',
        supplierId: supplierA.orgId,
        approvalNumber,
        listedPackPrice: null,
      });
      const [row] = await ds.query('SELECT generic_name_norm, dosage_form_norm FROM products WHERE id = ?', [res.body.id]);
      expect(row).toEqual({ generic_name_norm: '苯磺酸氨氯地平', dosage_form_norm: '片剂' });
      const audit = await t.http().get(`${API}/audit?entity=product&entityId=${res.body.id}`).set(bearer(t.adminToken));
      expect(audit.body.items.map((a: { action: string }) => a.action)).toEqual(['product.create']);
    });

    it('refuses bad input with 400 VALIDATION_FAILED and per-field details, writing nothing', async () => {
      const before = await count();
      const cases: [object, string][] = [
        [{ qualityTier: 'BIOSIMILAR' }, 'qualityTier'],
        [{ strength: { value: 'abc', unit: 'mg' } }, 'strength.value'],
        [{ strength: { value: '0', unit: 'mg' } }, 'strength.value'],
        [{ strength: { value: '2.1234567', unit: 'mg' } }, 'strength.value'], // 7 decimals; at most 6
        [{ strength: { value: 2.5, unit: 'mg' } }, 'strength.value'], // a number, not a decimal string
        [{ strength: { value: '2.5', unit: '   ' } }, 'strength.unit'],
        [{ packSize: 0 }, 'packSize'],
        [{ packSize: 2.5 }, 'packSize'],
        [{ genericName: '   ' }, 'genericName'],
        [{ approvalNumber: '' }, 'approvalNumber'],
        [{ supplierId: hospital.orgId }, 'supplierId'], // a hospital, not a supplier
        [{ supplierId: 999999 }, 'supplierId'],
      ];
      for (const [override, field] of cases) {
        const res = await t.http().post(PRODUCTS).set(bearer(t.adminToken)).send(productBody(supplierA.orgId, override));
        expect({ override, status: res.status, code: res.body.code }).toEqual({ override, status: 400, code: 'VALIDATION_FAILED' });
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      const extra = await t
        .http()
        .post(PRODUCTS)
        .set(bearer(t.adminToken))
        .send({ ...productBody(supplierA.orgId), price: '1.00' });
      expect(extra.status).toBe(400);
      expect(await count()).toBe(before);
    });

    it('refuses a duplicate approval number with 409 ALREADY_EXISTS, also full-width or in another case', async () => {
      const approvalNumber = `国药准字H${process.pid}77`;
      expect((await t.http().post(PRODUCTS).set(bearer(t.adminToken)).send(productBody(supplierA.orgId, { approvalNumber }))).status).toBe(201);
      for (const again of [approvalNumber, ` ${approvalNumber} `, approvalNumber.replace('H', 'Ｈ'), approvalNumber.replace('H', 'h')]) {
        const res = await t
          .http()
          .post(PRODUCTS)
          .set(bearer(t.adminToken))
          .send(productBody(supplierB.orgId, { approvalNumber: again }));
        expect({ again, status: res.status, code: res.body.code }).toEqual({ again, status: 409, code: 'ALREADY_EXISTS' });
      }
    });
  });

  describe('GET /catalog/products and /catalog/products/:id', () => {
    let a1: number;
    let a2: number;
    let b1: number;
    const wide = '（Ⅱ）阿莫西林ＸＬ'; // full-width brackets, Roman numeral, Latin letters

    beforeAll(async () => {
      a1 = (await createProduct(t, supplierA.orgId, { genericName: wide, dosageForm: '胶囊' })).id;
      a2 = (await createProduct(t, supplierA.orgId, { genericName: '头孢呋辛酯', dosageForm: '片剂' })).id;
      b1 = (await createProduct(t, supplierB.orgId, { genericName: '(II)阿莫西林XL', dosageForm: '胶囊', qualityTier: 'ORIGINATOR' })).id;
    });

    it('filters by generic name after NFKC: the half-width filter finds the full-width name and vice versa', async () => {
      for (const q of ['(II)阿莫西林XL', wide, ` ${wide}\u3000`]) {
        const res = await t.http().get(PRODUCTS).query({ genericName: q }).set(bearer(t.adminToken));
        expect(res.status).toBe(200);
        expect(res.body.items.map((p: { id: number }) => p.id)).toEqual([a1, b1]);
        expect(res.body.total).toBe(2);
      }
      const res = await t.http().get(PRODUCTS).query({ genericName: '(II)阿莫西林XL' }).set(bearer(t.adminToken));
      expect(res.body.items[0].genericName).toBe(wide); // stored as given (trimmed), compared normalised
      const byForm = await t.http().get(PRODUCTS).query({ genericName: '头孢呋辛酯', dosageForm: '片剂' }).set(bearer(hospital.token));
      expect(byForm.body.items.map((p: { id: number }) => p.id)).toEqual([a2]);
    });

    it('filters by supplier and pages', async () => {
      const res = await t.http().get(PRODUCTS).query({ supplierId: supplierB.orgId }).set(bearer(fund.token));
      expect(res.body.items.map((p: { supplierId: number }) => p.supplierId).every((s: number) => s === supplierB.orgId)).toBe(true);
      const all = await t.http().get(PRODUCTS).set(bearer(t.adminToken));
      const page = await t.http().get(PRODUCTS).query({ limit: 2, offset: 1 }).set(bearer(t.adminToken));
      expect(page.body.total).toBe(all.body.total);
      expect(page.body.items.map((p: { id: number }) => p.id)).toEqual(all.body.items.slice(1, 3).map((p: { id: number }) => p.id));
      expect((await t.http().get(PRODUCTS).query({ limit: 501 }).set(bearer(t.adminToken))).status).toBe(400);
    });

    it('shows a supplier only its own products (domain.md 1)', async () => {
      const own = await t.http().get(PRODUCTS).set(bearer(supplierA.token));
      expect(own.status).toBe(200);
      expect(own.body.items.length).toBeGreaterThan(0);
      expect(own.body.items.every((p: { supplierId: number }) => p.supplierId === supplierA.orgId)).toBe(true);
      const ownCount = Number((await ds.query('SELECT COUNT(*) AS n FROM products WHERE supplier_id = ?', [supplierA.orgId]))[0].n);
      expect(own.body.total).toBe(ownCount);
      const named = await t.http().get(PRODUCTS).query({ genericName: wide }).set(bearer(supplierA.token));
      expect(named.body.items.map((p: { id: number }) => p.id)).toEqual([a1]);
      const others = await t.http().get(PRODUCTS).query({ supplierId: supplierB.orgId }).set(bearer(supplierA.token));
      expect(others.body).toEqual({ items: [], total: 0 });

      expect((await t.http().get(`${PRODUCTS}/${a1}`).set(bearer(supplierA.token))).body.id).toBe(a1);
      const theirs = await t.http().get(`${PRODUCTS}/${b1}`).set(bearer(supplierA.token));
      expect(theirs.status).toBe(404);
      expect(theirs.body.code).toBe('NOT_FOUND');
    });

    it('lets every role read a product by id; unknown ids are 404', async () => {
      for (const token of [t.adminToken, hospital.token, fund.token, supplierB.token]) {
        const res = await t.http().get(`${PRODUCTS}/${b1}`).set(bearer(token));
        expect(res.status).toBe(200);
        expect(res.body).toMatchObject({ id: b1, supplierId: supplierB.orgId, qualityTier: 'ORIGINATOR', strength: { value: '2.5', unit: 'mg' } });
      }
      expect((await t.http().get(`${PRODUCTS}/999999`).set(bearer(t.adminToken))).status).toBe(404);
    });
  });

  describe('listed pack price (挂网价, domain.md 15.6)', () => {
    const patch = (id: number, body: object, token = t.adminToken) => t.http().patch(`${PRODUCTS}/${id}`).set(bearer(token)).send(body);
    const listedOf = async (id: number) => (await ds.query('SELECT listed_pack_price AS p FROM products WHERE id = ?', [id]))[0].p;

    it('is optional on create, stored with 2 decimals, shown in the views; bad values are 400 per field and write nothing', async () => {
      const res = await t
        .http()
        .post(PRODUCTS)
        .set(bearer(t.adminToken))
        .send(productBody(supplierA.orgId, { listedPackPrice: '12.5' }));
      expect(res.status).toBe(201);
      expect(res.body.listedPackPrice).toBe('12.50');
      expect(await listedOf(res.body.id)).toBe('12.50');
      expect((await t.http().get(`${PRODUCTS}/${res.body.id}`).set(bearer(supplierA.token))).body.listedPackPrice).toBe('12.50');
      const none = await t
        .http()
        .post(PRODUCTS)
        .set(bearer(t.adminToken))
        .send(productBody(supplierA.orgId, { listedPackPrice: null }));
      expect([none.status, none.body.listedPackPrice]).toEqual([201, null]);
      const before = await count();
      for (const bad of ['0', '0.00', '-1.00', '12.345', 'abc', '1e3', 12.5, '1000000000000']) {
        const r = await t
          .http()
          .post(PRODUCTS)
          .set(bearer(t.adminToken))
          .send(productBody(supplierA.orgId, { listedPackPrice: bad as string }));
        expect({ bad, status: r.status, code: r.body.code, fields: r.body.details?.map((d: { field: string }) => d.field) }).toEqual({
          bad,
          status: 400,
          code: 'VALIDATION_FAILED',
          fields: ['listedPackPrice'],
        });
      }
      expect(await count()).toBe(before);
    });

    it('PATCH /catalog/products/:id sets and clears it (admin only, audited); bad values 400, unknown product 404', async () => {
      const p = await createProduct(t, supplierB.orgId);
      const set = await patch(p.id, { listedPackPrice: '30.00' });
      expect([set.status, set.body.id, set.body.listedPackPrice, set.body.approvalNumber]).toEqual([200, p.id, '30.00', p.approvalNumber]);
      expect(await listedOf(p.id)).toBe('30.00');
      for (const bad of [{ listedPackPrice: '0' }, { listedPackPrice: '1.001' }, { listedPackPrice: 30 }, {}, { listedPackPrice: '1.00', packSize: 3 }]) {
        const r = await patch(p.id, bad);
        expect({ bad, status: r.status, code: r.body.code }).toEqual({ bad, status: 400, code: 'VALIDATION_FAILED' });
      }
      expect(await listedOf(p.id)).toBe('30.00');
      for (const who of [supplierB, hospital, fund])
        expect([who.role, (await patch(p.id, { listedPackPrice: '1.00' }, who.token)).status]).toEqual([who.role, 403]);
      expect((await patch(987654, { listedPackPrice: '1.00' })).status).toBe(404);
      const cleared = await patch(p.id, { listedPackPrice: null });
      expect([cleared.status, cleared.body.listedPackPrice]).toEqual([200, null]);
      expect(await listedOf(p.id)).toBeNull();
      const audit = await t.http().get(`${API}/audit?entity=product&entityId=${p.id}`).set(bearer(t.adminToken));
      expect(audit.body.items.map((a: { action: string; data: object }) => [a.action, a.data])).toEqual([
        ['product.update', { listedPackPrice: { from: '30.00', to: null } }],
        ['product.update', { listedPackPrice: { from: null, to: '30.00' } }],
        ['product.create', expect.any(Object)],
      ]);
    });

    it('imports from the listedPackPrice column (blank = not listed); a bad price is a row error and nothing is written', async () => {
      const header = [...HEADER, 'listedPackPrice'];
      const row = (n: string, price: string | number | null) => ['厄贝沙坦', '片剂', '150', 'mg', 7, '片', 'GENERIC', supplierA.orgId, null, n, price];
      const [n1, n2] = [nextApprovalNumber(), nextApprovalNumber()];
      const bad = await upload(
        t,
        t.adminToken,
        `${PRODUCTS}/import`,
        await workbookOf({ Products: [header, row(nextApprovalNumber(), '8.888'), row(nextApprovalNumber(), 0)] }),
      );
      expect(bad.status).toBe(400);
      expect(rowErrors(bad.body.details)).toEqual([
        { row: 2, column: 'listedPackPrice', message: 'must have at most 2 decimal places' },
        { row: 3, column: 'listedPackPrice', message: 'must be greater than 0' },
      ]);
      const { job } = await importAndWait(t, t.adminToken, `${PRODUCTS}/import`, await workbookOf({ Products: [header, row(n1, '8.8'), row(n2, null)] }));
      expect(job).toMatchObject({ state: 'completed', result: { imported: 2 } });
      const rows = await ds.query('SELECT approval_number AS n, listed_pack_price AS p FROM products WHERE approval_number IN (?) ORDER BY id', [[n1, n2]]);
      expect(rows).toEqual([
        { n: n1, p: '8.80' },
        { n: n2, p: null },
      ]);
    });
  });

  describe('roles', () => {
    it('refuses roles other than admin on the admin endpoints (403), and everything without a token (401)', async () => {
      const file = await workbookOf({ Products: [HEADER] });
      for (const who of [supplierA, hospital, fund]) {
        const create = await t.http().post(PRODUCTS).set(bearer(who.token)).send(productBody(supplierA.orgId));
        expect([who.role, create.status, create.body.code]).toEqual([who.role, 403, 'FORBIDDEN']);
        const imp = await upload(t, who.token, `${PRODUCTS}/import`, file);
        expect([who.role, imp.status]).toEqual([who.role, 403]);
        const tpl = await download(t, who.token, `${PRODUCTS}/template.xlsx`);
        expect([who.role, tpl.status, tpl.json?.code]).toEqual([who.role, 403, 'FORBIDDEN']);
      }
      expect((await t.http().post(PRODUCTS).send(productBody(supplierA.orgId))).status).toBe(401);
      expect((await t.http().get(PRODUCTS)).status).toBe(401);
      expect((await t.http().get(`${PRODUCTS}/1`)).status).toBe(401);
      expect((await upload(t, null, `${PRODUCTS}/import`, file)).status).toBe(401);
      expect((await download(t, null, `${PRODUCTS}/template.xlsx`)).status).toBe(401);
      expect((await t.http().get(PRODUCTS).set(bearer('nope'))).status).toBe(401);
    });
  });

  describe('GET /catalog/products/template.xlsx', () => {
    it('is a valid xlsx with the import headers and a notes sheet', async () => {
      const res = await download(t, t.adminToken, `${PRODUCTS}/template.xlsx`);
      expect(res.status).toBe(200);
      expect(res.type).toBe(XLSX_MIME);
      expect(res.disposition).toContain('attachment; filename="products-template.xlsx"');
      const sheets = await sheetsOf(res.body);
      expect(Object.keys(sheets)).toEqual(['Products', 'Notes']);
      expect(sheets.Products).toEqual([
        ['通用名', '剂型', '规格', '规格单位', '包装数量', '最小单位', '质量层次', '供应商ID', '供应商编码', '批准文号', '挂网价'],
        [...HEADER, 'listedPackPrice'],
      ]);
      expect(sheets.Notes.flat()).toEqual(expect.arrayContaining(['批准文号 / approvalNumber']));
    });

    it('imports once filled in', async () => {
      const tpl = await download(t, t.adminToken, `${PRODUCTS}/template.xlsx`);
      const ExcelJS = (await import('exceljs')).default;
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(tpl.body as unknown as ArrayBuffer);
      const approvalNumber = nextApprovalNumber();
      wb.getWorksheet('Products')!.addRow(['瑞舒伐他汀钙', '片剂', '10', 'mg', '7', '片', 'REFERENCE', supplierB.orgId, null, approvalNumber]);
      const { res, job } = await importAndWait(t, t.adminToken, `${PRODUCTS}/import`, Buffer.from(await wb.xlsx.writeBuffer()));
      expect(res.body).toEqual({ jobId: expect.stringMatching(/^imports\./), rows: 1 });
      expect(job).toMatchObject({ state: 'completed', result: { imported: 1 }, failedReason: null });
      const found = await t.http().get(PRODUCTS).query({ genericName: '瑞舒伐他汀钙' }).set(bearer(t.adminToken));
      expect(found.body.items).toEqual([
        {
          id: expect.any(Number),
          genericName: '瑞舒伐他汀钙',
          dosageForm: '片剂',
          strength: { value: '10', unit: 'mg' },
          packSize: 7,
          smallestUnit: '片',
          qualityTier: 'REFERENCE',
          supplierId: supplierB.orgId,
          approvalNumber,
          listedPackPrice: null,
        },
      ]);
    });
  });

  describe('POST /catalog/products/import', () => {
    it('imports many rows in one job (202 {jobId, rows}, result {imported}), with suppliers by id or code, and audits once', async () => {
      const n = 2500; // several INSERT chunks
      const rows = Array.from({ length: n }, (_, i) => [
        `批量药品${i % 50}`,
        i % 2 ? '片剂' : '胶囊',
        i % 3 ? 2.5 : '0.25',
        i % 3 ? 'mg' : 'g',
        28,
        '片',
        ['ORIGINATOR', 'REFERENCE', 'CONSISTENCY_PASSED', 'GENERIC'][i % 4],
        i % 2 ? supplierA.orgId : null,
        i % 2 ? null : supplierBCode,
        `BULK${process.pid}-${i}`,
      ]);
      const before = await count();
      const auditBefore = (await t.http().get(`${API}/audit?entity=product&entityId=import`).set(bearer(t.adminToken))).body.total;
      const { res, job } = await importAndWait(t, t.adminToken, `${PRODUCTS}/import`, await workbookOf({ Products: [HEADER, ...rows] }));
      expect(res.status).toBe(202);
      expect(res.body).toEqual({ jobId: expect.any(String), rows: n });
      expect(job).toMatchObject({ name: 'import-products', state: 'completed', result: { imported: n } });
      expect(await count()).toBe(before + n);
      const [row] = await ds.query(
        'SELECT supplier_id, strength_value, strength_unit, quality_tier, generic_name_norm FROM products WHERE approval_number = ?',
        [`BULK${process.pid}-3`],
      );
      expect(row).toEqual({
        supplier_id: supplierA.orgId,
        strength_value: '0.250000',
        strength_unit: 'g',
        quality_tier: 'GENERIC',
        generic_name_norm: '批量药品3',
      });
      const byCode = await t.http().get(PRODUCTS).query({ genericName: '批量药品4', supplierId: supplierB.orgId, limit: 500 }).set(bearer(t.adminToken));
      expect(byCode.body.total).toBe(50); // rows 4, 54, ... 2454 are even: supplier B by code
      const audit = await t.http().get(`${API}/audit?entity=product&entityId=import`).set(bearer(t.adminToken));
      expect(audit.body.total).toBe(auditBefore + 1);
      expect(audit.body.items[0]).toMatchObject({
        action: 'product.import',
        data: { imported: n, suppliers: [supplierA.orgId, supplierB.orgId].sort((a, b) => a - b), jobId: res.body.jobId },
      });
    });

    it('reports every bad row with row, column and message, and writes nothing', async () => {
      const existing = (await createProduct(t, supplierA.orgId)).approvalNumber;
      const dup = nextApprovalNumber();
      const ok = (approvalNumber: string) => ['阿托伐他汀钙', '片剂', '20', 'mg', 7, '片', 'GENERIC', supplierA.orgId, null, approvalNumber];
      const rows = [
        HEADER,
        ok(nextApprovalNumber()), // row 2: good
        ['阿托伐他汀钙', '片剂', '20', 'mg', 7, '片', 'BIOSIMILAR', supplierA.orgId, null, nextApprovalNumber()], // 3: bad tier
        ['阿托伐他汀钙', '片剂', '0', 'mg', 7, '片', 'GENERIC', supplierA.orgId, null, nextApprovalNumber()], // 4: strength 0
        ['阿托伐他汀钙', '片剂', '2.1234567', 'mg', 7, '片', 'GENERIC', supplierA.orgId, null, nextApprovalNumber()], // 5: 7 decimals
        ['阿托伐他汀钙', '片剂', '20', null, 7, '片', 'GENERIC', supplierA.orgId, null, nextApprovalNumber()], // 6: no unit
        ['阿托伐他汀钙', '片剂', '20', 'mg', 7, '片', 'GENERIC', 999999, null, nextApprovalNumber()], // 7: unknown supplier id
        ['阿托伐他汀钙', '片剂', '20', 'mg', 7, '片', 'GENERIC', null, 'NO-SUCH-CODE', nextApprovalNumber()], // 8: unknown code
        ['阿托伐他汀钙', '片剂', '20', 'mg', 7, '片', 'GENERIC', hospital.orgId, null, nextApprovalNumber()], // 9: not a supplier
        ok(dup), // 10: good
        ok(dup), // 11: duplicate of row 10
        ok(existing), // 12: already in the catalog
        [null, '片剂', '20', 'mg', 'many', '片', 'GENERIC', null, null, nextApprovalNumber()], // 13: three errors
      ];
      const before = await count();
      const jobsBefore = await importJobCount(t);
      const res = await upload(t, t.adminToken, `${PRODUCTS}/import`, await workbookOf({ Products: rows }));
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(rowErrors(res.body.details)).toEqual([
        { row: 3, column: 'qualityTier', message: 'must be one of ORIGINATOR, REFERENCE, CONSISTENCY_PASSED, GENERIC' },
        { row: 4, column: 'strengthValue', message: 'must be greater than 0' },
        { row: 5, column: 'strengthValue', message: 'must have at most 6 decimal places' },
        { row: 6, column: 'strengthUnit', message: 'is required' },
        { row: 7, column: 'supplierId', message: 'no organisation has id 999999' },
        { row: 8, column: 'supplierCode', message: 'no organisation has code NO-SUCH-CODE' },
        { row: 9, column: 'supplierId', message: `organisation ${hospital.orgId} is not a supplier` },
        { row: 11, column: 'approvalNumber', message: `${dup} is also on row 10` },
        { row: 12, column: 'approvalNumber', message: `${existing} already exists in the catalog` },
        { row: 13, column: 'genericName', message: 'is required' },
        { row: 13, column: 'packSize', message: 'must be a whole number' },
      ]);
      expect(res.body.message).toBe('The file has 11 error(s) in 10 row(s) of sheet "Products"; nothing was imported');
      expect(await count()).toBe(before);
      expect(await importJobCount(t)).toBe(jobsBefore); // refused in the request: no job
    });

    it('reports a duplicate approval number together with the other errors of the row it duplicates, naming sheet, header, cell and value', async () => {
      const dup = nextApprovalNumber();
      const labels = ['通用名', '剂型', '规格', '规格单位', '包装数量', '最小单位', '质量层次', '供应商ID', '供应商编码', '批准文号'];
      const res = await upload(
        t,
        t.adminToken,
        `${PRODUCTS}/import`,
        await workbookOf({
          // The notes sheet moved first: the data sheet is still the one read, and named.
          Notes: [['说明'], ['每行一个产品']],
          产品: [
            labels,
            ['阿托伐他汀钙', '片剂', '20', 'mg', '七', '片', 'GENERIC', supplierA.orgId, null, dup], // 2: bad pack size
            ['阿托伐他汀钙', '片剂', '20', 'mg', 7, '片', 'GENERIC', supplierA.orgId, null, dup.replace('H', 'Ｈ')], // 3: the same number (NFKC)
          ],
        }),
      );
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('The file has 2 error(s) in 2 row(s) of sheet "产品"; nothing was imported');
      expect(res.body.details).toEqual([
        { sheet: '产品', row: 2, column: 'packSize', header: '包装数量', cell: 'E2', value: '七', message: 'must be a whole number' },
        { sheet: '产品', row: 3, column: 'approvalNumber', header: '批准文号', cell: 'J3', value: dup.replace('H', 'Ｈ'), message: `${dup} is also on row 2` },
      ]);
    });

    it('fails the job, writing nothing, when an approval number of the file was added after the request', async () => {
      const [taken, other] = [nextApprovalNumber(), nextApprovalNumber()];
      const file = await workbookOf({
        Products: [
          HEADER,
          ['氯吡格雷', '片剂', '75', 'mg', 7, '片', 'GENERIC', supplierA.orgId, null, other],
          ['氯吡格雷', '片剂', '75', 'mg', 14, '片', 'GENERIC', supplierA.orgId, null, taken],
        ],
      });
      const jobId = await withImportsPaused(t, async () => {
        const res = await upload(t, t.adminToken, `${PRODUCTS}/import`, file);
        expect([res.status, res.body.rows]).toEqual([202, 2]); // valid when asked
        expect(
          (
            await t
              .http()
              .post(PRODUCTS)
              .set(bearer(t.adminToken))
              .send(productBody(supplierB.orgId, { approvalNumber: taken }))
          ).status,
        ).toBe(201);
        return res.body.jobId as string;
      });
      const job = await waitForJob(t, t.adminToken, jobId);
      expect(job.state).toBe('failed');
      expect(job.failedReason).toBe(`ALREADY_EXISTS: 1 approval number(s) were added to the catalog meanwhile: ${taken} (row 3); nothing was imported`);
      expect(job.attemptsMade).toBe(1); // a refusal is not retried
      expect(await ds.query('SELECT supplier_id FROM products WHERE approval_number IN (?, ?)', [other, taken])).toEqual([{ supplier_id: supplierB.orgId }]);
      expect(Number((await ds.query('SELECT COUNT(*) AS n FROM import_runs WHERE job_id = ?', [jobId.replace(/^imports\./, '')]))[0].n)).toBe(0);
    });

    it('imports once when a finished job runs again (retried) or twice at once (stalled and picked up again)', async () => {
      const file = await workbookOf({
        Products: [HEADER, ...[1, 2, 3].map((i) => ['替格瑞洛', '片剂', '90', 'mg', 14 * i, '片', 'GENERIC', supplierA.orgId, null, nextApprovalNumber()])],
      });
      const auditCount = async () => (await t.http().get(`${API}/audit?entity=product&entityId=import`).set(bearer(t.adminToken))).body.total as number;
      const first = await importAndWait(t, t.adminToken, `${PRODUCTS}/import`, file);
      expect(first.job.result).toEqual({ imported: 3 });
      const [products, audits] = [await count(), await auditCount()];
      // Run again as BullMQ does after a lost acknowledgement: the job's import_runs row makes it a no-op.
      const job = await importJob(t, first.res.body.jobId);
      await job.retry('completed');
      const again = await waitForJob(t, t.adminToken, first.res.body.jobId);
      expect(again).toMatchObject({ state: 'completed', result: { imported: 3 } });
      expect([await count(), await auditCount()]).toEqual([products, audits]);

      // Two runs of one job at once: the second waits on the first's claim, then answers its result.
      const runner = t.app.get(ImportRunner);
      const rows = [4, 5].map((i) => ({
        row: i,
        genericName: '替格瑞洛',
        genericNameNorm: '替格瑞洛',
        dosageForm: '片剂',
        dosageFormNorm: '片剂',
        strengthValue: '90',
        strengthUnit: 'mg',
        packSize: 7 * i,
        smallestUnit: '片',
        qualityTier: 'GENERIC',
        supplierId: supplierA.orgId,
        approvalNumber: nextApprovalNumber(),
      }));
      const payload: ImportJobPayload = {
        kind: 'products',
        batchId: null,
        requestedBy: { userId: null, organizationId: null, role: null },
        rows,
        rowCount: rows.length,
      };
      const runs = await Promise.all([runner.run('products-twice', payload), runner.run('products-twice', payload)]);
      expect(runs).toEqual([{ imported: 2 }, { imported: 2 }]);
      expect([await count(), await auditCount()]).toEqual([products + 2, audits + 1]);
    });

    it('refuses a request without a file, a non-xlsx file, a sheet without the required columns, or too many rows', async () => {
      const none = await t.http().post(`${PRODUCTS}/import`).set(bearer(t.adminToken)).send({});
      expect(none.status).toBe(400);
      expect(none.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'file', message: 'is required' }] });
      const csv = await upload(t, t.adminToken, `${PRODUCTS}/import`, Buffer.from('genericName,dosageForm\n'), 'products.csv');
      expect(csv.status).toBe(400);
      expect(csv.body.details[0].field).toBe('file');
      const missing = await upload(
        t,
        t.adminToken,
        `${PRODUCTS}/import`,
        await workbookOf({
          P: [
            ['genericName', 'dosageForm'],
            ['x', 'y'],
          ],
        }),
      );
      expect(missing.status).toBe(400);
      expect(missing.body.details).toEqual(
        ['strengthValue', 'strengthUnit', 'packSize', 'smallestUnit', 'qualityTier', 'approvalNumber'].map((column) => ({
          row: 1,
          column,
          message: 'the column is missing',
        })),
      );
      const jobsBefore = await importJobCount(t);
      const big = await workbookOf({
        P: [HEADER, ...Array.from({ length: 5001 }, (_, i) => ['x', 'y', 1, 'mg', 1, '片', 'GENERIC', supplierA.orgId, null, `TOO-MANY-${i}`])],
      });
      const tooMany = await upload(t, t.adminToken, `${PRODUCTS}/import`, big);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.message).toBe('The file has more than 5000 rows; split it into several files');
      const huge = await upload(t, t.adminToken, `${PRODUCTS}/import`, Buffer.alloc(10 * 1024 * 1024 + 1, 1));
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe('PAYLOAD_TOO_LARGE');
      expect(await importJobCount(t)).toBe(jobsBefore);
    });
  });
});
