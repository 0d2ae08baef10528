import { Injectable } from '@nestjs/common';
import { OrganizationType, Principal } from '@jicai/common';
import { NewOrganization, OrganizationsService } from '@jicai/organizations';
import { ImportAccepted, ImportJobsService, runImport } from '@jicai/spreadsheets';
import { MAX_ORGANIZATION_IMPORT_ROWS, ORGANIZATION_COLUMNS, ORGANIZATION_IMPORT_KIND, OrganizationSheetRow } from './organization-import';

/** A row of the job: the organisation to create and the sheet row it came from. */
export type OrganizationToWrite = NewOrganization & { row: number };

/**
 * POST /organizations/import [admin]: the request checks every row (codes and usernames
 * new, in the file and in the database; a level only for hospitals) and answers 400 with
 * every bad row, or 202 {jobId, rows}: a job writes the whole file in one transaction.
 */
@Injectable()
export class OrganizationImportService {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly imports: ImportJobsService,
  ) {}

  async importXlsx(actor: Principal, file: Buffer): Promise<ImportAccepted> {
    const out: OrganizationToWrite[] = [];
    await runImport<OrganizationSheetRow>(file, ORGANIZATION_COLUMNS, { maxRows: MAX_ORGANIZATION_IMPORT_ROWS }, async (rows, errors) => {
      const codes = await this.organizations.takenCodes(
        null,
        rows.map((r) => r.value.code),
      );
      const usernames = await this.organizations.takenUsernames(
        null,
        rows.flatMap((r) => (r.value.username ? [r.value.username] : [])),
      );
      // Codes and usernames compare without regard to case, as the unique keys do.
      const codeRow = new Map<string, number>();
      const userRow = new Map<string, number>();
      for (const { row, value: v } of rows) {
        let good = true;
        const code = v.code.toLowerCase();
        if (codes.has(code)) {
          errors.add(row, 'code', `an organisation with code ${v.code} exists already`);
          good = false;
        } else if (codeRow.has(code)) {
          errors.add(row, 'code', `code ${v.code} is also on row ${codeRow.get(code)}`);
          good = false;
        } else codeRow.set(code, row);
        if (v.level && v.type !== OrganizationType.HOSPITAL) {
          errors.add(row, 'level', 'only hospitals have a level');
          good = false;
        }
        if (v.username) {
          const name = v.username.toLowerCase();
          if (usernames.has(name)) {
            errors.add(row, 'username', `user ${v.username} exists already`);
            good = false;
          } else if (userRow.has(name)) {
            errors.add(row, 'username', `username ${v.username} is also on row ${userRow.get(name)}`);
            good = false;
          } else userRow.set(name, row);
        }
        if (good) out.push({ row, code: v.code, name: v.name.trim(), type: v.type, level: v.level ?? null, username: v.username ?? null });
      }
    });
    return this.imports.enqueueImport(ORGANIZATION_IMPORT_KIND, actor, out);
  }
}
