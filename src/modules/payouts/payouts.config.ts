import { z } from 'zod';
import { ServiceKey, type Runtime } from '../../shared/runtime/index.js';
import { ASAAS_SANDBOX, AsaasTransferProvider } from './asaas.provider.js';
import type { FetchLike } from './transfer-http.js';
import { ManualTransferProvider, type TransferProvider } from './transfer.provider.js';

/**
 * Payout configuration, read once at start-up (src/app/wiring.ts); a bad value stops start-up
 * naming the variable, never echoing a secret.
 *
 * | variable               | default                         | meaning |
 * |------------------------|---------------------------------|---------|
 * | PAYOUT_PROVIDER        | manual                          | `manual` (operator confirms each payout) or `asaas` |
 * | ASAAS_API_URL          | https://api-sandbox.asaas.com/v3 | Asaas API base (production: https://api.asaas.com/v3) |
 * | ASAAS_API_KEY          | required with asaas             | sent as the `access_token` header |
 * | ASAAS_WEBHOOK_TOKEN    | required with asaas             | the webhook's authentication token (`asaas-access-token`) |
 * | PAYOUT_TIMEOUT_MS      | 15000                           | per HTTP exchange with the transfer provider |
 * | PAYOUT_JOB_POLL_MS     | 60000                           | how often the payout job checks the calendar and open transfers |
 */
const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v);

const schema = z
  .object({
    PAYOUT_PROVIDER: z.preprocess(blank, z.enum(['manual', 'asaas'], { message: 'PAYOUT_PROVIDER must be manual or asaas' }).default('manual')),
    ASAAS_API_URL: z.preprocess(blank, z.string().url().default(ASAAS_SANDBOX)),
    ASAAS_API_KEY: z.preprocess(blank, z.string().min(1).optional()),
    ASAAS_WEBHOOK_TOKEN: z.preprocess(blank, z.string().min(16, 'at least 16 characters').optional()),
    PAYOUT_TIMEOUT_MS: z.preprocess(blank, z.coerce.number().int().min(100).max(120_000).default(15_000)),
    PAYOUT_JOB_POLL_MS: z.preprocess(blank, z.coerce.number().int().min(100).default(60_000)),
  })
  .superRefine((c, ctx) => {
    if (c.PAYOUT_PROVIDER !== 'asaas') return;
    if (!c.ASAAS_API_KEY) ctx.addIssue({ code: 'custom', path: ['ASAAS_API_KEY'], message: 'required when PAYOUT_PROVIDER is asaas' });
    if (!c.ASAAS_WEBHOOK_TOKEN) ctx.addIssue({ code: 'custom', path: ['ASAAS_WEBHOOK_TOKEN'], message: 'required when PAYOUT_PROVIDER is asaas' });
  });

export type PayoutsConfig = z.infer<typeof schema>;

export class PayoutConfigError extends Error {}

export function loadPayoutsConfig(env: Readonly<Record<string, string | undefined>>): PayoutsConfig {
  const parsed = schema.safeParse(Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k]])));
  if (!parsed.success) {
    throw new PayoutConfigError(`Invalid payout configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

export function createTransferProvider(config: PayoutsConfig, deps: { fetch?: FetchLike } = {}): TransferProvider {
  if (config.PAYOUT_PROVIDER === 'asaas') {
    return new AsaasTransferProvider({ apiUrl: config.ASAAS_API_URL, apiKey: config.ASAAS_API_KEY!, webhookToken: config.ASAAS_WEBHOOK_TOKEN!, timeoutMs: config.PAYOUT_TIMEOUT_MS, fetch: deps.fetch });
  }
  return new ManualTransferProvider();
}

/** The job timings, kept in their own slot so the jobs read them without reparsing. */
export const PAYOUT_SETTINGS = new ServiceKey<PayoutsConfig>('payouts.settings');

export const payoutSettings = (runtime: Runtime) => runtime.services.get(PAYOUT_SETTINGS);
