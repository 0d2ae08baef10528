import { bad, ImportColumn, ok, parsers, ParseResult } from '@jicai/spreadsheets';

/** Import job kinds (libs/spreadsheets import jobs) of the delivery and acceptance sheets. */
export const DELIVERY_IMPORT_KIND = 'deliveries';
export const ACCEPTANCE_IMPORT_KIND = 'acceptances';
/**
 * Rows per file: a file is validated whole in the request and its rows travel in the job
 * (about 100 bytes each in Redis). 1,000,000 deliveries are 50 files.
 */
export const MAX_DELIVERY_IMPORT_ROWS = 20000;
/** Rows per multi-row INSERT / UPDATE and per IN (...) lookup. */
export const DELIVERY_IMPORT_CHUNK = 1000;
const INT_MAX = 2147483647;

/** An ISO-8601 time (a date cell reads as one, in UTC); a time without a zone is taken as UTC. */
export function isoTime(s: string): ParseResult<Date> {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s))
    return bad('must be an ISO-8601 date or time, e.g. 2027-03-01T08:00:00Z');
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/.test(s) || s.length === 10 ? s : `${s.replace(' ', 'T')}Z`;
  const d = new Date(zoned);
  return isNaN(d.getTime()) ? bad('is not a real date') : ok(d);
}

/** One row of the deliveries sheet [supplier]. */
export interface DeliverySheetRow {
  agreementId: number;
  packs: number;
  lotNumber: string;
  deliveredAt: Date;
  orderId: number | null;
}

export const DELIVERY_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'agreementId',
    header: 'agreementId',
    label: '协议ID',
    required: true,
    parse: parsers.id,
    description: 'Your CONFIRMED agreement of a batch IN_FORCE',
    example: '1201',
  },
  {
    key: 'packs',
    header: 'packs',
    label: '配送数量',
    required: true,
    parse: parsers.integer({ min: 1, max: INT_MAX }),
    description: 'Packs delivered, > 0',
    example: '40',
  },
  {
    key: 'lotNumber',
    header: 'lotNumber',
    label: '批号',
    required: true,
    parse: parsers.text({ maxLength: 64 }),
    description: 'The lot (batch number) delivered',
    example: 'L20270301',
  },
  {
    key: 'deliveredAt',
    header: 'deliveredAt',
    label: '配送时间',
    required: true,
    parse: isoTime,
    description: 'When it was delivered (UTC), not in the future',
    example: '2027-03-01T08:00:00Z',
  },
  {
    key: 'orderId',
    header: 'orderId',
    label: '订单ID',
    parse: parsers.id,
    description: 'The purchase order delivered against; required where the batch rule ordersRequired is on',
    example: '310',
  },
];

/** One row of the acceptances sheet [hospital]. */
export interface AcceptanceSheetRow {
  deliveryId: number;
  acceptedPacks: number;
  acceptedAt: Date | null;
}

export const ACCEPTANCE_COLUMNS: readonly ImportColumn[] = [
  {
    key: 'deliveryId',
    header: 'deliveryId',
    label: '配送ID',
    required: true,
    parse: parsers.id,
    description: 'Your delivery, DELIVERED (not yet accepted)',
    example: '88',
  },
  {
    key: 'acceptedPacks',
    header: 'acceptedPacks',
    label: '验收数量',
    required: true,
    parse: parsers.integer({ min: 0, max: INT_MAX }),
    description: 'Packs accepted, 0 ≤ n ≤ packs delivered',
    example: '40',
  },
  {
    key: 'acceptedAt',
    header: 'acceptedAt',
    label: '验收时间',
    parse: isoTime,
    description: 'When (UTC); blank: now. Not before the delivery, not in the future',
    example: '2027-03-02T10:00:00Z',
  },
];

/** A delivery to write (the job's row). Times as ISO strings: the rows travel as JSON. */
export interface DeliveryToWrite {
  row: number;
  agreementId: number;
  packs: number;
  lotNumber: string;
  deliveredAt: string;
  orderId: number | null;
}

/** An acceptance to write (the job's row). */
export interface AcceptanceToWrite {
  row: number;
  deliveryId: number;
  acceptedPacks: number;
  acceptedAt: string;
}
