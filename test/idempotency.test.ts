import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { startTestApp, type TestApp } from './helpers/app.js';
import { AppError } from '../src/shared/errors/index.js';
import { claimKey, LeaseLostError, NeedsAttentionError, recoverAbandonedClaims, type ClaimRecovery, type Lease } from '../src/shared/idempotency/index.js';

/**
 * The idempotency-claim mechanism on its own (src/shared/idempotency), as returns' refunds and
 * payouts will use it: one holder per key, repeats answered, a stopped holder taken over after
 * its lease and fenced out, and keys nobody replays recovered by the pass — or listed for
 * operators when a person must decide.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ JOBS: 'off' });
});
afterAll(async () => {
  await t?.stop();
});

const orm = () => t.app.runtime.orm;
const claim = (key: string, fingerprint = 'request-1', leaseMs = 60_000) => claimKey<{ answer: number }>(orm(), { scope: 'test-op', key, fingerprint, leaseMs, payload: { key } });
const leaseOf = (outcome: Awaited<ReturnType<typeof claim>>): Lease => {
  if (!('lease' in outcome)) throw new Error('expected a lease');
  return outcome.lease;
};
const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return (err as AppError).errors[0]!;
};

describe('claimKey', () => {
  it('gives a key to one of two callers at once, answers repeats, refuses another request under it', async () => {
    const key = randomUUID();
    const both = await Promise.allSettled([claim(key), claim(key)]);
    const held = both.filter((r) => r.status === 'fulfilled');
    expect(held).toHaveLength(1);
    const other = both.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((other.reason as AppError).errors[0]).toMatchObject({ code: 'CONFLICT', field: ['input', 'idempotencyKey'] });
    expect((other.reason as AppError).message).toMatch(/still being processed\. Ask again in \d+ s/);

    const lease = leaseOf((held[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof claim>>>).value);
    await orm().em.fork().transactional(async (tx) => {
      await lease.hold(tx);
      await lease.complete(tx, { answer: 42 });
    });
    expect(await claim(key)).toEqual({ done: { answer: 42 } });
    expect(await refusal(claim(key, 'request-2'))).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/another request/) });
  });

  it('takes a stopped holder’s key over after its lease; the stopped holder then commits nothing', async () => {
    const key = randomUUID();
    const first = leaseOf(await claim(key, 'request-1', 300));
    expect(first.takenOver).toBe(false);
    await new Promise((r) => setTimeout(r, 400));
    const second = leaseOf(await claim(key, 'request-1', 60_000));
    expect(second).toMatchObject({ id: first.id, attempt: 2, takenOver: true, payload: { key } });
    // The first holder wakes up: every write of its is refused, its transaction rolled back.
    await expect(first.renew()).rejects.toBeInstanceOf(LeaseLostError);
    await expect(orm().em.fork().transactional((tx) => first.complete(tx, { answer: 1 }))).rejects.toBeInstanceOf(LeaseLostError);
    expect(await first.release()).toBe(true); // deletes nothing: the key is the second holder's
    await orm().em.fork().transactional((tx) => second.complete(tx, { answer: 2 }));
    expect(await claim(key)).toEqual({ done: { answer: 2 } });
  });

  it('frees a released key for a fresh attempt', async () => {
    const key = randomUUID();
    await leaseOf(await claim(key)).release();
    expect(leaseOf(await claim(key)).attempt).toBe(1);
  });
});

describe('recoverAbandonedClaims', () => {
  it('recovers keys nobody replays, and lists for operators the ones a person must decide', async () => {
    const fine = randomUUID();
    const stuck = randomUUID();
    await claim(fine, 'request-1', 1);
    await claim(stuck, 'request-1', 1);
    await new Promise((r) => setTimeout(r, 20));
    const seen: string[] = [];
    const recovery: ClaimRecovery = {
      scope: 'test-op',
      leaseMs: 60_000,
      async recover(lease) {
        seen.push(lease.key);
        if (lease.key === stuck) throw new NeedsAttentionError('a refund went out under this key');
        await lease.release();
        return 'RELEASED';
      },
    };
    const result = await recoverAbandonedClaims(orm(), [recovery], { logger: pino({ level: 'silent' }) });
    expect(result).toEqual({ recovered: 1, failed: 1 });
    expect(seen.sort()).toEqual([fine, stuck].sort());
    const conn = orm().em.fork().getConnection();
    expect(await conn.execute(`select key, status from idempotency_claim where key in (?, ?)`, [fine, stuck])).toEqual([{ key: stuck, status: 'IN_PROGRESS' }]);
    const [item] = await conn.execute<{ source: string; label: string; attention: boolean }[]>(
      `select source, label, attention_since is not null as attention from attention_item where source = 'claim:test-op'`,
    );
    expect(item).toMatchObject({ source: 'claim:test-op', label: `test-op key ${stuck}`, attention: true });
    // It backs off: the next pass leaves it alone.
    expect(await recoverAbandonedClaims(orm(), [recovery], { logger: pino({ level: 'silent' }) })).toEqual({ recovered: 0, failed: 0 });
  });
});
