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
 */
const schema = z.object({
  PAYMENT_EXPIRY_MINUTES: z.coerce.number().int().min(1).max(7 * 24 * 60).default(30),
  PAYMENT_DEPOSIT_EXPIRY_MINUTES: z.coerce.number().int().min(1).max(30 * 24 * 60).default(3 * 24 * 60),
  PAYMENT_EXPIRY_POLL_MS: z.coerce.number().int().min(100).default(60_000),
});

export type PaymentSettings = z.infer<typeof schema>;

const blankToUndefined = (env: Readonly<Record<string, string | undefined>>) =>
  Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k]?.trim() ? env[k] : undefined]));

export function paymentSettings(env: Readonly<Record<string, string | undefined>>): PaymentSettings {
  const parsed = schema.safeParse(blankToUndefined(env));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new PaymentConfigError(`Invalid payment configuration:\n${problems}`);
  }
  return parsed.data;
}

/** The slot src/app fills at start-up with the parsed timings. */
export const PAYMENT_SETTINGS = new ServiceKey<PaymentSettings>('payments.settings');

export function runtimePaymentSettings(runtime: Runtime): PaymentSettings {
  return runtime.services.get(PAYMENT_SETTINGS);
}
