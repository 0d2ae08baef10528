import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock, conflict } from '@jicai/common';
import { ImportHandler, ImportHandlerFor, ImportRun, ImportWritten } from '@jicai/spreadsheets';
import { INSERT_CHUNK, PRODUCT_IMPORT_KIND, ProductImportRow, takenApprovalNumbers } from './product-import';
import { approvalKey } from './product.validation';

const COLUMNS_SQL =
  'supplier_id, generic_name, generic_name_norm, dosage_form, dosage_form_norm, strength_value, strength_unit, pack_size, smallest_unit, quality_tier, approval_number, listed_pack_price, created_at';
const PLACEHOLDERS = '(?,?,?,?,?,?,?,?,?,?,?,?,?)';

/** Writes a validated product sheet (the job of POST /catalog/products/import). */
@Injectable()
@ImportHandlerFor(PRODUCT_IMPORT_KIND)
export class ProductImportHandler implements ImportHandler<ProductImportRow> {
  constructor(private readonly clock: Clock) {}

  async write(m: EntityManager, { rows: products }: ImportRun<ProductImportRow>): Promise<ImportWritten> {
    // Added by someone else since the request checked them: the unique key would refuse
    // them anyway; say which, and import nothing (all or nothing, domain.md 12).
    const taken = await takenApprovalNumbers(
      m,
      products.map((p) => p.approvalNumber),
    );
    if (taken.size) {
      const clashes = products.filter((p) => taken.has(approvalKey(p.approvalNumber)));
      const list = clashes
        .slice(0, 10)
        .map((p) => `${p.approvalNumber} (row ${p.row})`)
        .join(', ');
      throw conflict(
        'ALREADY_EXISTS',
        `${clashes.length} approval number(s) were added to the catalog meanwhile: ${list}${clashes.length > 10 ? ', ...' : ''}; nothing was imported`,
      );
    }
    const now = this.clock.now();
    for (let i = 0; i < products.length; i += INSERT_CHUNK) {
      const chunk = products.slice(i, i + INSERT_CHUNK);
      const params = chunk.flatMap((p) => [
        p.supplierId,
        p.genericName,
        p.genericNameNorm,
        p.dosageForm,
        p.dosageFormNorm,
        p.strengthValue,
        p.strengthUnit,
        p.packSize,
        p.smallestUnit,
        p.qualityTier,
        p.approvalNumber,
        p.listedPackPrice,
        now,
      ]);
      await m.query(`INSERT INTO products (${COLUMNS_SQL}) VALUES ${chunk.map(() => PLACEHOLDERS).join(',')}`, params);
    }
    return {
      result: { imported: products.length },
      audit: {
        action: 'product.import',
        entity: 'product',
        entityId: 'import',
        data: { imported: products.length, suppliers: [...new Set(products.map((p) => p.supplierId))].sort((a, b) => a - b) },
      },
    };
  }
}
