import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/*
 * One owner per table (issue 9, architecture.md): only the owning library names a table in SQL
 * or uses its entity; every other library reads through the owner's exported read functions
 * (`*.reads.ts` and the like). This test scans every library's non-test sources and fails naming
 * the file and the table (or entity) of each crossing. A new table takes its place in OWNERS.
 */
const OWNERS: Record<string, readonly string[]> = {
  common: ['audit_entries', 'audit_head', 'audit_verifications'],
  spreadsheets: ['import_runs'],
  organizations: ['organizations', 'users'],
  notifications: ['notifications', 'notification_reads'],
  catalog: ['products'],
  batches: ['batches', 'batch_items'],
  bidding: ['bids'],
  reimbursement: ['payment_standards', 'payment_standard_transitions', 'payment_standard_transition_years'],
  evaluation: [
    'technical_scores',
    'winners',
    'evaluation_groups',
    'evaluation_results',
    'abnormal_low_flags',
    'objections',
    'ruled_invalid_bids',
    'revival_offers',
  ],
  allocation: ['demands', 'preferences', 'agreed_volumes', 'agreements'],
  prepayment: ['prepayments', 'prepayment_draws'],
  orders: ['purchase_orders'],
  settlement: ['deliveries', 'settlement_runs', 'settlement_run_hospitals', 'payment_instructions', 'payment_instruction_lines'],
  execution: ['progress', 'progress_agreements', 'assessment_scores', 'baseline_prices', 'non_selected_purchases', 'retention'],
};

const ROOT = join(__dirname, '..', '..', '..');
const LIBS = join(ROOT, 'libs');

function sourcesOf(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourcesOf(path));
    else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

/** Block comments and line comments (not `://` in a URL) blanked out: prose may say "reads FROM bids". */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

export interface Crossing {
  file: string;
  lib: string;
  owner: string;
  what: string;
}

/** The tables another library owns that `source` names in SQL (uppercase keywords, as all SQL here is written). */
export function sqlCrossings(file: string, lib: string, source: string, ownerOf: ReadonlyMap<string, string>): Crossing[] {
  const out: Crossing[] = [];
  for (const m of withoutComments(source).matchAll(/\b(?:FROM|JOIN|INTO|UPDATE|TABLE)\s+`?([a-z_][a-z0-9_]*)`?/g)) {
    const owner = ownerOf.get(m[1]);
    if (owner && owner !== lib) out.push({ file, lib, owner, what: `table ${m[1]}` });
  }
  return out;
}

/** Value imports (not `import type`) of another library's entity classes. */
export function entityCrossings(file: string, lib: string, source: string, entityOwner: ReadonlyMap<string, string>): Crossing[] {
  const out: Crossing[] = [];
  for (const m of withoutComments(source).matchAll(/import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@jicai\/([a-z-]+)'/g)) {
    if (m[1]) continue;
    for (const spec of m[2].split(',').map((s) => s.trim())) {
      if (!spec || spec.startsWith('type ')) continue;
      const name = spec.split(/\s+as\s+/)[0].trim();
      const owner = entityOwner.get(name);
      if (owner && owner !== lib) out.push({ file, lib, owner, what: `entity ${name}` });
    }
  }
  return out;
}

describe('table ownership (issue 9)', () => {
  const ownerOf = new Map(Object.entries(OWNERS).flatMap(([lib, tables]) => tables.map((t) => [t, lib] as const)));
  const libs = readdirSync(LIBS).filter((l) => statSync(join(LIBS, l, 'src')).isDirectory());
  const files = libs.flatMap((lib) => sourcesOf(join(LIBS, lib, 'src')).map((path) => ({ lib, path, source: readFileSync(path, 'utf8') })));

  // Entities are found where they are declared: `@Entity('table') … export class Name`.
  const entityOwner = new Map<string, string>();
  const entityTables: { lib: string; table: string; name: string; file: string }[] = [];
  for (const f of files) {
    for (const m of f.source.matchAll(/@Entity\('([a-z_]+)'\)\s*export\s+class\s+(\w+)/g)) {
      entityOwner.set(m[2], f.lib);
      entityTables.push({ lib: f.lib, table: m[1], name: m[2], file: relative(ROOT, f.path) });
    }
  }

  it('every table the migrations create has exactly one owner', () => {
    const dir = join(ROOT, 'database', 'migrations');
    const created = new Set(
      readdirSync(dir).flatMap((n) => [...readFileSync(join(dir, n), 'utf8').matchAll(/CREATE TABLE (?:IF NOT EXISTS )?`?([a-z_]+)`?/g)].map((m) => m[1])),
    );
    expect(created.size).toBeGreaterThan(30);
    expect([...created].filter((t) => !ownerOf.has(t)).sort()).toEqual([]);
    const all = Object.values(OWNERS).flat();
    expect(all.length).toBe(new Set(all).size);
  });

  it('every entity is declared in the library that owns its table', () => {
    expect(entityTables.length).toBeGreaterThan(20);
    expect(
      entityTables.filter((e) => ownerOf.get(e.table) !== e.lib).map((e) => `${e.file}: ${e.name} (${e.table}, owned by ${ownerOf.get(e.table)})`),
    ).toEqual([]);
  });

  it('no library names another library’s table in SQL or imports its entity', () => {
    const crossings = files.flatMap((f) => {
      const file = relative(ROOT, f.path);
      return [...sqlCrossings(file, f.lib, f.source, ownerOf), ...entityCrossings(file, f.lib, f.source, entityOwner)];
    });
    expect(crossings.map((c) => `${c.file}: ${c.what} (owned by ${c.owner})`)).toEqual([]);
  });

  it('finds a crossing when one is written (the scan itself can fail)', () => {
    const sql = 'await m.query(`SELECT w.id\n  FROM winners w\n  JOIN\n  batches b ON b.id = w.batch_id`); // FROM bids\n/* JOIN products */';
    expect(sqlCrossings('x.ts', 'allocation', sql, ownerOf).map((c) => c.what)).toEqual(['table winners', 'table batches']);
    expect(sqlCrossings('x.ts', 'evaluation', 'SELECT * FROM winners', ownerOf)).toEqual([]);
    const imports =
      "import { Batch, itemsOfBatch } from '@jicai/batches';\nimport type { Product } from '@jicai/catalog';\nimport {\n  type Organization,\n  Bid as B,\n} from '@jicai/bidding';";
    expect(entityCrossings('x.ts', 'allocation', imports, entityOwner).map((c) => c.what)).toEqual(['entity Batch', 'entity Bid']);
  });
});
