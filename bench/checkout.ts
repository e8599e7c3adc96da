import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { App } from '../src/app/app.js';
import { Session, User } from '../src/modules/auth/index.js';
import { UserRole } from '../src/shared/access/index.js';
import { hashToken, newToken } from '../src/shared/crypto/index.js';
import { Product, ProductStatus, Sku, displayedCode } from '../src/modules/catalog/index.js';
import { MarketplaceSettings, Seller, SellerStatus } from '../src/modules/sellers/index.js';
import { intFromEnv, noteFailure, percentile, post, printTable, summarize, type GraphQLBody, type LoadRun, type Result, type Scenario, type SqlCounter } from './harness.js';

/**
 * The checkout issue's benchmark, through the API like a storefront:
 * 1. oversell: BENCH_OVERSELL_CHECKOUTS ready carts, each with one unit of the same SKU of
 *    BENCH_OVERSELL_STOCK units, checked out all at once. Exactly the stock is sold, the rest
 *    are refused with OUT_OF_STOCK, and the SKU ends at 0.
 * 2. latency: a 3-seller cart (the admin seller and two guest sellers, one line each) checked
 *    out BENCH_CHECKOUTS times at each concurrency, every time from a freshly prepared cart.
 *
 *   BENCH_CHECKOUTS           measured checkouts per concurrency (default 200)
 *   BENCH_OVERSELL_CHECKOUTS  checkouts fired at once on the scarce SKU (default 500)
 *   BENCH_OVERSELL_STOCK      units of the scarce SKU (default 10)
 */

export const CHECKOUT = {
  checkouts: intFromEnv('BENCH_CHECKOUTS', 200),
  oversellCheckouts: intFromEnv('BENCH_OVERSELL_CHECKOUTS', 500),
  oversellStock: intFromEnv('BENCH_OVERSELL_STOCK', 10),
};
const CONCURRENCIES = [1, 8];
/** Warm-up checkouts per concurrency, each from its own cart too. */
export const CHECKOUT_WARMUP = Math.min(20, CHECKOUT.checkouts);
/** Loops preparing carts (not measured): enough to keep both CPUs busy. */
const PREPARE_CONCURRENCY = 8;

// Plenty for every latency checkout (warm-up included), so stock never runs out mid-row.
const PLENTY = 1_000_000;
// Prices keep the 3-seller cart under R$ 1.500,00 (the many-sellers fraud rule) and far under
// the high-value ones, so every checkout is APPROVED and no verdict moves stock back.
const PRODUCTS = {
  admin: { raw: 'CKOUT_MUG', name: 'Caneca de cerâmica', price: 9_990, weight: 500 },
  alfa: { raw: 'CKOUT_TEE', name: 'Camiseta básica', price: 15_990, weight: 300 },
  beta: { raw: 'CKOUT_EAR', name: 'Fone de ouvido', price: 25_000, weight: 250 },
  scarce: { raw: 'CKOUT_RARE', name: 'Edição limitada', price: 4_990, weight: 200 },
};
const FREIGHT = 2_999;

// The e-mail shares a word with the name, the CPF is valid and the card is billed where it is
// delivered: no fraud rule fires.
const BUYER = { name: 'Maria da Silva', email: 'maria.silva@bench.example', document: '529.982.247-25', phone: '(11) 98765-4321' };
const ADDRESS = { recipient: 'Maria da Silva', street: 'Av. Paulista', number: '1000', complement: null, district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };
const CARD = { method: 'CARD', installments: 1, card: { token: 'tok_approve', brand: 'Visa', bin: '411111', last4: '1111' } };

