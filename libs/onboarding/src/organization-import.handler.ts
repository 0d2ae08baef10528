import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { conflict } from '@jicai/common';
import { OrganizationsService } from '@jicai/organizations';
import { ImportHandler, ImportHandlerFor, ImportRun, ImportWritten } from '@jicai/spreadsheets';
import { ORGANIZATION_IMPORT_KIND } from './organization-import';
import { OrganizationToWrite } from './organization-import.service';

/** Writes a validated organisations sheet (the job of POST /organizations/import). */
@Injectable()
@ImportHandlerFor(ORGANIZATION_IMPORT_KIND)
export class OrganizationImportHandler implements ImportHandler<OrganizationToWrite> {
  constructor(private readonly organizations: OrganizationsService) {}

  async write(m: EntityManager, { rows }: ImportRun<OrganizationToWrite>): Promise<ImportWritten> {
    // Taken by someone else since the request checked: say which, and import nothing.
    const codes = await this.organizations.takenCodes(
      m,
      rows.map((r) => r.code),
    );
    const users = await this.organizations.takenUsernames(
      m,
      rows.flatMap((r) => (r.username ? [r.username] : [])),
    );
    const clashes = rows.filter((r) => codes.has(r.code.toLowerCase()) || (r.username && users.has(r.username.toLowerCase())));
    if (clashes.length) {
      const list = clashes
        .slice(0, 10)
        .map((r) => `row ${r.row}`)
        .join(', ');
      throw conflict('ALREADY_EXISTS', `${clashes.length} code(s) or username(s) were taken meanwhile (${list}); nothing was imported`);
    }
    const written = await this.organizations.insertMany(m, rows);
    const byType: Record<string, number> = {};
    for (const r of rows) byType[r.type] = (byType[r.type] ?? 0) + 1;
    return {
      result: { imported: written.organizations, users: written.users },
      audit: { action: 'organization.import', entity: 'organization', entityId: 'import', data: { ...written, byType } },
    };
  }
}
