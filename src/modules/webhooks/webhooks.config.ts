import { z } from 'zod';
import { ServiceKey } from '../../shared/runtime/index.js';
import type { Sealer } from '../../shared/crypto/index.js';

/**
 * Outgoing webhook settings, read once at start-up (src/app/wiring.ts).
 *
 * | variable                       | default  | meaning |
 * |--------------------------------|----------|---------|
 * | WEBHOOK_ALLOW_PRIVATE          | false    | development/test only: allow `http://` and private, loopback and link-local addresses |
 * | WEBHOOK_TIMEOUT_MS             | 10000    | one delivery attempt (connect + answer) |
 * | WEBHOOK_RETRY_BASE_MS          | 30000    | the first retry's delay; each next one doubles |
 * | WEBHOOK_RETRY_MAX_DELAY_MS     | 3600000  | the longest delay between two attempts |
 * | WEBHOOK_RETRY_WINDOW_MS        | 86400000 | after this long since its first attempt a delivery is FAILED |
 * | WEBHOOK_PAUSE_AFTER_FAILURES   | 5        | failed deliveries in a row that pause the subscription (its owner is e-mailed) |
 * | WEBHOOK_POLL_MS                | 1000     | how often due deliveries are sent |
 */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);
const int = (min: number, max: number, def: number) => z.preprocess(blank, z.coerce.number().int().min(min).max(max).default(def));

const schema = z.object({
  WEBHOOK_ALLOW_PRIVATE: z.preprocess(blank, z.enum(['true', 'false'], { message: 'WEBHOOK_ALLOW_PRIVATE must be true or false' }).default('false')).transform((v) => v === 'true'),
  WEBHOOK_TIMEOUT_MS: int(100, 60_000, 10_000),
  WEBHOOK_RETRY_BASE_MS: int(1, 3_600_000, 30_000),
  WEBHOOK_RETRY_MAX_DELAY_MS: int(1, 86_400_000, 3_600_000),
  WEBHOOK_RETRY_WINDOW_MS: int(1, 7 * 86_400_000, 86_400_000),
  WEBHOOK_PAUSE_AFTER_FAILURES: int(1, 1000, 5),
  WEBHOOK_POLL_MS: int(20, 3_600_000, 1_000),
});

export type WebhooksConfig = z.infer<typeof schema>;

export class WebhooksConfigError extends Error {}

export function loadWebhooksConfig(env: Readonly<Record<string, string | undefined>>): WebhooksConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k]])));
  if (!parsed.success) {
    throw new WebhooksConfigError(`Invalid webhook configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

/** The settings and the sealer of signing secrets (a key derived from APP_SECRET). */
export interface WebhooksRuntime {
  config: WebhooksConfig;
  secrets: Sealer;
}

export const WEBHOOKS = new ServiceKey<WebhooksRuntime>('webhooks');
