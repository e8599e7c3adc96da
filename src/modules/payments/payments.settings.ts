import { z } from 'zod';
import { ServiceKey, type Runtime } from '../../shared/runtime/index.js';
import { PaymentConfigError } from './payments.provider.js';

/**
 * Timings of the payment transaction, read from the environment once at start-up.
 *
 * | variable                        | default                                                   |
 * |---------------------------------|-----------------------------------------------------------|
 * | PAYMENT_EXPIRY_MINUTES          | 30 — how long an unpaid Pix is awaited                    |
 * | PAYMENT_DEPOSIT_EXPIRY_MINUTES  | 4320 (3 days) — a bank deposit cannot be made in minutes  |
 * | PAYMENT_EXPIRY_POLL_MS          | 60000 — how often the expiry job looks for unpaid carts   |
 * | PAYMENT_LEASE_MS                | 4 × PAYMENT_TIMEOUT_MS (60000) — idempotency lease, below |
 *
 * The lease of an idempotency key (shared/idempotency) of checkout and payment releases: how
 * long a request holding a key is presumed alive without renewing it. It is renewed before
 * every provider call, and the slowest call is a Cielo authorization that first looks for an
 * earlier sale (three HTTP exchanges, each bounded by PAYMENT_TIMEOUT_MS); four time-outs
 * cover it with room for the database work around it. A shorter lease would let a retry take
 * over a request that is merely slow (safe — the slow one can then commit nothing — but it
 * fails); a longer one keeps a shopper whose request died waiting that much longer.
 */
const schema = z.object({
  PAYMENT_EXPIRY_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  PAYMENT_DEPOSIT_EXPIRY_MINUTES: z.coerce.number().int().min(1).max(30 * 24 * 60).default(3 * 24 * 60),
  PAYMENT_EXPIRY_POLL_MS: z.coerce.number().int().min(100).default(60_000),
  // Read here too (payments.config.ts validates it for the providers) to derive the lease.
  PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  PAYMENT_LEASE_MS: z.coerce.number().int().min(500).max(3_600_000).optional(),
});

export type PaymentSettings = z.infer<typeof schema> & {
  /** The idempotency lease of checkout and payment releases (PAYMENT_LEASE_MS, or 4 × PAYMENT_TIMEOUT_MS). */
  leaseMs: number;
};

/** How many provider time-outs the lease spans by default (see above). */
export const LEASE_TIMEOUTS = 4;

const blankToUndefined = (env: Readonly<Record<string, string | undefined>>) =>
  Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k]?.trim() ? env[k] : undefined]));

export function paymentSettings(env: Readonly<Record<string, string | undefined>>): PaymentSettings {
  const parsed = schema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new PaymentConfigError(`Invalid payment configuration:\n${problems}`);
  }
  return { ...parsed.data, leaseMs: parsed.data.PAYMENT_LEASE_MS ?? LEASE_TIMEOUTS * parsed.data.PAYMENT_TIMEOUT_MS };
}

/** The slot src/app fills at start-up with the parsed timings. */
export const PAYMENT_SETTINGS = new ServiceKey<PaymentSettings>('payments.settings');

export function runtimePaymentSettings(runtime: Runtime): PaymentSettings {
  return runtime.services.get(PAYMENT_SETTINGS);
}
