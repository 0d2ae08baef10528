import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService, OrganizationType, Principal, Role, Clock, conflict, notFound, validationFailed, Page, Dec } from '@jicai/common';
import { findOrganization, OrganizationRow, organizationsByCodes, organizationsByIds } from '@jicai/organizations';
import { buildTemplate, ImportAccepted, ImportedRow, ImportJobsService, RowErrors, runImport } from '@jicai/spreadsheets';
import { normalizeName } from './catalog.rules';
import { CreateProductDto, ListProductsQueryDto, UpdateProductDto } from './dto/product.dto';
import { Product } from './product.entity';
import {
  COLUMN_OF_FIELD,
  MAX_PRODUCT_IMPORT_ROWS,
  PRODUCT_COLUMNS,
  PRODUCT_IMPORT_KIND,
  PRODUCT_TEMPLATE_NOTES,
  ProductImportRow,
  ProductRow,
  takenApprovalNumbers,
} from './product-import';
import { approvalKey, listedPackPriceProblem, listedPackPriceValue, normalizeProduct } from './product.validation';

export interface ProductView {
  id: number;
  genericName: string;
  dosageForm: string;
  strength: { value: string; unit: string };
  packSize: number;
  smallestUnit: string;
  qualityTier: string;
  supplierId: number;
  approvalNumber: string;
  /** 挂网价 (15.6), 2 decimals, or null when not listed. */
  listedPackPrice: string | null;
}

export function productView(p: Product): ProductView {
  return {
    id: p.id,
    genericName: p.genericName,
    dosageForm: p.dosageForm,
    strength: { value: new Dec(p.strengthValue).toFixed(), unit: p.strengthUnit },
    packSize: p.packSize,
    smallestUnit: p.smallestUnit,
    qualityTier: p.qualityTier,
    supplierId: p.supplierId,
    approvalNumber: p.approvalNumber,
    listedPackPrice: p.listedPackPrice ?? null,
  };
}

