import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ImportHandler, ImportHandlerFor, ImportRun, ImportWritten } from '@jicai/spreadsheets';
import { DEMAND_IMPORT_KIND, UPSERT_CHUNK } from './demand-import';
import { DemandEntry, DemandService } from './demand.service';

/** Writes a validated demand sheet (the job of POST /batches/:id/demand/import). */
@Injectable()
@ImportHandlerFor(DEMAND_IMPORT_KIND)
export class DemandImportHandler implements ImportHandler<DemandEntry> {
  constructor(private readonly demand: DemandService) {}

  async write(m: EntityManager, { batchId, rows: entries }: ImportRun<DemandEntry>): Promise<ImportWritten> {
    // Bidding may have closed, or the batch been cancelled, since the request (section 6):
    // the server clock and the batch decide now, and refuse the whole file.
    await this.demand.lockOpenBatch(m, batchId!);
    for (let i = 0; i < entries.length; i += UPSERT_CHUNK) await this.demand.upsert(m, batchId!, entries.slice(i, i + UPSERT_CHUNK));
    return {
      result: { imported: entries.length },
      audit: {
        action: 'demand.import',
        entity: 'batch',
        entityId: batchId!,
        data: { rows: entries.length, hospitals: new Set(entries.map((e) => e.hospitalId)).size },
      },
    };
  }
}
