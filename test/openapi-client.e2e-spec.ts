import { execFileSync } from 'node:child_process';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestMethod } from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { NestFactory } from '@nestjs/core';
import * as ts from 'typescript';
import { operationIdOf } from '@jicai/common';
import { ApiModule } from '../apps/api/src/api.module';

/**
 * The OpenAPI document is the contract the web console's client is generated from (issue 10).
 * These tests walk every operation of the document the api serves, so endpoints added later are
 * held to the same rules, check the committed client (libs/api-client) against the code, and
 * compile the main flow against the client. No database: the document comes from Nest's preview mode.
 */
const ROOT = join(__dirname, '..');
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const VERBS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const PUBLIC_OPERATIONS = ['getHealth', 'logIn', 'activateAccount'];

type Schema = { $ref?: string; type?: string; format?: string; items?: Schema; properties?: Record<string, Schema>; example?: unknown; [k: string]: unknown };
interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
  responses: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
interface Doc {
  paths: Record<string, Partial<Record<(typeof VERBS)[number], Operation>>>;
  components: { schemas: Record<string, Schema> };
}

describe('OpenAPI document and the generated client', () => {
  let generated: { json: string; types: string };
  let doc: Doc;
  const ops: { label: string; op: Operation }[] = [];

  beforeAll(async () => {
    // The generator runs as `npm run client` does (openapi-typescript is ESM inside; jest's require is not).
    const out = mkdtempSync(join(tmpdir(), 'jicai-openapi-'));
    try {
      execFileSync(process.execPath, ['-r', join(ROOT, 'test/helpers/swc-register.js'), join(ROOT, 'scripts/api-client.ts'), '--out', out], { stdio: 'pipe' });
      generated = { json: readFileSync(join(out, 'openapi.json'), 'utf8'), types: readFileSync(join(out, 'schema.d.ts'), 'utf8') };
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
    doc = JSON.parse(generated.json) as Doc;
    for (const [path, item] of Object.entries(doc.paths))
      for (const verb of VERBS) if (item[verb]) ops.push({ label: `${verb.toUpperCase()} ${path}`, op: item[verb] });
  }, 60_000);

  it('describes every route of the api', () => {
    expect(ops.length).toBeGreaterThan(50);
  });

  it('names every operation verb-noun in camelCase, uniquely', () => {
    const bad = ops.filter(({ op }) => !/^[a-z]+(?:[A-Z][a-z0-9]*)+$/.test(op.operationId ?? '')).map(({ label, op }) => `${label}: ${op.operationId}`);
    expect(bad).toEqual([]);
    const ids = ops.map(({ op }) => op.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it('gives every operation a 2xx answer with a schema (JSON), a binary .xlsx or 204 No Content', () => {
    const bad: string[] = [];
    for (const { label, op } of ops) {
      const ok = Object.entries(op.responses).filter(([status]) => /^2\d\d$/.test(status));
      if (ok.length === 0) bad.push(`${label}: no 2xx`);
      for (const [status, r] of ok) {
        const json = r.content?.['application/json']?.schema;
        const xlsx = r.content?.[XLSX]?.schema;
        if (status === '204') continue; // No Content: nothing to describe
        if (!json && !(xlsx?.type === 'string' && xlsx.format === 'binary')) bad.push(`${label}: ${status} without a schema`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('answers errors with the one error schema, and protected operations list 401 and 403', () => {
    const bad: string[] = [];
    for (const { label, op } of ops) {
      for (const [status, r] of Object.entries(op.responses)) {
        if (!/^[45]\d\d$/.test(status) || status === '503') continue;
        if (r.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorResponseDto') bad.push(`${label}: ${status} not ErrorResponseDto`);
      }
      const isPublic = !op.security?.length;
      if (isPublic !== PUBLIC_OPERATIONS.includes(op.operationId!)) bad.push(`${label}: ${isPublic ? 'no bearer auth' : 'bearer auth on a public operation'}`);
      if (!isPublic && !(op.responses['401'] && op.responses['403'])) bad.push(`${label}: protected without 401/403`);
    }
    expect(bad).toEqual([]);
    const error = doc.components.schemas.ErrorResponseDto;
    expect(Object.keys(error.properties!).sort()).toEqual(['code', 'details', 'message', 'statusCode']);
    expect(error.properties!.statusCode.type).toBe('integer');
  });

  /** Every schema the document holds: components, parameters, request and response bodies. */
  function walk(visit: (where: string, name: string, s: Schema) => void): void {
    const go = (where: string, name: string, s: Schema | undefined) => {
      if (!s || typeof s !== 'object') return;
      visit(where, name, s);
      for (const [k, p] of Object.entries(s.properties ?? {})) go(`${where}.${k}`, k, p);
      if (s.items) go(`${where}[]`, name, s.items);
      for (const key of ['oneOf', 'anyOf', 'allOf'] as const) for (const sub of (s[key] as Schema[] | undefined) ?? []) go(where, name, sub);
    };
    for (const [n, s] of Object.entries(doc.components.schemas)) go(n, n, s);
    for (const { label, op } of ops) {
      for (const p of op.parameters ?? []) go(`${label} ?${p.name}`, p.name, p.schema);
      for (const c of Object.values(op.requestBody?.content ?? {})) go(`${label} body`, 'body', c.schema);
      for (const [status, r] of Object.entries(op.responses)) for (const c of Object.values(r.content ?? {})) go(`${label} ${status}`, 'response', c.schema);
    }
  }

  it('types integers as integer (a number needs an explicit format), date-times with format, money with examples', () => {
    const bad: string[] = [];
    walk((where, name, s) => {
      if (s.type === 'number' && !s.format) bad.push(`${where}: number without format (integer?)`);
      if (/[a-z]At$/.test(name) && s.type === 'string' && s.format !== 'date-time') bad.push(`${where}: a time without format date-time`);
      if (typeof s.example === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(s.example) && s.format !== 'date-time')
        bad.push(`${where}: date-time example without format`);
      if (/(amount|price|score|pays|balance|eligible|excess)$/i.test(name) && s.type === 'string' && s.example === undefined)
        bad.push(`${where}: money without example`);
      if (/(Id|^id|^total)$/.test(name) && s.type === 'number') bad.push(`${where}: an id or total typed number`);
    });
    expect(bad).toEqual([]);
    // a few fields read by hand: the rules above are not vacuous
    const bid = doc.components.schemas.BidReceiptDto.properties!;
    expect(bid.id.type).toBe('integer');
    expect(bid.submittedAt).toMatchObject({ type: 'string', format: 'date-time' });
    expect(bid.packPrice).toMatchObject({ type: 'string', example: '3.33' });
    expect(doc.components.schemas.AgreementPage.properties!.total.type).toBe('integer');
  });

  it('documents the status each route really answers (POST is 201 unless @HttpCode says otherwise)', async () => {
    const app = await NestFactory.create(ApiModule, { preview: true, logger: false });
    const byId = new Map(ops.map((o) => [o.op.operationId, o]));
    const bad: string[] = [];
    const container = (
      app as unknown as { container: { getModules(): Map<string, { controllers: Map<unknown, { metatype: { name: string; prototype: object } | null }> }> } }
    ).container;
    for (const module of container.getModules().values()) {
      for (const { metatype } of module.controllers.values()) {
        if (!metatype) continue;
        const proto = metatype.prototype as Record<string, object>;
        for (const name of Object.getOwnPropertyNames(proto)) {
          const handler = proto[name];
          if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
          const id =
            (Reflect.getMetadata('swagger/apiOperation', handler) as { operationId?: string } | undefined)?.operationId ?? operationIdOf(metatype.name, name);
          const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
          const status = String(Reflect.getMetadata(HTTP_CODE_METADATA, handler) ?? (method === RequestMethod.POST ? 201 : 200));
          const documented = byId.get(id);
          if (!documented) bad.push(`${metatype.name}.${name}: not in the document as ${id}`);
          else if (!documented.op.responses[status])
            bad.push(`${documented.label}: answers ${status}, documents ${Object.keys(documented.op.responses).join(',')}`);
        }
      }
    }
    await app.close();
    expect(bad).toEqual([]);
  });

  it('has the committed client (libs/api-client) generated from this document: run `npm run client` when it fails', () => {
    const committed = (name: string) => readFileSync(join(ROOT, 'libs/api-client/src', name), 'utf8');
    expect(committed('openapi.json') === generated.json).toBe(true);
    expect(committed('schema.d.ts') === generated.types).toBe(true);
    expect(generated.types).not.toMatch(/content: \{\s*"application\/json": never/);
  });

  function compile(files: string[]): string[] {
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const program = ts.createProgram(files, { ...options, noEmit: true, incremental: false, tsBuildInfoFile: undefined, rootDir: undefined, types: ['node'] });
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }

  it('compiles the main flow (login … payments) against the generated client, and refuses a shape the document does not give', () => {
    expect(compile([join(ROOT, 'test/api-client/main-flow.ts')])).toEqual([]);
    // The same client refuses what the document does not say: a price is a string, an id an integer.
    const dir = mkdtempSync(join(tmpdir(), 'jicai-client-'));
    try {
      const wrong = join(dir, 'wrong.ts');
      writeFileSync(
        wrong,
        `import type { Schemas } from '${join(ROOT, 'libs/api-client/src').replace(/\\/g, '/')}';
         export const price = (b: Schemas['BidReceiptDto']): number => b.packPrice;
         export const id = (a: Schemas['AgreementDto']): string => a.id;
         export const missing = (r: Schemas['ResultsDto']) => r.winnersByItem;`,
      );
      const errors = compile([wrong]);
      expect(errors).toHaveLength(3);
      expect(errors.join('\n')).toMatch(/winnersByItem/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
