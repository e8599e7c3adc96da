import { isDeepStrictEqual } from 'node:util';
import { performance } from 'node:perf_hooks';
import type { App } from '../src/app/app.js';
import { Session, User } from '../src/modules/auth/index.js';
import { UserRole } from '../src/shared/access/index.js';
import { hashToken, newToken } from '../src/shared/crypto/index.js';
import { Seller, SellerStatus } from '../src/modules/sellers/index.js';
import { startBaseline } from './baseline.js';
import { intFromEnv, load, noteFailure, post, printResults, printTable, summarize, type LoadRun, type Result, type Scenario, type SqlCounter } from './harness.js';

/**
 * The catalog issue's benchmark: the storefront product listing against a raw node:http + pg
 * baseline, SQL statements per listing at two page sizes, and `importProducts` throughput.
 *
 *   BENCH_PRODUCTS          products to seed (default 20000)
 *   BENCH_CATALOG_SELLERS   sellers owning them, the admin seller included (default 20)
 *   BENCH_LISTING_REQUESTS  measured listing requests per row, API and baseline each (default 500, or BENCH_REQUESTS if lower)
 *   BENCH_IMPORT_ROWS       CSV rows (one per SKU) in the importProducts file (default 10000)
 */

export const CATALOG = {
  products: intFromEnv('BENCH_PRODUCTS', 20_000),
  sellers: intFromEnv('BENCH_CATALOG_SELLERS', 20),
  importRows: intFromEnv('BENCH_IMPORT_ROWS', 10_000),
};
// Small fixed attribute sets: what a store has, not what grows with the catalog.
const ROOT_CATEGORIES = ['Moda', 'Casa', 'Eletrônicos', 'Esporte', 'Beleza'];
const CHILDREN_PER_ROOT = 4;
const BRANDS = 40;
const TAGS = 30;
const COLORS = ['Preto', 'Branco', 'Azul', 'Vermelho', 'Verde', 'Amarelo', 'Cinza', 'Rosa'];
const SIZES = ['PP', 'P', 'M', 'G', 'GG', 'XG'];

/**
 * The catalog in bulk SQL (INSERT … SELECT generate_series), never through the API, so 20,000
 * products with ~40,000 SKUs take seconds. Rows look like CatalogFactory's: displayed codes
 * `<concat>-<raw>` (raw for the admin seller), timestamps in milliseconds as the app writes
 * them (cursors carry JS dates), min_price_cents kept from the active SKUs. Runs once, before
 * any product exists (the SKU and tag statements derive from every product row).
 */
