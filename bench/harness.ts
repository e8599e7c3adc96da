import { isDeepStrictEqual } from 'node:util';

/** Small pieces shared by the bench's parts: sizes from the environment, HTTP, percentiles, tables. */

export function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}".`);
  return n;
}

export function numberFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got "${raw}".`);
  return n;
}

export interface Answer {
  status: number;
  text: string;
}

/** One POST as the load generator sends it; the exact bytes of the answer. */
export async function post(url: string, body: string, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal });
  return { status: res.status, text: await res.text() };
}

export type GraphQLBody = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: { code?: string } }[] };

/** A GraphQL call that must succeed (seeding, preparation, probes): its data, or an exception. */
export async function gql<T>(url: string, query: string, variables?: Record<string, unknown>, token?: string): Promise<T> {
  const res = await post(url, JSON.stringify({ query, variables }), token ? { authorization: `Bearer ${token}` } : {});
  const body = JSON.parse(res.text) as GraphQLBody;
  if (res.status !== 200 || body.errors?.length || !body.data) throw new Error(`GraphQL call failed (HTTP ${res.status}): ${res.text.slice(0, 600)}`);
  return body.data as T;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Where two JSON texts first differ, for a readable failure. */
export function firstDifference(a: string, b: string): string {
  let x: unknown;
  let y: unknown;
  try {
    x = JSON.parse(a);
    y = JSON.parse(b);
  } catch {
    return `  not JSON:\n    api:   ${a.slice(0, 300)}\n    floor: ${b.slice(0, 300)}`;
  }
  const walk = (p: unknown, q: unknown, path: string): string => {
    if (p && q && typeof p === 'object' && typeof q === 'object') {
      const pk = Object.keys(p);
      const qk = Object.keys(q);
      if (pk.join() !== qk.join()) return `  ${path}: keys differ\n    api:   ${pk.join(', ')}\n    floor: ${qk.join(', ')}`;
      for (const key of pk) {
        const d = walk((p as Record<string, unknown>)[key], (q as Record<string, unknown>)[key], `${path}.${key}`);
        if (d) return d;
      }
      return '';
    }
    return isDeepStrictEqual(p, q) ? '' : `  ${path}\n    api:   ${JSON.stringify(p)?.slice(0, 300)}\n    floor: ${JSON.stringify(q)?.slice(0, 300)}`;
  };
  const d = walk(x, y, 'body');
  if (d) return d;
  const at = [...a].findIndex((ch, i) => ch !== b[i]);
  return `  same JSON, different bytes at ${at}:\n    api:   ${JSON.stringify(a.slice(Math.max(0, at - 40), at + 40))}\n    floor: ${JSON.stringify(b.slice(Math.max(0, at - 40), at + 40))}`;
}

export function printTable(header: string[], rows: string[][], alignLeft = 1) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < alignLeft ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/**
 * What the API signs order links and seals e-mails with (APP_SECRET, ORDER_LINK_URL,
 * ORDER_LINK_TTL_DAYS): the orchestrator makes a secret for the run and its children inherit
 * it, as a deployment's instances share theirs, so the checkout floor signs and seals the
 * same way and the checks open what either wrote.
 */
export const BENCH_LINKS = { url: 'https://loja.bench.example/pedido?token={token}', ttlDays: 90 };

export function benchAppSecret(): string {
  const secret = process.env.BENCH_APP_SECRET;
  if (!secret || secret.length < 32) throw new Error('BENCH_APP_SECRET is set by bench/run.ts for its children');
  return secret;
}
