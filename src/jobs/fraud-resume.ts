import { z } from 'zod';
import type { Runtime } from '../shared/runtime/index.js';
import { resumePendingAnalyses } from '../modules/checkout/index.js';
import { startPeriodic } from './periodic.js';

/**
 * | variable | default | meaning |
 * |---|---|---|
 * | FRAUD_RESUME_POLL_MS | 60000 | how often pending fraud analyses are looked for |
 * | FRAUD_RESUME_AFTER_MS | 120000 | how old a pending analysis must be (younger ones belong to a checkout still answering) |
 */
const schema = z.object({
  FRAUD_RESUME_POLL_MS: z.coerce.number().int().min(100).default(60_000),
  FRAUD_RESUME_AFTER_MS: z.coerce.number().int().min(0).default(120_000),
});

export function fraudResumeSettings(env: Readonly<Record<string, string | undefined>>) {
  const parsed = schema.safeParse({ FRAUD_RESUME_POLL_MS: env.FRAUD_RESUME_POLL_MS || undefined, FRAUD_RESUME_AFTER_MS: env.FRAUD_RESUME_AFTER_MS || undefined });
  if (!parsed.success) throw new Error(`Invalid configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  return parsed.data;
}

export interface FraudResumeJob {
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

/** Every poll, settles fraud analyses a stopped process or a failed capture left PENDING. */
export function startFraudResumeJob(runtime: Runtime, opts: { pollMs: number; olderThanMs: number; stopTimeoutMs?: number }): FraudResumeJob {
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  const pass = () => resumePendingAnalyses(runtime, { olderThanMs: opts.olderThanMs });
  const job = startPeriodic({
    pollMs: opts.pollMs,
    stopTimeoutMs,
    tick: async () => {
      const n = await pass();
      if (n) runtime.logger.info({ settled: n }, 'pending fraud analyses settled');
    },
    onError: (err) => runtime.logger.error({ err }, 'fraud resume pass failed'),
  });
  return {
    runOnce: () => job.track(pass()),
    stop: async () => {
      if (!(await job.stop())) runtime.logger.warn({ stopTimeoutMs }, 'fraud resume job stopped while a pass was still running');
    },
  };
}