@Injectable()
export class CatalogService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly imports: ImportJobsService,
  ) {}

  /** POST /catalog/products (admin). */
  async create(actor: Principal, dto: CreateProductDto): Promise<Product> {
    const n = normalizeProduct(dto);
    if (n.errors) throw validationFailed('The product is not valid', n.errors);
    const f = n.fields;
    return this.dataSource.transaction(async (m) => {
      const supplier = await findOrganization(m, dto.supplierId);
      if (!supplier || supplier.type !== OrganizationType.SUPPLIER) {
        throw validationFailed('supplierId must be a supplier organisation', [
          { field: 'supplierId', message: supplier ? 'is not a supplier' : 'no such organisation' },
        ]);
      }
      if (await m.getRepository(Product).exists({ where: { approvalNumber: f.approvalNumber } })) {
        throw conflict('ALREADY_EXISTS', `A product with approval number ${f.approvalNumber} already exists`, [
          { field: 'approvalNumber', message: 'already exists' },
        ]);
      }
      const product = m.getRepository(Product).create({ ...f, supplierId: supplier.id, createdAt: this.clock.now() });
      await m.getRepository(Product).insert(product);
      await this.audit.record(m, {
        actor,
        action: 'product.create',
        entity: 'product',
        entityId: product.id,
        data: { approvalNumber: f.approvalNumber, supplierId: supplier.id, genericName: f.genericName, dosageForm: f.dosageForm },
      });
      return product;
    });
  }

  /**
   * PATCH /catalog/products/:id (admin): the listed pack price (挂网价, 15.6) — the one field
   * that may change; null takes it off the list. Audited with the old and new price. A
   * schedule already computed at an award keeps the price it was computed from.
   */
  async update(actor: Principal, id: number, dto: UpdateProductDto): Promise<Product> {
    const problem = listedPackPriceProblem(dto.listedPackPrice);
    if (problem) throw validationFailed('The product is not valid', [{ field: 'listedPackPrice', message: problem }]);
    const listedPackPrice = listedPackPriceValue(dto.listedPackPrice);
    return this.dataSource.transaction(async (m) => {
      const product = await m.getRepository(Product).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!product) throw notFound('Product');
      const before = product.listedPackPrice ?? null;
      await m.getRepository(Product).update({ id }, { listedPackPrice });
      await this.audit.record(m, {
        actor,
        action: 'product.update',
        entity: 'product',
        entityId: id,
        data: { listedPackPrice: { from: before, to: listedPackPrice } },
      });
      return { ...product, listedPackPrice };
    });
  }

  /** GET /catalog/products: a supplier sees only its own products (domain.md 1). */
  async list(viewer: Principal, q: ListProductsQueryDto): Promise<Page<ProductView>> {
    const qb = this.dataSource.getRepository(Product).createQueryBuilder('p');
    if (viewer.role === Role.SUPPLIER) qb.andWhere('p.supplierId = :own', { own: viewer.organizationId });
    if (q.supplierId !== undefined) qb.andWhere('p.supplierId = :supplierId', { supplierId: q.supplierId });
    if (q.genericName !== undefined) qb.andWhere('p.genericNameNorm = :g', { g: normalizeName(q.genericName) });
    if (q.dosageForm !== undefined) qb.andWhere('p.dosageFormNorm = :d', { d: normalizeName(q.dosageForm) });
    const [items, total] = await qb.orderBy('p.id', 'ASC').take(q.limit).skip(q.offset).getManyAndCount();
    return { items: items.map(productView), total };
  }

  /** GET /catalog/products/:id: another supplier's product is invisible (404). */
  async get(viewer: Principal, id: number): Promise<Product> {
    const p = await this.dataSource.getRepository(Product).findOneBy({ id });
    if (!p || (viewer.role === Role.SUPPLIER && p.supplierId !== viewer.organizationId)) throw notFound('Product');
    return p;
  }

  template(): Promise<Buffer> {
    return buildTemplate({ sheetName: 'Products', columns: PRODUCT_COLUMNS, notes: PRODUCT_TEMPLATE_NOTES });
  }

  /**
   * POST /catalog/products/import (admin): all or nothing (domain.md 12). Every row is
   * checked (cells, product rules, supplier, approval number unique in the file and in
   * the catalog) and every error reported (400); a clean file's products go to an import
   * job (PRODUCT_IMPORT_KIND), which writes them in one transaction: 202 {jobId, rows}.
   */
  async importXlsx(actor: Principal, file: Buffer): Promise<ImportAccepted> {
    let products: ProductImportRow[] = [];
    await runImport<ProductRow>(file, PRODUCT_COLUMNS, { maxRows: MAX_PRODUCT_IMPORT_ROWS }, async (rows, errors, partial) => {
      products = await this.checkRows(rows, errors, partial);
    });
    return this.imports.enqueueImport(PRODUCT_IMPORT_KIND, actor, products);
  }

  /**
   * Product rules, suppliers and approval numbers for each parsed row; errors go to the
   * row. Approval numbers are checked on every row that has one, those with other errors
   * too (`partial`), so a duplicate is reported in the same answer as the rest.
   */
  private async checkRows(rows: ImportedRow<ProductRow>[], errors: RowErrors, partial: ImportedRow<Partial<ProductRow>>[] = []): Promise<ProductImportRow[]> {
    const suppliers = await this.suppliersOf(rows);
    const withNumber = [...rows, ...partial].filter((r) => typeof r.value.approvalNumber === 'string').sort((a, b) => a.row - b.row);
    const firstRowOf = new Map<string, number>();
    const duplicateOf = new Map<number, number>();
    for (const { row, value } of withNumber) {
      const key = approvalKey(value.approvalNumber!);
      const first = firstRowOf.get(key);
      if (first === undefined) firstRowOf.set(key, row);
      else duplicateOf.set(row, first);
    }
    const out: ProductImportRow[] = [];
    for (const { row, value: v } of rows) {
      let good = true;
      const n = normalizeProduct({
        genericName: v.genericName,
        dosageForm: v.dosageForm,
        strength: { value: v.strengthValue, unit: v.strengthUnit },
        packSize: v.packSize,
        smallestUnit: v.smallestUnit,
        qualityTier: v.qualityTier,
        approvalNumber: v.approvalNumber,
        listedPackPrice: v.listedPackPrice,
      });
      if (n.errors) {
        for (const e of n.errors) errors.add(row, COLUMN_OF_FIELD[e.field], e.message);
        good = false;
      }
      const supplierId = this.supplierOfRow(row, v, suppliers, errors);
      if (supplierId === null) good = false;
      if (good) out.push({ row, ...n.fields!, supplierId: supplierId! });
    }
    for (const { row, value } of withNumber) {
      const first = duplicateOf.get(row);
      if (first !== undefined) errors.add(row, 'approvalNumber', `${value.approvalNumber} is also on row ${first}`);
    }
    const taken = await takenApprovalNumbers(
      this.dataSource.manager,
      withNumber.map((r) => r.value.approvalNumber!),
    );
    for (const { row, value } of withNumber) {
      if (taken.has(approvalKey(value.approvalNumber!))) errors.add(row, 'approvalNumber', `${value.approvalNumber} already exists in the catalog`);
    }
    return out.filter((p) => !duplicateOf.has(p.row));
  }

  private supplierOfRow(
    row: number,
    v: ProductRow,
    s: { byId: Map<number, OrganizationRow>; byCode: Map<string, OrganizationRow> },
    errors: RowErrors,
  ): number | null {
    if (v.supplierId === null && v.supplierCode === null) {
      errors.add(row, 'supplierId', 'give supplierId or supplierCode');
      return null;
    }
    let fromId: OrganizationRow | undefined;
    let fromCode: OrganizationRow | undefined;
    if (v.supplierId !== null) {
      fromId = s.byId.get(v.supplierId);
      if (!fromId) return (errors.add(row, 'supplierId', `no organisation has id ${v.supplierId}`), null);
      if (fromId.type !== OrganizationType.SUPPLIER) return (errors.add(row, 'supplierId', `organisation ${v.supplierId} is not a supplier`), null);
    }
    if (v.supplierCode !== null) {
      fromCode = s.byCode.get(v.supplierCode.toUpperCase());
      if (!fromCode) return (errors.add(row, 'supplierCode', `no organisation has code ${v.supplierCode}`), null);
      if (fromCode.type !== OrganizationType.SUPPLIER) return (errors.add(row, 'supplierCode', `organisation ${v.supplierCode} is not a supplier`), null);
    }
    if (fromId && fromCode && fromId.id !== fromCode.id) {
      return (errors.add(row, 'supplierCode', `code ${v.supplierCode} is organisation ${fromCode.id}, not supplierId ${fromId.id}`), null);
    }
    return (fromId ?? fromCode)!.id;
  }

  private async suppliersOf(rows: ImportedRow<ProductRow>[]) {
    const ids = [...new Set(rows.flatMap((r) => (r.value.supplierId === null ? [] : [r.value.supplierId])))];
    const codes = [...new Set(rows.flatMap((r) => (r.value.supplierCode === null ? [] : [r.value.supplierCode])))];
    // Codes compare as the unique key does (case-insensitive collation): byCode is upper-cased.
    const byId = await organizationsByIds(this.dataSource.manager, ids);
    const byCode = await organizationsByCodes(this.dataSource.manager, codes);
    return { byId, byCode };
  }
}
