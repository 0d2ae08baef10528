import { applyDecorators, Type } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiOperation, ApiProduces, ApiProperty, ApiPropertyOptional, ApiResponse, getSchemaPath } from '@nestjs/swagger';

/**
 * OpenAPI building blocks (issue 10): every operation documents its success schema, the
 * shared error schema with the statuses it can answer, and a verb-noun operationId. The
 * generated client (libs/api-client) is only as good as these. How to use them:
 * /work/notes/openapi.md and the examples in any controller.
 */

export const XLSX_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** One problem of a request: a field, or a cell of an uploaded sheet. */
export class ErrorDetailDto {
  @ApiPropertyOptional({ description: 'request field (dotted path)', example: 'packPrice' }) field?: string;
  @ApiPropertyOptional({ description: 'sheet name of an uploaded workbook', example: 'Products' }) sheet?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'sheet row (1-based, as the spreadsheet shows it)', example: 7 }) row?: number;
  @ApiPropertyOptional({ description: 'column header', example: 'packSize' }) column?: string;
  @ApiPropertyOptional({ description: 'the value seen', example: '１５００１' }) value?: string;
  @ApiProperty({ example: 'must be a whole number' }) message!: string;
}

/** api.md "Errors": every 4xx and 5xx answers this. */
export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 409 }) statusCode!: number;
  @ApiProperty({ description: 'stable code', example: 'INVALID_STATE' }) code!: string;
  @ApiProperty({ example: 'Batch is not PUBLISHED' }) message!: string;
  @ApiProperty({ type: [ErrorDetailDto] }) details!: ErrorDetailDto[];
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503;

const ERROR_MEANING: Record<ErrorStatus, string> = {
  400: 'VALIDATION_FAILED: invalid input, details per field or per sheet row',
  401: 'UNAUTHORIZED: no token or a bad one',
  403: 'FORBIDDEN: wrong role, or not yours',
  404: 'NOT_FOUND: unknown or invisible to you',
  409: 'wrong state or time',
  413: 'PAYLOAD_TOO_LARGE: the upload is too big',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'a domain rule refused it',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * The error statuses an operation can answer, each with the shared error schema:
 * `@ApiErrors(404, [409, 'BIDDING_CLOSED', 'INVALID_STATE'], [422, 'BID_ABOVE_CEILING'])`.
 * A tuple names the stable codes of that status. 401/403 come with @Roles/@AnyRole already,
 * 400 is added to every operation with parameters or a body (completeDocument).
 */
export function ApiErrors(...entries: (ErrorStatus | [ErrorStatus, ...string[]])[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...entries.map((entry) => {
      const [status, ...codes] = Array.isArray(entry) ? entry : [entry];
      const description = codes.length ? `${codes.join(', ')}: ${ERROR_MEANING[status]}` : ERROR_MEANING[status];
      return ApiResponse({ status, description, type: ErrorResponseDto });
    }),
  );
}

/** A plain success answer: `@ApiOk(BatchDto)` (200), `@ApiOk(BidDto, 201)`, `@ApiOk([ItemDto])` for a bare array. */
export function ApiOk(type: Type<unknown> | [Type<unknown>], status: 200 | 201 = 200, description?: string): MethodDecorator & ClassDecorator {
  return ApiResponse({ status, type, description: description ?? (status === 201 ? 'Created' : 'OK') });
}

/** 201 with the created resource: `@ApiCreated(BatchDto)`. */
export const ApiCreated = (type: Type<unknown>, description?: string) => ApiOk(type, 201, description);

const pages = new Map<Type<unknown>, Type<unknown>>();

/** The `{items, total}` class of a list of `item`, named `<Item>Page` (Dto suffix dropped) in the document. */
export function pageOf(item: Type<unknown>): Type<unknown> {
  let page = pages.get(item);
  if (!page) {
    const name = `${item.name.replace(/Dto$/, '')}Page`;
    page = { [name]: class {} }[name] as Type<unknown>;
    ApiProperty({ type: [item] })(page.prototype as object, 'items');
    ApiProperty({ type: 'integer', description: 'all matching rows, not only this page', example: 1 })(page.prototype as object, 'total');
    pages.set(item, page);
  }
  return page;
}

/** A list answer `{items: Item[], total}` (api.md "Lists"): `@ApiOkList(AgreementDto)`. */
export function ApiOkList(item: Type<unknown>, status: 200 | 201 = 200): MethodDecorator & ClassDecorator {
  return applyDecorators(ApiExtraModels(item), ApiResponse({ status, type: pageOf(item), description: `{items, total} of ${item.name.replace(/Dto$/, '')}` }));
}

const keysetPages = new Map<Type<unknown>, Type<unknown>>();

/** The `{items, nextAfter}` class of a key-set page of `item` (`?after=`), named `<Item>KeysetPage`. */
export function keysetPageOf(item: Type<unknown>): Type<unknown> {
  let page = keysetPages.get(item);
  if (!page) {
    const name = `${item.name.replace(/Dto$/, '')}KeysetPage`;
    page = { [name]: class {} }[name] as Type<unknown>;
    ApiProperty({ type: [item] })(page.prototype as object, 'items');
    ApiProperty({ type: 'integer', nullable: true, description: 'the `after` of the next page; null on the last page', example: 1234 })(
      page.prototype as object,
      'nextAfter',
    );
    keysetPages.set(item, page);
  }
  return page;
}

/**
 * A list that pages by offset (`{items, total}`) or, with `?after=`, by key (`{items, nextAfter}`):
 * `@ApiOkKeysetList(DeliveryDto)`. The client narrows with `'total' in data`.
 */
export function ApiOkKeysetList(item: Type<unknown>): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiExtraModels(item, pageOf(item), keysetPageOf(item)),
    ApiResponse({
      status: 200,
      description: `{items, total} of ${item.name.replace(/Dto$/, '')}; with ?after= {items, nextAfter}`,
      schema: { oneOf: [{ $ref: getSchemaPath(pageOf(item)) }, { $ref: getSchemaPath(keysetPageOf(item)) }] },
    }),
  );
}