const CREATE_CART = `mutation BenchCreateCart { createCart { token userErrors { code field message } } }`;
const ADD_LINE = `mutation BenchAddCartLine($cartToken: String!, $skuCode: String!) {
  addCartLine(cartToken: $cartToken, skuCode: $skuCode, quantity: 1) { cart { id } userErrors { code field message } }
}`;
const SET_BUYER = `mutation BenchSetBuyer($cartToken: String!, $input: CartBuyerInput!) {
  setBuyer(cartToken: $cartToken, input: $input) { cart { id } userErrors { code field message } }
}`;
const SET_ADDRESS = `mutation BenchSetShippingAddress($cartToken: String!, $input: CartAddressInput!) {
  setShippingAddress(cartToken: $cartToken, input: $input) { cart { id } userErrors { code field message } }
}`;
const CREATE_SHIPPING_TABLE = `mutation BenchShippingTable($input: CreateShippingTableInput!) {
  createShippingTable(input: $input) { shippingTable { id } userErrors { code field message } }
}`;
/** What a storefront asks back after placing the orders: their codes and statuses and the payment's. */
const CHECKOUT_MUTATION = `mutation BenchCheckout($input: CheckoutInput!) {
  checkout(input: $input) {
    cartNumber
    fraudStatus
    orders { code status }
    payment { status }
    userErrors { code field message }
  }
}`;

interface Payload {
  userErrors: { code: string; field: string[] | null; message: string }[];
}
interface CheckoutPayload extends Payload {
  cartNumber: string | null;
  fraudStatus: string | null;
  orders: { code: string; status: string }[] | null;
  payment: { status: string } | null;
}

const payloadOf = <T extends Payload>(b: GraphQLBody | null, field: string) => (b?.data?.[field] ?? undefined) as T | undefined;
const noUserErrors = (field: string) => (b: GraphQLBody) => payloadOf(b, field)?.userErrors.length === 0;

export interface CheckoutSeed {
  /** Displayed SKU codes of the 3-seller cart's lines. */
  cartSkus: string[];
  scarceSku: string;
}

/**
 * Two guest sellers and four products written with the ORM (as the catalog factory does), the
 * marketplace switched on, and the one shipping table created through the API by an operator
 * owner, so it is validated like a real one.
 */
export async function seedCheckout(app: App): Promise<CheckoutSeed> {
  const em = app.runtime.orm.em.fork();
  await em.nativeUpdate(MarketplaceSettings, { id: 1 }, { usesMarketplace: true });
  const admin = await em.findOneOrFail(Seller, { isAdmin: true });
  // Codes distinct from the foundation's B0000… and the catalog's CAT….
  const alfa = em.create(Seller, { name: 'Checkout Alfa Modas', concatenationCode: 'CKALFA', status: SellerStatus.ACTIVE, shippingPolicy: 'Envio em 2 dias.', returnPolicy: '7 dias.' });
  const beta = em.create(Seller, { name: 'Checkout Beta Eletrônicos', concatenationCode: 'CKBETA', status: SellerStatus.ACTIVE, shippingPolicy: 'Envio em 1 dia.', returnPolicy: '7 dias.' });
  const sku = (seller: Seller, p: (typeof PRODUCTS)[keyof typeof PRODUCTS], stock: number): string => {
    const product = em.create(Product, {
      seller,
      sellerCode: p.raw,
      code: displayedCode(seller, p.raw),
      name: p.name,
      status: ProductStatus.PUBLISHED,
      minPriceCents: p.price,
    });
    const code = displayedCode(seller, `${p.raw}_1`);
    em.create(Sku, { product, seller, sellerCode: `${p.raw}_1`, code, priceCents: p.price, stock, weightGrams: p.weight, position: 0 });
    return code;
  };
  const cartSkus = [sku(admin, PRODUCTS.admin, PLENTY), sku(alfa, PRODUCTS.alfa, PLENTY), sku(beta, PRODUCTS.beta, PLENTY)];
  const scarceSku = sku(alfa, PRODUCTS.scarce, CHECKOUT.oversellStock);
  const operator = em.create(User, { email: 'operator@bench.example', name: 'Bench operator', seller: admin, role: UserRole.OWNER });
  const token = newToken('mks');
  em.create(Session, { user: operator, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3600_000) });
  await em.flush();

  const table = await post(app.server.url, {
    name: 'createShippingTable',
    query: CREATE_SHIPPING_TABLE,
    variables: {
      input: {
        name: 'PAC',
        carrier: 'Correios',
        method: 'PAC',
        rows: [{ postalCodeFrom: '00000000', postalCodeTo: '99999999', weightFromGrams: 0, weightToGrams: 1_000_000, priceCents: FREIGHT, days: 6 }],
      },
    },
    token,
    check: noUserErrors('createShippingTable'),
  });
  if (!table.ok) throw new Error(`checkout bench: could not create the shipping table: ${JSON.stringify(table.body).slice(0, 500)}`);
  return { cartSkus, scarceSku };
}

