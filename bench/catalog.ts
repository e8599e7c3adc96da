import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, getNamedType, isInputObjectType } from 'graphql';
import { performance } from 'node:perf_hooks';
import type { ChildHandle } from './ipc.js';
import { intFromEnv, post, printTable } from './harness.js';
import { STOREFRONT_LISTING, body } from './queries.js';
import { BRANDS, COLORS, SIZES, TAGS, sha256, type Sql } from './seed.js';

/**
 * The catalog's API-only checks, kept from the earlier bench: SQL statements per storefront
 * listing must not grow with the page size (an N+1 shows there first), and `importProducts`
 * throughput. They have no floor: they guard the API against itself across changes.
 *
 *   BENCH_IMPORT_ROWS   CSV rows (one per SKU) in the importProducts file (default 10000)
 */

const IMPORT_ROWS = intFromEnv('BENCH_IMPORT_ROWS', 10_000);

type Api = ChildHandle<{ url: string }>;
const statements = async (api: Api) => (await api.call<{ statements: number }>('stats')).statements;

export interface SqlGrowth {
  first: number;
  sqlPerRequest: number;
}

/** Statements per storefront listing at two page sizes, through the API process's own count. */
export async function sqlByPageSize(api: Api, problems: string[]): Promise<SqlGrowth[]> {
  const out: SqlGrowth[] = [];
  for (const first of [10, 100]) {
    const request = body('StorefrontListing', STOREFRONT_LISTING, { first });
    for (let i = 0; i < 5; i++) await post(api.ready.url, request);
    const before = await statements(api);
    const n = 20;
    for (let i = 0; i < n; i++) {
      const r = await post(api.ready.url, request);
      if (r.status !== 200 || r.text.startsWith('{"errors"')) problems.push(`products(first: ${first}) failed: ${r.text.slice(0, 300)}`);
    }
    out.push({ first, sqlPerRequest: ((await statements(api)) - before) / n });
  }
  if (out[1]!.sqlPerRequest > out[0]!.sqlPerRequest) {
    problems.push(`SQL statements per listing grow with the page size (${out.map((x) => `${x.first}: ${x.sqlPerRequest}`).join(', ')}): an N+1`);
  }
  return out;
}

export function printSqlGrowth(rows: SqlGrowth[]): void {
  console.log('\nSQL statements per storefront listing request (API), by page size (must not grow):');
  printTable(['page size', 'SQL/req'], rows.map((x) => [`products(first: ${x.first})`, x.sqlPerRequest.toFixed(2)]));
}

// --- importProducts ------------------------------------------------------------------------

/** The signature this file was written against (src/modules/catalog/import.types.ts). */
const IMPORT_PRODUCTS = `mutation ImportProducts($input: ImportProductsInput!) {
  importProducts(input: $input) {
    created updated unchanged failed
    errors { line column code message }
    userErrors { code field message }
  }
}`;

/**
 * Null when the import rows can run. A schema without the mutation is "not available" (the row
 * is skipped); one whose mutation no longer matches IMPORT_PRODUCTS fails the run, so a stale
 * benchmark is noticed instead of silently skipped. Read from the printed schema (the API runs
 * in production mode, where introspection is off).
 */
function importProblem(): { absent: string } | { mismatch: string } | null {
  const schema = buildSchema(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'schema.graphql'), 'utf8'));
  const field = schema.getMutationType()?.getFields().importProducts;
  if (!field) return { absent: 'the schema has no Mutation.importProducts' };
  const input = schema.getType('ImportProductsInput');
  const inputs = new Set(isInputObjectType(input) ? Object.keys(input.getFields()) : []);
  const missing = ['sellerId', 'format', 'data'].filter((n) => !inputs.has(n));
  const payload = getNamedType(field.type).name;
  if (!field.args.some((a) => a.name === 'input') || missing.length || payload !== 'ImportProductsPayload') {
    return {
      mismatch:
        `bench/catalog.ts expects importProducts(input: ImportProductsInput { sellerId format data }): ImportProductsPayload; ` +
        `the schema has args (${field.args.map((a) => a.name).join(', ')}), input fields (${[...inputs].join(', ')}), payload ${payload}`,
    };
  }
  return null;
}

