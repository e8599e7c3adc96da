import { z } from 'zod';
import { ServiceKey, type Runtime } from '../../shared/runtime/index.js';
import { HttpFreightCarrier, type FreightCarrier } from './carrier.js';

/**
 * Live carriers, read from the environment once at start-up. None by default: the store's tables and
 * its contingency table quote on their own, so a fresh checkout works with no credentials.
 * Setting FREIGHT_CARRIER_URL adds one Frenet-shaped carrier (HttpFreightCarrier), whose
 * token then becomes required.
 *
 * | variable                          | default                                        |
 * |-----------------------------------|------------------------------------------------|
 * | FREIGHT_CARRIER_URL               | unset: no live carrier                         |
 * | FREIGHT_CARRIER_TOKEN             | required with the URL                          |
 * | FREIGHT_CARRIER_NAME              | Frenet — names the carrier in quote failures   |
 * | FREIGHT_CARRIER_TIMEOUT_MS        | 5000 — one HTTP exchange with the carrier       |
 * | FREIGHT_CARRIER_SCHEDULED_CODES   | unset — service codes sold as scheduled delivery, comma-separated |
 *
 * The store-wide ceiling on waiting for carriers is a shipping setting (carrierTimeoutMs),
 * editable by operators; the variable above is the adapter's own limit.
 */

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const schema = z
  .object({
    FREIGHT_CARRIER_URL: optionalString.pipe(z.string().url().optional()),
    FREIGHT_CARRIER_TOKEN: optionalString,
    FREIGHT_CARRIER_NAME: optionalString.transform((v) => v ?? 'Frenet'),
    FREIGHT_CARRIER_TIMEOUT_MS: z.coerce.number().int().min(50).max(120_000).default(5_000),
    FREIGHT_CARRIER_SCHEDULED_CODES: optionalString.transform((v) =>
      v === undefined
        ? []
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    ),
  })
  .superRefine((c, ctx) => {
    if (c.FREIGHT_CARRIER_URL && !c.FREIGHT_CARRIER_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['FREIGHT_CARRIER_TOKEN'], message: 'required when FREIGHT_CARRIER_URL is set' });
    }
  });

export class FreightConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FreightConfigError';
  }
}

/** Builds the carriers an environment describes; a bad variable is named (never its value). */
export function carriersFromEnv(env: Readonly<Record<string, string | undefined>>): FreightCarrier[] {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new FreightConfigError(`Invalid freight carrier configuration:\n${problems}`);
  }
  const c = parsed.data;
  if (!c.FREIGHT_CARRIER_URL) return [];
  return [
    new HttpFreightCarrier({
      name: c.FREIGHT_CARRIER_NAME,
      baseUrl: c.FREIGHT_CARRIER_URL,
      token: c.FREIGHT_CARRIER_TOKEN!,
      timeoutMs: c.FREIGHT_CARRIER_TIMEOUT_MS,
      scheduledServiceCodes: c.FREIGHT_CARRIER_SCHEDULED_CODES,
    }),
  ];
}

/** The slot src/app fills at start-up with the carriers the environment describes. */
export const FREIGHT_CARRIERS = new ServiceKey<readonly FreightCarrier[]>('shipping.carriers');

/** The runtime's live carriers, built once at start-up (a bad variable stops start-up). */
export function runtimeCarriers(runtime: Runtime): readonly FreightCarrier[] {
  return runtime.services.get(FREIGHT_CARRIERS);
}
