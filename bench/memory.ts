import { readFileSync } from 'node:fs';
import type { ChildHandle } from './ipc.js';
import type { FixedRequest, SliceResult } from './loadgen.js';
import { intFromEnv, printTable } from './harness.js';

/**
 * Issue 14 item 5: the API's resident memory over BENCH_MEMORY_REQUESTS (default 20,000) mixed
 * requests — every read scenario's requests interleaved (listing anonymous and signed in,
 * product pages, sellers { products }, order search) — sent by the load generator in batches
 * at 8 connections. After each batch the API's current RSS (VmRSS, not the peak) is read.
 * The first fifth is the warm-up (JIT, pools, plan caches); after it, RSS should stay flat:
 * the run reports the growth from the end of the warm-up to the last batch and fails the bench
 * when it is over BENCH_MEMORY_GROWTH_MB (default 40 MB), which a leak of a few kB per
 * request would pass.
 */

export interface MemoryOutcome {
  requests: number;
  samples: { after: number; rssMb: number }[];
  warmRssMb: number;
  lastRssMb: number;
  maxAfterWarmMb: number;
  growthMb: number;
  failed: number;
}

const TOTAL = intFromEnv('BENCH_MEMORY_REQUESTS', 20_000);
const LIMIT_MB = intFromEnv('BENCH_MEMORY_GROWTH_MB', 40);
const BATCHES = 20;

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
  const samples: { after: number; rssMb: number }[] = [];
  let failed = 0;
  for (let done = 0; done < TOTAL; ) {
    const amount = Math.min(batch, TOTAL - done);
    const r = await loadgen.call<SliceResult>('run', { url: api.ready.url, connections: 8, amount, requests, mustContain: '{"data":{"' });
    failed += r.non2xx + r.errors + r.timeouts + r.mismatches;
    done += amount;
    samples.push({ after: done, rssMb: rssMb(api.pid) });
  }
  const warmIndex = Math.max(0, Math.floor(samples.length / 5) - 1);
  const warmRssMb = samples[warmIndex]!.rssMb;
  const after = samples.slice(warmIndex);
  const lastRssMb = samples.at(-1)!.rssMb;
  const out: MemoryOutcome = {
    requests: TOTAL,
    samples,
    warmRssMb,
    lastRssMb,
    maxAfterWarmMb: Math.max(...after.map((s) => s.rssMb)),
    growthMb: lastRssMb - warmRssMb,
    failed,
  };
  if (failed) problems.push(`memory run: ${failed} failed or unexpected answers`);
  if (out.growthMb > LIMIT_MB) problems.push(`memory run: RSS grew ${out.growthMb.toFixed(0)} MB after the warm-up (limit ${LIMIT_MB} MB)`);
  return out;
}

export function printMemory(m: MemoryOutcome): void {
  console.log(`\nAPI resident memory over ${m.requests} mixed read requests (8 connections; RSS after each batch of ${m.samples[0]!.after}):\n`);
  printTable(
    ['after requests', 'RSS MB'],
    m.samples.map((s) => [String(s.after), s.rssMb.toFixed(0)]),
  );
  console.log(
    `\nafter warm-up (${m.samples[Math.max(0, Math.floor(m.samples.length / 5) - 1)]!.after} requests): ${m.warmRssMb.toFixed(0)} MB; highest since: ${m.maxAfterWarmMb.toFixed(0)} MB; ` +
      `last: ${m.lastRssMb.toFixed(0)} MB; growth ${m.growthMb >= 0 ? '+' : ''}${m.growthMb.toFixed(0)} MB; failed ${m.failed}`,
  );
}
