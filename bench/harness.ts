import { performance } from 'node:perf_hooks';
import type { App } from '../src/app/app.js';

/** Measurement pieces shared by every benchmark file: bounded load loops, percentiles, the table. */

export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}".`);
  return n;
}

export type GraphQLBody = { data?: Record<string, unknown> | null; errors?: unknown[] };

export interface Scenario {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
  token?: string;
  /** Checks one response body, so a benchmark of errors is never mistaken for a fast API. */
  check(body: GraphQLBody): boolean;
}

export interface Result {
  scenario: string;
  concurrency: number;
  requests: number;
  failures: number;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  /** Null where the statements are not observable (none for the raw baseline: it counts its own). */
  sqlPerRequest: number | null;
}

/** The first failed response, shown when a run has failures. */
let firstFailure: string | undefined;
export const failureSample = () => firstFailure;
export function noteFailure(text: string) {
  firstFailure ??= text;
}

/** Counts every SQL statement the ORM sends, through knex's `query` event. */
export function sqlCounter(app: App) {
  let count = 0;
  const knex = app.runtime.orm.em.getKnex();
  const listener = () => {
    count += 1;
  };
  knex.on('query', listener);
  return { read: () => count, stop: () => knex.off('query', listener) };
}

export type SqlCounter = ReturnType<typeof sqlCounter>;

export async function post(url: string, s: Scenario, signal?: AbortSignal): Promise<{ ok: boolean; body: GraphQLBody | null }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(s.token ? { authorization: `Bearer ${s.token}` } : {}) },
    body: JSON.stringify({ query: s.query, ...(s.variables ? { variables: s.variables } : {}) }),
    signal,
  });
  const body = (await res.json()) as GraphQLBody;
  const ok = res.status === 200 && !body.errors && s.check(body);
  if (!ok) noteFailure(`${s.name}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 500)}`);
  return { ok, body };
}

export interface LoadRun {
  latencies: number[];
  failures: number;
  wallMs: number;
}

/** `requests` requests spread over `concurrency` workers; per-request latency in ms. */
export async function load(url: string, s: Scenario, requests: number, concurrency: number): Promise<LoadRun> {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const worker = async () => {
    while (next < requests) {
      next += 1;
      const t0 = performance.now();
      const ok = await post(url, s).then(
        (r) => r.ok,
        (err: unknown) => {
          noteFailure(`${s.name}: ${String(err)}`);
          return false;
        },
      );
      latencies.push(performance.now() - t0);
      if (!ok) failures += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, failures, wallMs: performance.now() - started };
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** One table row from one or more runs of the same scenario (their latencies pooled, their wall times added). */
export function summarize(scenario: string, concurrency: number, runs: LoadRun[], statements: number | null): Result {
  const sorted = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const wallMs = runs.reduce((a, r) => a + r.wallMs, 0);
  return {
    scenario,
    concurrency,
    requests: sorted.length,
    failures: runs.reduce((a, r) => a + r.failures, 0),
    rps: sorted.length / (wallMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted.at(-1)!,
    sqlPerRequest: statements === null ? null : statements / sorted.length,
  };
}

export function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

export function printResults(results: Result[]) {
  printTable(
    ['scenario', 'conc', 'requests', 'fail', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'SQL/req'],
    results.map((r) => [
      r.scenario,
      String(r.concurrency),
      String(r.requests),
      String(r.failures),
      r.rps.toFixed(0),
      r.p50.toFixed(2),
      r.p99.toFixed(2),
      r.max.toFixed(2),
      r.sqlPerRequest === null ? '-' : r.sqlPerRequest.toFixed(2),
    ]),
  );
}
