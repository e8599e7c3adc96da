import { peakRssMb, resetPeakRss, startChild, type ChildHandle } from './ipc.js';
import { firstDifference, percentile, post, printTable } from './harness.js';
import type { FixedRequest, Generated, SliceResult, SliceSpec } from './loadgen.js';

/**
 * Measuring one scenario: the API and its floor in interleaved slices of the same run, at
 * each concurrency, after checking that both answer the same bytes.
 */

export type Target = 'api' | 'floor';

export interface Endpoints {
  api: string;
  floor: string;
}

export interface WriteScenario {
  /** Every response must contain this (and no top-level error). */
  mustContain: string;
  /** Fresh, prepared-before-timing material for one target (its own carts). */
  pool(target: Target): Promise<Generated>;
  /** How many requests the pool still allows (checkout: one cart each); Infinity when unbounded. */
  remaining?(g: Generated): number;
  /** Checks, before timing, that both targets answer the same bytes for the same write. */
  verify(urls: Endpoints): Promise<void>;
}

export interface Scenario {
  key: string;
  name: string;
  /** bench/floors/<floor>.ts */
  floor: string;
  /** Reads: timed in this order by every connection; each verified identical before timing. */
  reads?: FixedRequest[];
  /** Reads that are only verified (other page sizes, a second page, hidden products…). */
  verifyOnly?: FixedRequest[];
  write?: WriteScenario;
  /** Warm-up requests per target and concurrency (default max(8, 2 × conc)); they also size the slices. */
  warmup?(concurrency: number): number;
  /** Between slices: change a stock both must show in their next response; throws when either does not. */
  betweenSlices?(slice: number, urls: Endpoints, reads: FixedRequest[]): Promise<{ skuCode: string; quantity: number }>;
}

export interface StockProof {
  scenario: string;
  concurrency: number;
  slice: number;
  skuCode: string;
  quantity: number;
}

export interface Row {
  scenario: string;
  concurrency: number;
  target: Target;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  sqlPerRequest: number;
  peakRssMb: number | null;
  failures: number;
  firstFailure: string | null;
}

export interface MeasureOptions {
  api: ChildHandle<{ url: string }>;
  loadgen: ChildHandle<Record<string, never>>;
  databaseUrl: string;
  schema: string;
  concurrencies: number[];
  slices: number;
  sliceSeconds: number;
  /** Reasons the run is invalid, collected for the end. */
  problems: string[];
  /** Stock changes made between slices, each seen in the next response of both targets. */
  proofs: StockProof[];
}

/** Fetches each request from both targets; fails on the first difference; records the expected bytes. */
export async function verifyReads(urls: Endpoints, requests: FixedRequest[], label: string, timed: boolean): Promise<void> {
  for (const r of requests) {
    const [a, f] = await Promise.all([post(urls.api, r.body, r.headers), post(urls.floor, r.body, r.headers)]);
    // What is timed must be a success; verify-only requests may be refusals (a bad token), answered alike.
    if (timed && (a.status !== 200 || a.text.startsWith('{"errors"'))) throw new Error(`${label}: the API refused a verification request (HTTP ${a.status}): ${a.text.slice(0, 500)}`);
    if (a.status !== f.status || a.text !== f.text) {
      throw new Error(`${label}: the floor does not answer the API's bytes (HTTP ${a.status} vs ${f.status}) for ${r.body.slice(0, 200)}…\n${firstDifference(a.text, f.text)}`);
    }
    r.expect = a.text;
  }
}

/** A/B/B/A…: the order of slices cancels a linear drift of the machine's background load. */
const sliceTarget = (i: number): Target => (['api', 'floor', 'floor', 'api'] as const)[i % 4]!;