export async function seedCatalog(app: App): Promise<{ ms: number; products: number; skus: number }> {
  const started = performance.now();
  const sql = (text: string) => app.runtime.orm.em.getConnection().execute(text);
  const guests = CATALOG.sellers - 1;
  const w = String(CATALOG.products).length;
  const leaves = ROOT_CATEGORIES.length * CHILDREN_PER_ROOT;
  const list = (names: string[]) => names.map((n) => `('${n}')`).join(', ');

  await sql(`update marketplace_settings set uses_marketplace = true where id = 1`);
  // Guest sellers CAT01…: ACTIVE; codes distinct from the foundation sellers' B0000….
  await sql(`
    insert into seller (id, name, concatenation_code, status, approved_at, shipping_policy, return_policy)
    select gen_random_uuid(), 'Loja Parceira ' || g, 'CAT' || lpad(g::text, ${Math.max(2, String(guests).length)}, '0'), 'ACTIVE', now(),
           'Envio em até 2 dias úteis.', 'Devolução em até 7 dias.'
    from generate_series(1, ${guests}) g`);
  await sql(`update seller set status = 'ACTIVE' where is_admin`);
  // A two-level tree: each root with its children; products hang on the leaves.
  await sql(`
    insert into category (id, name, slug, path, position)
    select id, name, lower(translate(name, 'ô', 'o')), '/' || id || '/', pos
    from (select gen_random_uuid() as id, name, pos - 1 as pos from unnest(array[${ROOT_CATEGORIES.map((n) => `'${n}'`).join(', ')}]) with ordinality as r(name, pos)) r`);
  await sql(`
    insert into category (id, name, slug, parent_id, path, position)
    select x.id, r.name || ' ' || x.g, r.slug || '-' || x.g, r.id, r.path || x.id || '/', x.g - 1
    from category r cross join lateral (select gen_random_uuid() as id, g from generate_series(1, ${CHILDREN_PER_ROOT}) g) x
    where r.parent_id is null`);
  await sql(`insert into brand (id, name) select gen_random_uuid(), 'Marca ' || lpad(g::text, 2, '0') from generate_series(1, ${BRANDS}) g`);
  await sql(`insert into tag (id, name) select gen_random_uuid(), 'tag-' || lpad(g::text, 2, '0') from generate_series(1, ${TAGS}) g`);
  await sql(`insert into color (id, name) select gen_random_uuid(), name from (values ${list(COLORS)}) v(name)`);
  await sql(`insert into size (id, name, position) select gen_random_uuid(), name, pos - 1 from unnest(array[${SIZES.map((n) => `'${n}'`).join(', ')}]) with ordinality as v(name, pos)`);

  // Product g belongs to seller g mod sellers (admin first), one leaf category, a brand (none for
  // one in ten). Created one minute apart, so the default order (newest first) has no ties.
  await sql(`
    with s as (select id, concatenation_code as concat, (row_number() over (order by is_admin desc, concatenation_code) - 1)::int as n
               from seller where is_admin or concatenation_code like 'CAT%'),
         c as (select id, (row_number() over (order by path) - 1)::int as n from category where parent_id is not null),
         b as (select id, (row_number() over (order by name) - 1)::int as n from brand)
    insert into product (id, created_at, updated_at, seller_id, seller_code, code, name, description, status,
                         category_id, brand_id, images, published_at)
    select gen_random_uuid(), t, t, s.id, raw, coalesce(s.concat || '-', '') || raw,
           'Produto de vitrine ' || g, 'Descrição do produto ' || g || '.', 'PUBLISHED',
           c.id, case when g % 10 = 9 then null else b.id end,
           jsonb_build_array(jsonb_build_object('url', 'https://img.example/p/' || g || '.jpg', 'alt', null)), t
    from generate_series(0, ${CATALOG.products - 1}) g
    cross join lateral (select timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute' as t,
                               'P' || lpad(g::text, ${w}, '0') as raw) v
    join s on s.n = g % ${CATALOG.sellers}
    join c on c.n = (g * 7) % ${leaves}
    join b on b.n = (g * 13) % ${BRANDS}`);

  // 1–3 SKUs per product; some without colour or size, some out of stock, a few inactive
  // (the storefront must not show those), list prices on three in four.
  await sql(`
    with co as (select id, (row_number() over (order by name) - 1)::int as n from color),
         sz as (select id, position as n from size)
    insert into sku (id, created_at, updated_at, product_id, seller_id, seller_code, code, color_id, size_id,
                     price_cents, list_price_cents, weight_grams, height_mm, width_mm, length_mm, stock, images, position, active)
    select gen_random_uuid(), p.created_at, p.created_at, p.id, p.seller_id, p.seller_code || '_' || k, p.code || '_' || k,
           co.id, sz.id, price, case when g % 4 = 0 then null else price + 2000 end,
           300 + (g % 20) * 50, 100, 200, 300,
           case when (g + k) % 7 = 0 then 0 else 1 + (g * k) % 50 end, '[]'::jsonb, k - 1,
           not (k = 3 and g % 10 = 5)
    from (select p.*, substr(p.seller_code, 2)::int as g from product p) p
    cross join lateral generate_series(1, 1 + p.g % 3) k
    cross join lateral (select 1990 + ((p.g * 37 + k * 11) % 500) * 100 as price) pr
    left join co on co.n = (p.g + k) % ${COLORS.length} and p.g % 5 <> 0
    left join sz on sz.n = (p.g + k) % ${SIZES.length} and p.g % 3 <> 0`);
  await sql(`
    update product p set min_price_cents = m.min
    from (select product_id, min(price_cents) as min from sku where active group by product_id) m
    where m.product_id = p.id`);
  // 0–3 distinct tags per product.
  await sql(`
    with t as (select id, (row_number() over (order by name) - 1)::int as n from tag)
    insert into product_tag (product_id, tag_id)
    select p.id, t.id
    from (select id, substr(seller_code, 2)::int as g from product) p
    cross join lateral generate_series(1, p.g % 4) j
    join t on t.n = (p.g + j * 7) % ${TAGS}`);
  // Planner statistics for the fresh rows, as autovacuum would gather them on a live store.
  await sql(`analyze seller, category, brand, tag, color, size, product, sku, product_tag`);
  const [counts] = await app.runtime.orm.em.getConnection().execute<{ products: number; skus: number }[]>(
    `select (select count(*)::int from product) as products, (select count(*)::int from sku) as skus`,
  );
  return { ms: performance.now() - started, products: counts!.products, skus: counts!.skus };
}

