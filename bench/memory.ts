import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildHandle } from './ipc.js';
import type { FixedRequest, SliceResult } from './loadgen.js';
import { intFromEnv, printTable } from './harness.js';

/**
 * Issue 14 item 5: the API's resident memory over BENCH_MEMORY_REQUESTS (default 20,000) mixed
 * requests — every read scenario's requests interleaved (listing anonymous and signed in,
 * product pages, sellers { products }, order search, dashboard) — sent by the load generator
 * in 20 batches at 8 connections. The first fifth is the warm-up (JIT, pools, plan caches).
 *
 * After each batch three figures are read, in this order:
 * - RSS (VmRSS, not the peak) as the batch left it;
 * - then, after a full collection (global.gc, the API runs with --expose-gc), the live heap
 *   (heapUsed) and RSS again.
 * Without the collection, RSS at one instant is mostly where V8's collector happened to be:
 * the old generation grows to a limit V8 sizes from its own history before a major GC, and
 * freed pages go back to the OS lazily, so two samples of a server retaining nothing apart
 * differ by tens of MB (a run without the collections swung 367–413 MB between batches). The
 * collection after every batch puts each sample in the same state (1,000 requests after a
 * full GC), so the series compares like with like; it is a bench-only call, at 20 points.
 *
 * Even so, RSS as a batch leaves it moves by up to ~100 MB from one batch to the next (what
 * the last requests of the batch still held, malloc's arenas; 298–401 MB over one run whose
 * live heap stayed within 67.3–68.0 MB), so the first and last samples alone would pass or
 * fail at random: RSS is judged by its trend, the least-squares slope over the samples from
 * the end of the warm-up on, times the requests they span. The run fails when, from the end of
 * the warm-up on,
 * - the live heap grew more than BENCH_MEMORY_HEAP_GROWTH_MB (default 10: ~650 bytes kept per
 *   request) — a leak, whatever RSS does;
 * - or the trend of RSS after the collection (what is held outside V8's heap: native buffers,
 *   sockets, malloc) is more than BENCH_MEMORY_GROWTH_MB (default 40).
 * RSS as the batches left it, its trend and the growth from the warm-up's sample to the last
 * are printed but not judged: over a run whose live heap moved by 0.3 MB, those samples swung
 * 341–483 MB and their fitted trend came out at +108 MB while the last sample equalled the
 * warm-up's — garbage not yet collected, how much depending on where each sample fell in V8's
 * cycle, not memory kept.
 *
 * BENCH_HEAP_SNAPSHOT_DIR=<dir> also writes a heap snapshot at the end of the warm-up and at
 * the end, to compare with bench/heap-diff.ts. Writing one costs the process a few hundred MB
 * of native memory it keeps, so RSS is not judged in that mode.
 */

export interface HeapFigures {
  /** Whether a full collection ran first (the API runs with --expose-gc, ipc.ts). */
  collected: boolean;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
}

export interface MemorySample {
  after: number;
  /** RSS as the batch left it. */
  rssMb: number;
  /** After a full collection. */
  heapUsedMb: number;
  heapTotalMb: number;
  rssAfterGcMb: number;
}

export interface MemoryOutcome {
  requests: number;
  samples: MemorySample[];
  warmIndex: number;
  growthMb: number;
  maxAfterWarmMb: number;
  /** Least-squares trend from the end of the warm-up to the end (slope × requests spanned). */
  rssTrendMb: number;
  rssAfterGcTrendMb: number;
  rssAfterGcGrowthMb: number;
  heapGrowthMb: number;
  collected: boolean;
  snapshots: string[];
  failed: number;
}

const TOTAL = intFromEnv('BENCH_MEMORY_REQUESTS', 20_000);
const LIMIT_MB = intFromEnv('BENCH_MEMORY_GROWTH_MB', 40);
const HEAP_LIMIT_MB = intFromEnv('BENCH_MEMORY_HEAP_GROWTH_MB', 10);
const SNAPSHOT_DIR = process.env.BENCH_HEAP_SNAPSHOT_DIR;
const BATCHES = 20;
const MB = 1024 * 1024;

/** The least-squares slope of `y` over `x`, times the span of `x`: the growth the samples' trend shows. */
function trend(points: { x: number; y: number }[]): number {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  return sxx ? (sxy / sxx) * (points.at(-1)!.x - points[0]!.x) : 0;
}

function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return kb ? Number(kb) / 1024 : NaN;
}

/** Round-robin over the scenarios' request lists, so every batch holds every kind. */
function interleave(lists: FixedRequest[][]): FixedRequest[] {
  const out: FixedRequest[] = [];
  const longest = Math.max(...lists.map((l) => l.length));
  for (let i = 0; i < longest; i++) for (const l of lists) if (l.length) out.push(l[i % l.length]!);
  return out;
}

