import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';

/**
 * The raw baseline for the storefront listing: node:http + `pg` + hand-written SQL, no
 * GraphQL, ORM, shield or DataLoaders. It answers the bench's listing request with the same
 * JSON the API gives for `products(first: N)` (same visibility rules, order, fields and page:
 * the bench checks the two are identical before timing), so the API ÷ baseline ratio is the
 * price of the framework stack for this page on this machine.
 *
 * Two statements per request, sent together: the page (products joined to their seller,
 * category and brand, each product's first 10 active SKUs aggregated in a lateral subquery)
 * and the total count, which the API computes on every listing as well.
 */

/** Storefront visibility, as catalog's on-sale.ts (onSaleWhere, saleProblem): published, seller selling, marketplace on (or the admin seller). */
const COUNT_SQL = `
  select count(*)::int as n
  from product p
  join seller s on s.id = p.seller_id
  join marketplace_settings st on st.id = 1
  where p.status = 'PUBLISHED' and s.status = 'ACTIVE' and (st.uses_marketplace or s.is_admin)`;

/** The page, in the API's default order (newest first, id breaking ties). */
const PAGE_SQL = `
  select p.id, p.code, p.name, p.min_price_cents, p.created_at,
         s.id as seller_id, s.name as seller_name, s.concatenation_code,
         c.id as category_id, c.name as category_name, b.name as brand_name,
         exists (select 1 from sku k where k.product_id = p.id and k.active and k.stock > 0) as in_stock,
         (select coalesce(json_agg(json_build_object(
                   'code', k.code, 'price', k.price_cents, 'listPrice', k.list_price_cents,
                   'inStock', k.stock > 0, 'color', co.name, 'size', sz.name) order by k.position, k.id), '[]'::json)
            from (select * from sku k where k.product_id = p.id and k.active order by k.position, k.id limit 10) k
            left join color co on co.id = k.color_id
            left join size sz on sz.id = k.size_id) as skus
  from product p
  join seller s on s.id = p.seller_id
  join marketplace_settings st on st.id = 1
  left join category c on c.id = p.category_id
  left join brand b on b.id = p.brand_id
  where p.status = 'PUBLISHED' and s.status = 'ACTIVE' and (st.uses_marketplace or s.is_admin)
  order by p.created_at desc, p.id asc
  limit $1`;

interface PageRow {
  id: string;
  code: string;
  name: string;
  min_price_cents: number | null;
  created_at: Date;
  seller_id: string;
  seller_name: string;
  concatenation_code: string | null;
  category_id: string | null;
  category_name: string | null;
  brand_name: string | null;
  in_stock: boolean;
  skus: { code: string; price: number; listPrice: number | null; inStock: boolean; color: string | null; size: string | null }[];
}

export interface BaselineServer {
  url: string;
  /** SQL statements sent so far (for the SQL/req column). */
  statements(): number;
  close(): Promise<void>;
}

export async function startBaseline(opts: { databaseUrl: string; schema: string; poolMax: number }): Promise<BaselineServer> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolMax, options: `-c search_path="${opts.schema}"` });
  let statements = 0;

  async function listing(first: number) {
    statements += 2;
    // One more row than the page tells whether there is a next page, as MikroORM's cursor does.
    const [page, count] = await Promise.all([pool.query<PageRow>(PAGE_SQL, [first + 1]), pool.query<{ n: number }>(COUNT_SQL)]);
    const rows = page.rows.slice(0, first);
    const edges = rows.map((r) => ({
      node: {
        id: r.id,
        code: r.code,
        name: r.name,
        price: r.min_price_cents == null ? null : { amount: r.min_price_cents },
        inStock: r.in_stock,
        soldAndDeliveredBy: `Sold and delivered by ${r.seller_name}`.trim(),
        seller: { id: r.seller_id, name: r.seller_name, concatenationCode: r.concatenation_code },
        category: r.category_id ? { id: r.category_id, name: r.category_name } : null,
        brand: r.brand_name == null ? null : { name: r.brand_name },
        skus: {
          edges: r.skus.map((k) => ({
            node: {
              code: k.code,
              price: { amount: k.price },
              listPrice: k.listPrice == null ? null : { amount: k.listPrice },
              inStock: k.inStock,
              color: k.color == null ? null : { name: k.color },
              size: k.size == null ? null : { name: k.size },
            },
          })),
        },
      },
    }));
    const last = rows.at(-1);
    return {
      totalCount: count.rows[0]!.n,
      // The API's keyset cursor: MikroORM's Cursor.encode of the order-by values.
      pageInfo: {
        hasNextPage: page.rows.length > first,
        endCursor: last ? Buffer.from(JSON.stringify([last.created_at, last.id])).toString('base64url') : null,
      },
      edges,
    };
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables?: { first?: number } };
      const first = body.variables?.first ?? 20;
      listing(first).then(
        (products) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ data: { products } }));
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: String(err) }] }));
        },
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/products`,
    statements: () => statements,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await pool.end();
    },
  };
}