/** What an anonymous storefront sends for a category/listing page. */
const STOREFRONT_LISTING = `query StorefrontListing($first: Int!) {
  products(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id code name price { amount } inStock soldAndDeliveredBy
        seller { id name concatenationCode }
        category { id name }
        brand { name }
        skus(first: 10) {
          edges { node { code price { amount } listPrice { amount } inStock color { name } size { name } } }
        }
      }
    }
  }
}`;

interface ListingData {
  products: { totalCount: number; edges: { node: { skus: { edges: unknown[] } } }[] };
}

function listingScenario(name: string, first: number): Scenario {
  return {
    name,
    query: STOREFRONT_LISTING,
    variables: { first },
    check: (b) => {
      const p = (b.data as ListingData | undefined)?.products;
      return !!p && p.edges.length === first && p.edges.every((e) => e.node.skus.edges.length > 0);
    },
  };
}

export interface CatalogOptions {
  app: App;
  sql: SqlCounter;
  databaseUrl: string;
  schema: string;
  requests: number;
  warmup: number;
  concurrencies: number[];
}

export interface CatalogOutcome {
  results: Result[];
  /** The API and baseline rows of each concurrency, for the ratios. */
  pairs: { concurrency: number; api: Result; raw: Result }[];
  sqlByPageSize: { first: number; sqlPerRequest: number }[];
  import: ImportRow[];
  /** Why the importProducts rows did not run, when they did not. */
  importUnavailable: string | null;
  /** Reasons the run is not valid, beyond failed requests counted in `results`. */
  problems: string[];
}

/**
 * API and baseline alternate in slices (API, baseline, API, …) so that a background burst on
 * a shared machine lands on both rather than skewing the ratio.
 */
const SLICES = 5;