/** `202 {jobId}` of long work (api.md): poll GET /jobs/:jobId. */
export class JobAcceptedDto {
  @ApiProperty({ description: 'poll GET /jobs/:jobId', example: 'opening:batch-12' }) jobId!: string;
}

/** `@ApiJob()`: the operation answers 202 {jobId}; pass a class for a richer body, e.g. `@ApiJob(ImportAcceptedDto)`. */
export function ApiJob(
  type: Type<unknown> = JobAcceptedDto,
  description = 'Accepted: the work runs in a job (GET /jobs/:jobId)',
): MethodDecorator & ClassDecorator {
  return ApiResponse({ status: 202, type, description });
}

/** `@ApiXlsx()`: the operation answers an .xlsx download (binary). */
export function ApiXlsx(description = 'An .xlsx workbook'): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiProduces(XLSX_CONTENT_TYPE),
    ApiResponse({ status: 200, description, content: { [XLSX_CONTENT_TYPE]: { schema: { type: 'string', format: 'binary' } } } }),
  );
}

/** `@ApiXlsxBody()`: multipart/form-data with one .xlsx in the field `file` (the upload decorators of @jicai/spreadsheets apply it). */
export function ApiXlsxBody(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary', description: '.xlsx' } } } }),
  );
}

/**
 * The operationId (verb-noun camelCase, unique in the document) and an optional summary:
 * `@Op('submitBid', 'Submit or replace a sealed bid')`. Without it, operationIdOf derives one.
 */
export function Op(operationId: string, summary?: string): MethodDecorator {
  return ApiOperation({ operationId, ...(summary ? { summary } : {}) });
}

type PropOptions = { description?: string; nullable?: boolean; required?: boolean; example?: unknown };

/** A money / price / score / ratio field: a decimal JSON string with an example (api.md "Conventions"). */
export const ApiMoney = (example = '3.33', options: PropOptions = {}): PropertyDecorator =>
  ApiProperty({ type: 'string', description: 'decimal string, exact', required: true, ...options, example });

/** An integer field (ids, quantities, packs, counts): `type: integer`, not `number`. */
export const ApiInt = (options: PropOptions & { minimum?: number; maximum?: number } = {}): PropertyDecorator =>
  ApiProperty({ type: 'integer', example: 1, required: true, ...options });

/** An ISO-8601 UTC time: `format: date-time`. */
export const ApiDateTime = (options: PropOptions = {}): PropertyDecorator =>
  ApiProperty({ type: 'string', format: 'date-time', example: '2027-01-15T08:00:00.000Z', required: true, ...options });

/** A calendar date `YYYY-MM-DD`: `format: date`. */
export const ApiDate = (options: PropOptions = {}): PropertyDecorator =>
  ApiProperty({ type: 'string', format: 'date', example: '2027-01-01', required: true, ...options });

/**
 * SwaggerModule's operationIdFactory: a method already named verb-noun (`submitBid`) keeps its
 * name; a bare verb gets the controller's noun (`BatchesController.list` → `listBatches`).
 * @Op names win over both.
 */
export function operationIdOf(controllerKey: string, methodKey: string): string {
  if (/^[a-z]+[A-Z0-9]/.test(methodKey)) return methodKey;
  const noun = controllerKey.replace(/Controller$/, '');
  return `${methodKey}${noun}`;
}

interface OpenApiOperationLike {
  parameters?: { in?: string; schema?: { type?: string | string[]; format?: string } }[];
  requestBody?: unknown;
  responses?: Record<string, unknown>;
  security?: unknown[];
}

const VERBS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/**
 * What the decorators cannot say for every route at once: path parameters are integers where
 * they are numbers (ParseIntPipe is the only way a number gets into a path), and every
 * operation with parameters or a body answers 400 VALIDATION_FAILED; every 4xx is the JSON error schema.
 */
export function completeDocument<T extends { paths: Record<string, unknown> }>(doc: T): T {
  for (const item of Object.values(doc.paths) as Record<string, OpenApiOperationLike | undefined>[]) {
    for (const verb of VERBS) {
      const op = item[verb];
      if (!op) continue;
      for (const p of op.parameters ?? []) {
        if (p.in === 'path' && p.schema?.type === 'number') {
          p.schema.type = 'integer';
          delete p.schema.format;
        }
      }
      op.responses ??= {};
      if ((op.parameters?.length || op.requestBody) && !op.responses['400']) op.responses['400'] = { description: ERROR_MEANING[400] };
      // Errors are JSON even where the success is a download (@ApiProduces would say xlsx).
      for (const [status, response] of Object.entries(op.responses) as [string, { content?: unknown }][]) {
        if (/^4\d\d$/.test(status)) response.content = { 'application/json': { schema: { $ref: getSchemaPath(ErrorResponseDto) } } };
      }
    }
  }
  return doc;
}
