import { z } from 'zod';
import type { Runtime } from '../shared/runtime/index.js';
import { recoverAbandonedClaims, type ClaimRecovery } from '../shared/idempotency/index.js';
import { startPeriodic } from './periodic.js';

/**
 * | variable | default | meaning |
 * |---|---|---|
 * | CLAIM_RECOVERY_POLL_MS | 30000 | how often idempotency keys whose holder stopped mid-way (past their lease) are recovered |
 */
const schema = z.object({ CLAIM_RECOVERY_POLL_MS: z.coerce.number().int().min(100).default(30_000) });

export function claimRecoverySettings(env: Readonly<Record<string, string | undefined>>) {
  const parsed = schema.safeParse({ CLAIM_RECOVERY_POLL_MS: env.CLAIM_RECOVERY_POLL_MS || undefined });
  if (!parsed.success) throw new Error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return parsed.data;
}

export interface ClaimRecoveryJob {
  /** One pass; returns how many keys were recovered. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * Every poll, takes over the idempotency keys (checkout, payment releases, …) whose holder
 * stopped mid-way and nobody replays, and recovers each as its scope says (shared/idempotency
 * recovery.ts). Safe on several instances: a key is taken over by one conditional UPDATE.
 */
export function startClaimRecoveryJob(runtime: Runtime, recoveries: readonly ClaimRecovery[], opts: { pollMs: number; stopTimeoutMs?: number }): ClaimRecoveryJob {
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  const pass = async () => (await recoverAbandonedClaims(runtime.orm, recoveries, { logger: runtime.logger })).recovered;
  const job = startPeriodic({
    pollMs: opts.pollMs,
    stopTimeoutMs,
    tick: pass,
    onError: (err) => runtime.logger.error({ err }, 'idempotency key recovery pass failed'),
  });
  return {
    runOnce: () => job.track(pass()),
    stop: async () => {
      if (!(await job.stop())) runtime.logger.warn({ stopTimeoutMs }, 'idempotency key recovery stopped while a pass was still running');
    },
  };
}