export async function runCatalogBench(o: CatalogOptions): Promise<CatalogOutcome> {
  const problems: string[] = [];
  const apiUrl = o.app.server.url;
  const baseline = await startBaseline({ databaseUrl: o.databaseUrl, schema: o.schema, poolMax: 10 });
  const results: Result[] = [];
  const pairs: CatalogOutcome['pairs'] = [];
  try {
    // The baseline is only a baseline if it answers what the API answers.
    for (const first of [24, 100]) {
      const [api, raw] = await Promise.all([post(apiUrl, listingScenario('api', first)), post(baseline.url, listingScenario('baseline', first))]);
      if (!api.ok || !raw.ok || !isDeepStrictEqual(api.body?.data, raw.body?.data)) {
        problems.push(
          `the raw baseline does not answer what the API answers for products(first: ${first}); first difference:\n` +
            firstDifference(api.body, raw.body, 'response'),
        );
        return { results, pairs, sqlByPageSize: [], import: [], importUnavailable: 'the listing part failed first', problems };
      }
    }

    const page = 24;
    const apiScenario = listingScenario(`storefront products(first: ${page})`, page);
    const rawScenario = listingScenario(`  raw baseline (node:http + pg)`, page);
    for (const concurrency of o.concurrencies) {
      await load(apiUrl, apiScenario, o.warmup, concurrency);
      await load(baseline.url, rawScenario, o.warmup, concurrency);
      const apiRuns: LoadRun[] = [];
      const rawRuns: LoadRun[] = [];
      let apiStatements = 0;
      const rawBefore = baseline.statements();
      for (let i = 0; i < SLICES; i++) {
        const n = Math.floor(o.requests / SLICES) + (i < o.requests % SLICES ? 1 : 0);
        const before = o.sql.read();
        apiRuns.push(await load(apiUrl, apiScenario, n, concurrency));
        apiStatements += o.sql.read() - before;
        rawRuns.push(await load(baseline.url, rawScenario, n, concurrency));
      }
      const pair = {
        concurrency,
        api: summarize(apiScenario.name, concurrency, apiRuns, apiStatements),
        raw: summarize(rawScenario.name, concurrency, rawRuns, baseline.statements() - rawBefore),
      };
      pairs.push(pair);
      results.push(pair.api, pair.raw);
    }
  } finally {
    await baseline.close();
  }

  // Statements per listing must not depend on the page size; more at 100 than at 10 is an N+1.
  const sqlByPageSize: CatalogOutcome['sqlByPageSize'] = [];
  for (const first of [10, 100]) {
    const s = listingScenario(`storefront products(first: ${first})`, first);
    await load(apiUrl, s, 5, 1);
    const before = o.sql.read();
    const n = 20;
    const run = await load(apiUrl, s, n, 1);
    if (run.failures) problems.push(`${run.failures} of the products(first: ${first}) requests failed`);
    sqlByPageSize.push({ first, sqlPerRequest: (o.sql.read() - before) / n });
  }
  if (sqlByPageSize[1]!.sqlPerRequest > sqlByPageSize[0]!.sqlPerRequest) {
    problems.push(`SQL statements per listing grow with the page size (${sqlByPageSize.map((x) => `${x.first}: ${x.sqlPerRequest}`).join(', ')}): an N+1`);
  }

  const importCheck = await importProblem(apiUrl);
  if (importCheck && 'mismatch' in importCheck) problems.push(importCheck.mismatch);
  const imported = importCheck ? [] : await importBench(o, problems);
  const importUnavailable = importCheck ? ('absent' in importCheck ? importCheck.absent : 'the bench is out of date') : null;
  return { results, pairs, sqlByPageSize, import: imported, importUnavailable, problems };
}

/** Where two JSON values first differ, for a readable failure. */
function firstDifference(a: unknown, b: unknown, path: string): string {
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const d = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (d) return d;
    }
    return '';
  }
  return isDeepStrictEqual(a, b) ? '' : `  ${path}\n    api:      ${JSON.stringify(a)?.slice(0, 300)}\n    baseline: ${JSON.stringify(b)?.slice(0, 300)}`;
}

/** The figures of the catalog part, after the foundation table. */
export function printCatalog(outcome: CatalogOutcome) {
  if (outcome.results.length) printResults(outcome.results);
  if (outcome.pairs.length) {
    console.log('\nAPI ÷ raw baseline (storefront listing, same run, alternating slices):');
    for (const { concurrency, api, raw } of outcome.pairs) {
      console.log(
        `  conc ${String(concurrency).padStart(2)}: req/s ${api.rps.toFixed(0)} ÷ ${raw.rps.toFixed(0)} = ${(api.rps / raw.rps).toFixed(3)}` +
          `   p50 ${api.p50.toFixed(2)} ms ÷ ${raw.p50.toFixed(2)} ms = ${(api.p50 / raw.p50).toFixed(1)}×`,
      );
    }
  }
  if (outcome.sqlByPageSize.length) {
    console.log('\nSQL statements per storefront listing request, by page size (must not grow):');
    printTable(
      ['page size', 'SQL/req'],
      outcome.sqlByPageSize.map((x) => [`products(first: ${x.first})`, x.sqlPerRequest.toFixed(2)]),
    );
  }
  console.log('');
  if (outcome.importUnavailable) {
    console.log(`importProducts: not available (${outcome.importUnavailable})`);
    return;
  }
  printTable(
    ['importProducts (CSV, one seller)', 'rows', 'created', 'ms', 'rows/s', 'SQL stmts'],
    outcome.import.map((x) => [x.label, String(x.rows), x.created == null ? '-' : String(x.created), x.ms.toFixed(0), x.rowsPerSecond.toFixed(0), String(x.statements)]),
  );
}

// --- importProducts ------------------------------------------------------------------------