export async function measureScenario(s: Scenario, o: MeasureOptions): Promise<Row[]> {
  const floor = await startChild<{ url: string }>(`floor ${s.floor}`, 'floor.ts', [s.floor, o.databaseUrl, o.schema]);
  const children = { api: o.api, floor };
  const urls: Endpoints = { api: o.api.ready.url, floor: floor.ready.url };
  const rows: Row[] = [];
  try {
    if (s.reads) await verifyReads(urls, s.reads, s.name, true);
    if (s.verifyOnly) await verifyReads(urls, s.verifyOnly, s.name, false);
    if (s.write) await s.write.verify(urls);
    const pools = s.write ? { api: await s.write.pool('api'), floor: await s.write.pool('floor') } : null;

    /** Requests a write pool still allows per remaining slice (checkout carts are finite). */
    // Slices left for one target at concurrency index ci: this concurrency's, then a warm-up and
    // its share of the slices for each later concurrency.
    const budget = (t: Target, ci: number, slicesLeft: number): number => {
      if (!pools || !s.write?.remaining) return Number.MAX_SAFE_INTEGER;
      const later = (o.concurrencies.length - ci - 1) * (Math.ceil(o.slices / 2) + 1);
      return Math.floor(s.write.remaining(pools[t]) / (slicesLeft + later));
    };

    const run = async (target: Target, connections: number, amount: number): Promise<SliceResult> => {
      const spec: SliceSpec = { url: urls[target], connections, amount, requests: s.reads, generated: pools?.[target], mustContain: s.write?.mustContain };
      const result = await o.loadgen.call<SliceResult>('run', spec);
      if (pools) pools[target] = { ...pools[target], start: result.next } as Generated;
      return result;
    };

    for (const [ci, concurrency] of o.concurrencies.entries()) {
      for (const t of ['api', 'floor'] as const) resetPeakRss(children[t].pid);
      // Warm-up (JIT, plans, pools), which also tells how many requests make a slice of ~sliceSeconds.
      const perSecond = { api: 0, floor: 0 };
      for (const t of ['api', 'floor'] as const) {
        const warm = Math.max(concurrency, s.warmup?.(concurrency) ?? Math.max(8, 2 * concurrency));
        const w = await run(t, concurrency, Math.min(warm, budget(t, ci, Math.ceil(o.slices / 2) + 1)));
        perSecond[t] = w.requests / (w.wallMs / 1000);
      }
      const acc = {
        api: { results: [] as SliceResult[], statements: 0 },
        floor: { results: [] as SliceResult[], statements: 0 },
      };
      for (let i = 0; i < o.slices; i++) {
        if (i > 0 && s.betweenSlices) {
          const change = await s.betweenSlices(i, urls, s.reads ?? []);
          o.proofs.push({ scenario: s.name, concurrency, slice: i + 1, ...change });
        }
        const t = sliceTarget(i);
        const slicesLeft = Array.from({ length: o.slices - i }, (_, k) => sliceTarget(i + k)).filter((x) => x === t).length;
        // At least two requests per connection, so a slow target's slice is not one burst of first requests.
        const amount = Math.max(concurrency, Math.min(Math.max(2 * concurrency, Math.round(perSecond[t] * o.sliceSeconds)), budget(t, ci, slicesLeft)));
        const before = await children[t].call<{ statements: number }>('stats');
        acc[t].results.push(await run(t, concurrency, amount));
        acc[t].statements += (await children[t].call<{ statements: number }>('stats')).statements - before.statements;
      }
      for (const t of ['api', 'floor'] as const) {
        const results = acc[t].results;
        const requests = results.reduce((a, r) => a + r.requests, 0);
        const wallMs = results.reduce((a, r) => a + r.wallMs, 0);
        const sorted = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
        const failures = results.reduce((a, r) => a + r.non2xx + r.errors + r.timeouts + r.mismatches, 0);
        rows.push({
          scenario: s.name,
          concurrency,
          target: t,
          requests,
          rps: requests / (wallMs / 1000),
          p50: percentile(sorted, 50),
          p99: percentile(sorted, 99),
          sqlPerRequest: acc[t].statements / requests,
          peakRssMb: peakRssMb(children[t].pid),
          failures,
          firstFailure: results.find((r) => r.firstMismatch)?.firstMismatch ?? (failures ? `${failures} non-2xx/errors/timeouts` : null),
        });
        if (failures) o.problems.push(`${s.name} (${t}, conc ${concurrency}): ${failures} failed or mismatched responses; first: ${rows.at(-1)!.firstFailure}`);
      }
    }
  } finally {
    await floor.stop();
  }
  return rows;
}

export function printProofs(proofs: StockProof[]): void {
  if (!proofs.length) return;
  console.log('\nStock changed through the API (setStock) between slices; the next response of API and floor showed each figure, same bytes:');
  const scenarios = [...new Set(proofs.map((p) => p.scenario))];
  for (const name of scenarios) {
    const mine = proofs.filter((p) => p.scenario === name);
    const byConc = [...new Set(mine.map((p) => p.concurrency))].map((c) => `conc ${c}: ${mine.filter((p) => p.concurrency === c).map((p) => p.quantity).join(', ')}`);
    console.log(`  ${name}: ${mine[0]!.skuCode} set to ${byConc.join('; ')}`);
  }
}

export function printRows(rows: Row[]): void {
  const out: string[][] = [];
  for (const r of rows) {
    const api = r.target === 'floor' ? rows.find((x) => x.scenario === r.scenario && x.concurrency === r.concurrency && x.target === 'api') : undefined;
    out.push([
      r.target === 'api' ? r.scenario : '',
      r.target === 'api' ? String(r.concurrency) : '',
      r.target === 'api' ? 'API' : 'floor',
      String(r.requests),
      r.rps.toFixed(r.rps < 100 ? 1 : 0),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      r.sqlPerRequest.toFixed(2),
      r.peakRssMb == null ? '-' : r.peakRssMb.toFixed(0),
      api ? (api.rps / r.rps).toFixed(3) : '',
      r.failures ? String(r.failures) : '0',
    ]);
  }
  printTable(['scenario', 'conc', 'target', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'SQL/req', 'peak RSS MB', 'ratio', 'fail'], out, 3);
}