/** One ready cart (lines, buyer, address) through the storefront mutations; returns its token. */
async function prepareCart(url: string, skuCodes: string[]): Promise<string> {
  const step = async (name: string, query: string, variables?: Record<string, unknown>) => {
    const s: Scenario = { name: `prepare cart: ${name}`, query, variables, check: noUserErrors(name) };
    const res = await post(url, s);
    if (!res.ok) throw new Error(`checkout bench: ${name} failed while preparing carts: ${JSON.stringify(res.body).slice(0, 500)}`);
    return res.body!;
  };
  const created = await step('createCart', CREATE_CART);
  const cartToken = (created.data!.createCart as { token: string }).token;
  for (const skuCode of skuCodes) await step('addCartLine', ADD_LINE, { cartToken, skuCode });
  await step('setBuyer', SET_BUYER, { cartToken, input: BUYER });
  await step('setShippingAddress', SET_ADDRESS, { cartToken, input: ADDRESS });
  return cartToken;
}

async function prepareCarts(url: string, skuCodes: string[], count: number): Promise<string[]> {
  const tokens: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      next += 1;
      tokens.push(await prepareCart(url, skuCodes));
    }
  };
  await Promise.all(Array.from({ length: Math.min(PREPARE_CONCURRENCY, count) }, worker));
  return tokens;
}

interface CheckoutResponse {
  ms: number;
  payload?: CheckoutPayload;
  /** Top-level error codes, or the network error, when there is no payload. */
  errorCodes: string[];
}

async function checkoutOnce(url: string, cartToken: string): Promise<CheckoutResponse> {
  const s: Scenario = {
    name: 'checkout',
    query: CHECKOUT_MUTATION,
    variables: { input: { cartToken, idempotencyKey: randomUUID(), payment: { parts: [CARD] } } },
    check: () => true,
  };
  const t0 = performance.now();
  try {
    const { body } = await post(url, s);
    const ms = performance.now() - t0;
    const errors = (body?.errors ?? []) as { extensions?: { code?: string } }[];
    return { ms, payload: payloadOf<CheckoutPayload>(body, 'checkout'), errorCodes: errors.map((e) => e.extensions?.code ?? 'UNKNOWN') };
  } catch (err) {
    noteFailure(`checkout: ${String(err)}`);
    return { ms: performance.now() - t0, errorCodes: [`NETWORK (${String(err)})`] };
  }
}

/** A checkout that placed its orders: no errors, no userErrors, a cart number. */
const placed = (r: CheckoutResponse) => r.errorCodes.length === 0 && !!r.payload?.cartNumber && r.payload.userErrors.length === 0;

export interface OversellOutcome {
  checkouts: number;
  stock: number;
  sold: number;
  /** Refused checkouts by error code (userErrors' first code, or the top-level error's). */
  failed: Record<string, number>;
  oversold: number;
  finalStock: number;
  /** Units in order lines of the scarce SKU in orders that are not cancelled. */
  orderedUnits: number;
  /** Carts of the scarce SKU that are CHECKED_OUT: the refused ones must stay OPEN. */
  checkedOutCarts: number;
  wallMs: number;
  prepareMs: number;
  p50: number;
  p99: number;
}

export interface LatencyRow {
  result: Result;
  mean: number;
}