export async function memoryRun(api: ChildHandle<{ url: string }>, loadgen: ChildHandle<Record<string, never>>, lists: FixedRequest[][], problems: string[]): Promise<MemoryOutcome> {
  // The stock changes of the measured run moved some answers on; here only "an answer with data" is checked.
  const requests = interleave(lists).map((r) => ({ body: r.body, headers: r.headers }));
  const batch = Math.ceil(TOTAL / BATCHES);
  const warmIndex = Math.max(0, Math.floor(BATCHES / 5) - 1);
  const samples: MemorySample[] = [];
  const snapshots: string[] = [];
  let collected = true;
  let failed = 0;
  for (let done = 0; done < TOTAL; ) {
    const amount = Math.min(batch, TOTAL - done);
    const r = await loadgen.call<SliceResult>('run', { url: api.ready.url, connections: 8, amount, requests, mustContain: '{"data":{"' });
    failed += r.non2xx + r.errors + r.timeouts + r.mismatches;
    done += amount;
    const rss = rssMb(api.pid);
    const heap = await api.call<HeapFigures>('memory');
    collected &&= heap.collected;
    samples.push({ after: done, rssMb: rss, heapUsedMb: heap.heapUsed / MB, heapTotalMb: heap.heapTotal / MB, rssAfterGcMb: heap.rss / MB });
    if (SNAPSHOT_DIR && (samples.length - 1 === warmIndex || done >= TOTAL)) {
      snapshots.push(await api.call<string>('heapSnapshot', path.join(SNAPSHOT_DIR, `api-${done >= TOTAL ? 'end' : 'warm'}-${process.pid}-${done}.heapsnapshot`)));
    }
  }
  const warm = samples[warmIndex]!;
  const last = samples.at(-1)!;
  const judged = samples.slice(warmIndex);
  const out: MemoryOutcome = {
    requests: TOTAL,
    samples,
    warmIndex,
    growthMb: last.rssMb - warm.rssMb,
    maxAfterWarmMb: Math.max(...judged.map((s) => s.rssMb)),
    rssTrendMb: trend(judged.map((s) => ({ x: s.after, y: s.rssMb }))),
    rssAfterGcTrendMb: trend(judged.map((s) => ({ x: s.after, y: s.rssAfterGcMb }))),
    rssAfterGcGrowthMb: last.rssAfterGcMb - warm.rssAfterGcMb,
    heapGrowthMb: last.heapUsedMb - warm.heapUsedMb,
    collected,
    snapshots,
    failed,
  };
  if (failed) problems.push(`memory run: ${failed} failed or unexpected answers`);
  if (!collected) problems.push('memory run: the API has no global.gc (--expose-gc, bench/ipc.ts), so its live heap was not measured');
  else if (out.heapGrowthMb > HEAP_LIMIT_MB) problems.push(`memory run: the live heap (after a full collection) grew ${out.heapGrowthMb.toFixed(1)} MB after the warm-up (limit ${HEAP_LIMIT_MB} MB): requests leave something reachable`);
  if (!SNAPSHOT_DIR) {
    if (out.rssAfterGcTrendMb > LIMIT_MB) problems.push(`memory run: RSS after a full collection grew by a trend of ${out.rssAfterGcTrendMb.toFixed(0)} MB after the warm-up (limit ${LIMIT_MB} MB): memory held outside V8's heap`);
  }
  return out;
}

const signed = (n: number, digits = 0) => {
  const v = Number(n.toFixed(digits)) || 0; // no "-0"
  return `${v >= 0 ? '+' : ''}${v.toFixed(digits)}`;
};

export function printMemory(m: MemoryOutcome): void {
  console.log(
    `\nAPI memory over ${m.requests} mixed read requests (8 connections; after each batch of ${m.samples[0]!.after}: RSS as the batch left it, then after a full collection):\n`,
  );
  printTable(
    ['after requests', 'RSS MB', 'after gc: RSS MB', 'heapUsed MB', 'heapTotal MB'],
    m.samples.map((s, i) => [`${s.after}${i === m.warmIndex ? ' (warm)' : ''}`, s.rssMb.toFixed(0), s.rssAfterGcMb.toFixed(0), s.heapUsedMb.toFixed(1), s.heapTotalMb.toFixed(1)]),
  );
  const warm = m.samples[m.warmIndex]!;
  const last = m.samples.at(-1)!;
  const perRequest = (m.heapGrowthMb * MB) / (m.requests - warm.after);
  console.log(
    `\nfrom the warm-up (${warm.after} requests) to the end: RSS ${warm.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB (${signed(m.growthMb)} MB, highest ${m.maxAfterWarmMb.toFixed(0)}; ` +
      `trend ${signed(m.rssTrendMb)} MB); after gc: RSS ${warm.rssAfterGcMb.toFixed(0)} → ${last.rssAfterGcMb.toFixed(0)} MB (trend ${signed(m.rssAfterGcTrendMb)} MB), ` +
      `live heap ${warm.heapUsedMb.toFixed(1)} → ${last.heapUsedMb.toFixed(1)} MB (${signed(m.heapGrowthMb, 1)} MB, ${perRequest.toFixed(0)} bytes per request); failed ${m.failed}`,
  );
  if (m.snapshots.length) console.log(`heap snapshots (RSS not judged: writing them costs native memory): ${m.snapshots.join(' ')}`);
}
