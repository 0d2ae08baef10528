import { Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsEnum, IsOptional } from 'class-validator';
import { CurrentUser, OrganizationType, Principal, Role, Roles, Op } from '@jicai/common';
import { OrganizationsService, PendingActivation } from '@jicai/organizations';
import { buildTemplate, ExportColumn, UploadedXlsx, writeXlsx, XlsxDownload, xlsxFile, XlsxImport, xlsxStream } from '@jicai/spreadsheets';
import { ORGANIZATION_COLUMNS, ORGANIZATION_TEMPLATE_NOTES } from './organization-import';
import { OrganizationImportService } from './organization-import.service';

class ActivationCodesQueryDto {
  @ApiPropertyOptional({ enum: OrganizationType }) @IsOptional() @IsEnum(OrganizationType) organizationType?: OrganizationType;
}

const CODE_COLUMNS: ExportColumn<PendingActivation>[] = [
  { header: 'userId', label: '用户ID', value: 'userId', kind: 'id' },
  { header: 'username', label: '用户名', value: 'username', width: 24 },
  { header: 'organizationId', label: '机构ID', value: 'organizationId', kind: 'id' },
  { header: 'organizationCode', label: '机构编码', value: 'organizationCode', width: 18 },
  { header: 'organization', label: '机构名称', value: 'organizationName', width: 32 },
  { header: 'type', label: '机构类型', value: 'organizationType', width: 18 },
  { header: 'activationCode', label: '激活码', value: 'activationCode', width: 20 },
];

/** Organisations and their first users in bulk (a national round's 46,000 institutions). */
@ApiTags('organizations')
@ApiBearerAuth()
@Controller()
export class OnboardingController {
  constructor(
    private readonly imports: OrganizationImportService,
    private readonly organizations: OrganizationsService,
  ) {}

  @Roles(Role.ADMIN)
  @Post('organizations/import')
  @XlsxImport('Create organisations, each with an optional first user awaiting activation, from an xlsx (code, name, type, level?, username?)')
  @Op('importOrganizations')
  importXlsx(@CurrentUser() user: Principal, @UploadedXlsx() file: Buffer) {
    return this.imports.importXlsx(user, file);
  }

  @Roles(Role.ADMIN)
  @Get('organizations/template.xlsx')
  @XlsxDownload('The organisations import template')
  @Op('getOrganizationTemplate')
  async template() {
    return xlsxFile(
      await buildTemplate({ sheetName: 'Organizations', columns: ORGANIZATION_COLUMNS, notes: ORGANIZATION_TEMPLATE_NOTES }),
      'organizations-template.xlsx',
    );
  }

  /** Every user still awaiting activation with its one-time code, streamed (to hand out; a code works once). */
  @Roles(Role.ADMIN)
  @Get('users/activation-codes.xlsx')
  @XlsxDownload('Users awaiting activation and their one-time activation codes')
  @Op('exportActivationCodes')
  activationCodes(@Query() q: ActivationCodesQueryDto) {
    const pages = this.organizations.pendingActivations(q);
    async function* rows() {
      for await (const page of pages) yield* page;
    }
    return xlsxStream('activation-codes.xlsx', (out) => writeXlsx(out, [{ name: 'Activation codes', columns: CODE_COLUMNS, rows: rows() }]));
  }
}