export interface CheckoutOutcome {
  oversell: OversellOutcome;
  latency: LatencyRow[];
  /** Reasons the run is not valid. */
  problems: string[];
}

export async function runCheckoutBench(app: App, sql: SqlCounter, seed: CheckoutSeed): Promise<CheckoutOutcome> {
  const problems: string[] = [];
  const oversell = await oversellRun(app, seed, problems);
  const latency: LatencyRow[] = [];
  for (const concurrency of CONCURRENCIES) latency.push(await latencyRow(app, sql, seed, concurrency, problems));
  return { oversell, latency, problems };
}

async function oversellRun(app: App, seed: CheckoutSeed, problems: string[]): Promise<OversellOutcome> {
  const url = app.server.url;
  const { oversellCheckouts: n, oversellStock: stock } = CHECKOUT;
  const t0 = performance.now();
  const carts = await prepareCarts(url, [seed.scarceSku], n);
  const prepareMs = performance.now() - t0;

  // Every request is sent before any answer is awaited. The server queues them on its
  // connection pool (10): that queueing is what the burst measures, and it must not time out.
  const started = performance.now();
  const responses = await Promise.all(carts.map((token) => checkoutOnce(url, token)));
  const wallMs = performance.now() - started;

  let sold = 0;
  const failed: Record<string, number> = {};
  for (const r of responses) {
    if (placed(r)) {
      sold += 1;
      continue;
    }
    const code = r.errorCodes[0] ?? r.payload?.userErrors[0]?.code ?? 'NO_PAYLOAD';
    failed[code] = (failed[code] ?? 0) + 1;
  }
  // What the database says, whatever the responses said: a refused checkout must leave its cart
  // open (the shopper can still edit it) and no order behind.
  const [row] = await app.runtime.orm.em.fork().getConnection().execute<{ stock: number; ordered: number; closed: number }[]>(
    `select s.stock,
            (select coalesce(sum(l.quantity), 0)::int from order_line l join "order" o on o.id = l.order_id
              where l.sku_id = s.id and o.status <> 'CANCELLED') as ordered,
            (select count(distinct c.id)::int from cart c join cart_line cl on cl.cart_id = c.id
              where cl.sku_id = s.id and c.status = 'CHECKED_OUT') as closed
       from sku s where s.code = ?`,
    [seed.scarceSku],
  );
  const sorted = responses.map((r) => r.ms).sort((a, b) => a - b);
  const outcome: OversellOutcome = {
    checkouts: n,
    stock,
    sold,
    failed,
    oversold: Math.max(0, sold - stock),
    finalStock: row!.stock,
    orderedUnits: row!.ordered,
    checkedOutCarts: row!.closed,
    wallMs,
    prepareMs,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };

  const expectedSold = Math.min(stock, n);
  if (outcome.oversold > 0) problems.push(`oversell: ${outcome.oversold} unit(s) sold beyond the stock of ${stock}`);
  if (outcome.finalStock < 0) problems.push(`oversell: the SKU's stock ended negative (${outcome.finalStock})`);
  if (sold !== expectedSold) problems.push(`oversell: ${sold} checkout(s) succeeded; expected exactly ${expectedSold}`);
  if (outcome.orderedUnits !== sold) problems.push(`oversell: ${outcome.orderedUnits} unit(s) in live orders but ${sold} checkout(s) answered success`);
  if (outcome.checkedOutCarts !== sold) problems.push(`oversell: ${outcome.checkedOutCarts} cart(s) closed but ${sold} checkout(s) answered success`);
  if (outcome.finalStock !== stock - expectedSold) problems.push(`oversell: the SKU's stock ended at ${outcome.finalStock}; expected ${stock - expectedSold}`);
  // Failing cleanly: the only acceptable refusal of a ready cart is the stock running out.
  const unclean = Object.entries(failed).filter(([code]) => code !== 'OUT_OF_STOCK');
  if (unclean.length) {
    problems.push(`oversell: checkouts failed with codes other than OUT_OF_STOCK: ${unclean.map(([c, k]) => `${c} × ${k}`).join(', ')}`);
    const sample = responses.find((r) => !placed(r) && (r.errorCodes[0] ?? r.payload?.userErrors[0]?.code) !== 'OUT_OF_STOCK');
    if (sample) noteFailure(`checkout (oversell): ${JSON.stringify(sample).slice(0, 500)}`);
  }
  return outcome;
}

