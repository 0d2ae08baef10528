import { HospitalLevel, OrganizationType } from '@jicai/common';
import { ImportColumn, parsers } from '@jicai/spreadsheets';

/** The import job kind of the organisations sheet. */
export const ORGANIZATION_IMPORT_KIND = 'organizations';
/** A national round's 46,000 institutions fit one file. */
export const MAX_ORGANIZATION_IMPORT_ROWS = 50000;

export interface OrganizationSheetRow {
  code: string;
  name: string;
  type: OrganizationType;
  level: HospitalLevel | null;
  username: string | null;
}

const noEdgeSpaces = (max: number) => (s: string) =>
  /^\S(.*\S)?$/.test(s) && s.length <= max ? { value: s } : { error: `must be 1-${max} characters without leading or trailing spaces` };

export const ORGANIZATION_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'code',
    header: 'code',
    label: '机构编码',
    required: true,
    parse: noEdgeSpaces(64),
    width: 16,
    description: 'Unique code of the organisation',
    example: 'HOS-310101-0001',
  },
  {
    key: 'name',
    header: 'name',
    label: '机构名称',
    required: true,
    parse: parsers.text({ maxLength: 200 }),
    width: 32,
    description: 'Name',
    example: '上海市第一人民医院',
  },
  {
    key: 'type',
    header: 'type',
    label: '机构类型',
    required: true,
    parse: parsers.oneOf(Object.values(OrganizationType)),
    width: 20,
    description: `One of ${Object.values(OrganizationType).join(', ')}`,
    example: 'HOSPITAL',
  },
  {
    key: 'level',
    header: 'level',
    label: '医院等级',
    parse: parsers.oneOf(Object.values(HospitalLevel)),
    width: 12,
    description: `Hospitals only, optional: ${Object.values(HospitalLevel).join(', ')}`,
    example: 'TERTIARY',
  },
  {
    key: 'username',
    header: 'username',
    label: '用户名',
    parse: noEdgeSpaces(100),
    width: 20,
    description: "Optional: the organisation's first user, who activates the account with a one-time code (GET /users/activation-codes.xlsx)",
    example: 'sh-first-people',
  },
];

export const ORGANIZATION_TEMPLATE_NOTES = [
  'One row per organisation. The whole file is imported or nothing is: every bad row is reported with its row number and column.',
  `At most ${MAX_ORGANIZATION_IMPORT_ROWS} rows per file. Codes and usernames must be new.`,
  'A user named here gets no password: an admin hands out its one-time activation code from GET /users/activation-codes.xlsx, and the user sets a password with POST /auth/activate.',
];