/** The signature bench/catalog.ts was written against (src/modules/catalog/import.types.ts). */
const IMPORT_PRODUCTS = `mutation ImportProducts($input: ImportProductsInput!) {
  importProducts(input: $input) {
    created updated unchanged failed
    errors { line column code message }
    userErrors { code field message }
  }
}`;

const SCHEMA_PROBE = `query ImportProbe {
  mutation: __type(name: "Mutation") { fields { name args { name } type { name ofType { name } } } }
  input: __type(name: "ImportProductsInput") { inputFields { name } }
}`;

interface ProbeData {
  mutation: { fields: { name: string; args: { name: string }[]; type: { name: string | null; ofType: { name: string | null } | null } }[] } | null;
  input: { inputFields: { name: string }[] } | null;
}

/**
 * Null when the import rows can run. A schema without the mutation is "not available" (the row
 * is skipped); one whose mutation no longer matches IMPORT_PRODUCTS makes the bench fail, so a
 * stale benchmark is noticed instead of silently skipped.
 */
async function importProblem(url: string): Promise<{ absent: string } | { mismatch: string } | null> {
  const probe = await post(url, { name: 'schema probe', query: SCHEMA_PROBE, check: () => true });
  const data = probe.body?.data as ProbeData | undefined;
  const field = data?.mutation?.fields.find((f) => f.name === 'importProducts');
  if (!field) return { absent: 'the schema has no Mutation.importProducts' };
  const inputs = new Set(data?.input?.inputFields.map((f) => f.name) ?? []);
  const missing = ['sellerId', 'format', 'data'].filter((n) => !inputs.has(n));
  const payload = field.type.name ?? field.type.ofType?.name;
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
  updated: number | null;
  unchanged: number | null;
  failed: number | null;
  errors: unknown[] | null;
  userErrors: unknown[];
}

interface ImportRow {
  label: string;
  rows: number;
  ms: number;
  rowsPerSecond: number;
  /** Statements for the whole file: a count that grows per row more than a few is an N+1. */
  statements: number;
  created: number | null;
}

async function importBench(o: CatalogOptions, problems: string[]): Promise<ImportRow[]> {
  const url = o.app.server.url;
  // A fresh guest seller whose owner imports its own file: every product is a create.
  const em = o.app.runtime.orm.em.fork();
  const seller = em.create(Seller, { name: 'Loja Importadora', concatenationCode: 'CATIMP', status: SellerStatus.ACTIVE });
  const owner = em.create(User, { email: 'importer@bench.example', name: 'Importer', seller, role: UserRole.OWNER });
  const token = newToken('mks');
  em.create(Session, { user: owner, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3600_000) });
  await em.flush();
  const slugs = await em.getConnection().execute<{ slug: string }[]>(`select slug from category where parent_id is not null order by slug`);
  const csv = importCsv(CATALOG.importRows, { categorySlugs: slugs.map((r) => r.slug) });

  const out: ImportRow[] = [];
  // The same file twice: the first creates everything, the second finds it all unchanged.
  for (const label of ['first import (creates)', 're-import (unchanged)']) {
    let payload: ImportPayload | undefined;
    const scenario: Scenario = {
      name: `importProducts ${label}`,
      query: IMPORT_PRODUCTS,
      variables: { input: { sellerId: seller.id, format: 'CSV', data: csv } },
      token,
      check: (b) => {
        payload = (b.data as { importProducts?: ImportPayload } | undefined)?.importProducts;
        return !!payload && payload.userErrors.length === 0 && !payload.failed && !payload.errors?.length;
      },
    };
    const before = o.sql.read();
    const t0 = performance.now();
    // Bounded by its own deadline as well as the run's hard limit.
    const res = await post(url, scenario, AbortSignal.timeout(5 * 60_000)).catch((err: unknown) => {
      noteFailure(`${scenario.name}: ${String(err)}`);
      return { ok: false, body: null };
    });
    const ms = performance.now() - t0;
    if (!res.ok) {
      problems.push(`importProducts ${label} failed: ${JSON.stringify(res.body ?? payload ?? null).slice(0, 600)}`);
      return out;
    }
    out.push({ label, rows: CATALOG.importRows, ms, rowsPerSecond: CATALOG.importRows / (ms / 1000), statements: o.sql.read() - before, created: payload?.created ?? null });
  }
  return out;
}