async function latencyRow(app: App, sql: SqlCounter, seed: CheckoutSeed, concurrency: number, problems: string[]): Promise<LatencyRow> {
  const url = app.server.url;
  const name = 'checkout, 3-seller cart (card)';
  // Fresh carts for the warm-up and the measured checkouts, all prepared before timing starts.
  const warmCarts = await prepareCarts(url, seed.cartSkus, CHECKOUT_WARMUP);
  const carts = await prepareCarts(url, seed.cartSkus, CHECKOUT.checkouts);

  const run = async (tokens: string[]): Promise<LoadRun & { sample?: CheckoutResponse }> => {
    const latencies: number[] = [];
    let failures = 0;
    let sample: CheckoutResponse | undefined;
    let next = 0;
    const worker = async () => {
      while (next < tokens.length) {
        const token = tokens[next++]!;
        const r = await checkoutOnce(url, token);
        latencies.push(r.ms);
        // Three sellers, three orders, one approved verdict: anything else is not the path measured.
        const ok = placed(r) && r.payload!.orders?.length === 3 && r.payload!.fraudStatus === 'APPROVED';
        if (!ok) {
          failures += 1;
          sample ??= r;
        }
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { latencies, failures, wallMs: performance.now() - started, sample };
  };

  await run(warmCarts);
  const before = sql.read();
  const measured = await run(carts);
  const result = summarize(name, concurrency, [measured], sql.read() - before);
  if (measured.sample) {
    noteFailure(`${name}: ${JSON.stringify(measured.sample).slice(0, 500)}`);
    problems.push(`${measured.failures} of the measured checkouts at conc ${concurrency} did not place 3 APPROVED orders`);
  }
  const mean = measured.latencies.reduce((a, b) => a + b, 0) / measured.latencies.length;
  return { result, mean };
}

/** The figures of the checkout part. */
export function printCheckout(o: CheckoutOutcome) {
  const s = o.oversell;
  const failed = Object.entries(s.failed)
    .map(([code, k]) => `${code} ${k}`)
    .join(', ');
  console.log(
    `oversell: ${s.checkouts} checkouts at once of 1 unit each on a SKU with stock ${s.stock} ` +
      `(${s.checkouts} carts prepared in ${(s.prepareMs / 1000).toFixed(1)} s, not measured)`,
  );
  printTable(
    ['sold', 'failed', 'oversold', 'final stock', 'units in live orders', 'carts closed', 'burst wall ms', 'p50 ms', 'p99 ms'],
    [
      [
        String(s.sold),
        `${Object.values(s.failed).reduce((a, b) => a + b, 0)} (${failed || 'none'})`,
        String(s.oversold),
        String(s.finalStock),
        String(s.orderedUnits),
        String(s.checkedOutCarts),
        s.wallMs.toFixed(0),
        s.p50.toFixed(1),
        s.p99.toFixed(1),
      ],
    ],
  );
  console.log('');
  printTable(
    ['scenario', 'conc', 'checkouts', 'fail', 'checkouts/s', 'p50 ms', 'p99 ms', 'mean ms', 'max ms', 'SQL/checkout'],
    o.latency.map(({ result: r, mean }) => [
      r.scenario,
      String(r.concurrency),
      String(r.requests),
      String(r.failures),
      r.rps.toFixed(1),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      mean.toFixed(2),
      r.max.toFixed(2),
      r.sqlPerRequest === null ? '-' : r.sqlPerRequest.toFixed(1),
    ]),
  );
}