/** A CSV of `rows` SKU rows (the columns of import.parse.ts): products of 1–3 SKUs, attributes by the names the seed gave them. */
export function importCsv(rows: number, attrs: { categorySlugs: string[] }): string {
  const header = 'product_code,name,description,category_slug,brand,tags,sku_code,color,size,price,list_price,weight_grams,height_mm,width_mm,length_mm,stock,image_urls,status';
  const lines = [header];
  let product = 0;
  while (lines.length - 1 < rows) {
    const code = `IMP${String(product).padStart(6, '0')}`;
    const skus = Math.min(1 + (product % 3), rows - (lines.length - 1));
    for (let k = 1; k <= skus; k++) {
      const price = 1990 + ((product * 37 + k) % 500) * 100;
      lines.push(
        [
          code,
          // Product columns repeat on each of its SKU rows; a quoted comma exercises the CSV quoting.
          `"Produto importado ${product}, edição padrão"`,
          `Importado pela planilha do vendedor.`,
          attrs.categorySlugs[product % attrs.categorySlugs.length],
          `Marca ${String((product % BRANDS) + 1).padStart(2, '0')}`,
          `tag-${String((product % TAGS) + 1).padStart(2, '0')}|tag-${String(((product + 7) % TAGS) + 1).padStart(2, '0')}`,
          `${code}_${k}`,
          COLORS[(product + k) % COLORS.length],
          SIZES[(product + k) % SIZES.length],
          price,
          price + 2000,
          500,
          100,
          200,
          300,
          (product * k) % 40,
          `https://img.example/imp/${product}.jpg`,
          'PUBLISHED',
        ].join(','),
      );
    }
    product += 1;
  }
  return lines.join('\n') + '\n';
}

interface ImportPayload {
  created: number | null;
  failed: number | null;
  errors: unknown[] | null;
  userErrors: unknown[];
}

export interface ImportRow {
  label: string;
  rows: number;
  ms: number;
  rowsPerSecond: number;
  /** Statements for the whole file: a count that grows per row more than a few is an N+1. */
  statements: number;
  created: number | null;
}

export type ImportOutcome = { rows: ImportRow[] } | { unavailable: string };

/** One CSV file imported twice by a fresh guest seller's OWNER: the first creates every product, the second finds them unchanged. */
export async function importBench(api: Api, db: Sql, problems: string[]): Promise<ImportOutcome> {
  const check = importProblem();
  if (check && 'mismatch' in check) {
    problems.push(check.mismatch);
    return { unavailable: 'the bench is out of date' };
  }
  if (check) return { unavailable: check.absent };

  const token = `mks_${randomBytes(32).toString('base64url')}`;
  const { rows } = await db.query<{ id: string }>(
    `with s as (insert into seller (id, name, concatenation_code, status, approved_at) values (gen_random_uuid(), 'Loja Importadora', 'CATIMP', 'ACTIVE', now()) returning id),
          u as (insert into app_user (id, email, name, seller_id, role) select gen_random_uuid(), 'importer@bench.example', 'Importer', s.id, 'OWNER' from s returning id),
          x as (insert into user_session (id, user_id, token_hash, expires_at) select gen_random_uuid(), u.id, $1, now() + interval '1 hour' from u returning id)
     select s.id from s`,
    [sha256(token)],
  );
  const slugs = await db.query<{ slug: string }>(`select slug from category where parent_id is not null order by slug`);
  const csv = importCsv(IMPORT_ROWS, { categorySlugs: slugs.rows.map((r) => r.slug) });

  const out: ImportRow[] = [];
  for (const label of ['first import (creates)', 're-import (unchanged)']) {
    const before = await statements(api);
    const t0 = performance.now();
    const res = await post(api.ready.url, JSON.stringify({ query: IMPORT_PRODUCTS, variables: { input: { sellerId: rows[0]!.id, format: 'CSV', data: csv } } }), {
      authorization: `Bearer ${token}`,
    }, AbortSignal.timeout(5 * 60_000));
    const ms = performance.now() - t0;
    const payload = (JSON.parse(res.text) as { data?: { importProducts?: ImportPayload } }).data?.importProducts;
    if (res.status !== 200 || !payload || payload.userErrors.length || payload.failed || payload.errors?.length) {
      problems.push(`importProducts ${label} failed: ${res.text.slice(0, 600)}`);
      break;
    }
    out.push({ label, rows: IMPORT_ROWS, ms, rowsPerSecond: IMPORT_ROWS / (ms / 1000), statements: (await statements(api)) - before, created: payload.created });
  }
  return { rows: out };
}

export function printImport(o: ImportOutcome): void {
  console.log('');
  if ('unavailable' in o) {
    console.log(`importProducts: not available (${o.unavailable})`);
    return;
  }
  printTable(
    ['importProducts (CSV, one seller, API)', 'rows', 'created', 'ms', 'rows/s', 'SQL stmts'],
    o.rows.map((x) => [x.label, String(x.rows), x.created == null ? '-' : String(x.created), x.ms.toFixed(0), x.rowsPerSecond.toFixed(0), String(x.statements)]),
  );
}
