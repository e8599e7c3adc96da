import { z } from 'zod';
import { ServiceKey, type Runtime } from '../../shared/runtime/index.js';
import { optionalString } from './env.js';
import { PaymentConfigError, type CardPaymentProvider, type PaymentMethod, type PaymentProviderBase, type PixPaymentProvider, type ProviderDeps, type ProviderName } from './payments.provider.js';
import { CARD_PROVIDER_NAMES, PIX_PROVIDER_NAMES, PROVIDERS, providerDefinition, type PixProviderName } from './providers.js';
import { SandboxPaymentProvider } from './sandbox.provider.js';

export type { ProviderDeps } from './payments.provider.js';

/**
 * Which provider takes cards and which takes Pix, read from the environment and validated
 * once. Everything defaults to the sandbox (its payments kept in PostgreSQL), so a fresh checkout runs with no
 * credentials; choosing a real provider makes its credentials required. The provider names
 * and each provider's own variables come from the registry (providers.ts); the table of a
 * provider's variables is in its file (cielo.provider.ts, mercadopago.provider.ts, …).
 *
 * | variable                        | default                                              |
 * |---------------------------------|------------------------------------------------------|
 * | PAYMENT_CARD_PROVIDER           | sandbox (or another provider taking CARD)            |
 * | PAYMENT_PIX_PROVIDER            | sandbox (or another provider taking PIX)             |
 * | PAYMENT_PIX_PROVIDERS           | unset; more Pix providers the shopper may choose     |
 * | PAYMENT_TIMEOUT_MS              | 15000 — per HTTP exchange with a provider            |
 * | PAYMENT_WEBHOOK_TOLERANCE_SECONDS | 300 — older signed webhooks are refused (replay)   |
 */

const names = <T extends string>(list: readonly T[]) => list as unknown as readonly [T, ...T[]];
const oneOf = (list: readonly string[]) => `(${list.join('|')})`;

const common = {
  PAYMENT_CARD_PROVIDER: z.enum(names(CARD_PROVIDER_NAMES)).default('sandbox'),
  PAYMENT_PIX_PROVIDER: z.enum(names(PIX_PROVIDER_NAMES)).default('sandbox'),
  /** More Pix providers the shopper may choose from (the store's "Pix (Mercado Pago)" and "Pix (Cielo)"). */
  PAYMENT_PIX_PROVIDERS: optionalString.pipe(
    z
      .string()
      .regex(
        new RegExp(`^\\s*${oneOf(PIX_PROVIDER_NAMES)}\\s*(,\\s*${oneOf(PIX_PROVIDER_NAMES)}\\s*)*$`),
        `comma-separated: ${PIX_PROVIDER_NAMES.join(', ')}`,
      )
      .optional(),
  ),
  PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  PAYMENT_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
};

/** Every registered provider's variables, as one shape. */
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
type ProviderVariables = UnionToIntersection<(typeof PROVIDERS)[number]['env']>;
const providerVariables = Object.assign({}, ...PROVIDERS.map((p) => p.env)) as ProviderVariables;

const schema = z.object({ ...common, ...providerVariables }).superRefine((c, ctx) => {
  const extra = pixProviderList(c.PAYMENT_PIX_PROVIDERS);
  const chosen = new Set<ProviderName>([c.PAYMENT_CARD_PROVIDER, c.PAYMENT_PIX_PROVIDER, ...extra]);
  for (const provider of PROVIDERS) {
    // Each definition reads its own variables; the whole parsed object carries them.
    const check = provider.check as ((config: unknown, checks: { chosen: boolean; require(v: string, because: string): void; issue(v: string, message: string): void }) => void) | undefined;
    check?.(c, {
      chosen: chosen.has(provider.name),
      require: (variable, because) => {
        if ((c as Record<string, unknown>)[variable] === undefined) ctx.addIssue({ code: 'custom', path: [variable], message: `required when ${because}` });
      },
      issue: (variable, message) => ctx.addIssue({ code: 'custom', path: [variable], message }),
    });
  }
});

export type PaymentsConfig = z.infer<typeof schema>;

function pixProviderList(value: string | undefined): PixProviderName[] {
  return value ? (value.split(',').map((v) => v.trim()) as PixProviderName[]) : [];
}

/** Reads and validates the payment variables; a bad one stops start-up naming the variable (never its value). */
export function loadPaymentsConfig(env: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new PaymentConfigError(`Invalid payment configuration:\n${problems}`);
  }
  return parsed.data;
}

/** The slot src/app fills with the providers chosen by configuration. */
export const PAYMENT_PROVIDERS = new ServiceKey<PaymentProviders>('payments.providers');

/** The card and Pix providers this app was started with. */
export function paymentProviders(runtime: Runtime): PaymentProviders {
  return runtime.services.get(PAYMENT_PROVIDERS);
}

export interface PaymentProviders {
  card: CardPaymentProvider;
  /** The default Pix provider (PAYMENT_PIX_PROVIDER). */
  pix: PixPaymentProvider;
  /** Every Pix provider the shopper may choose, the default first. */
  pixOffered: PixProviderName[];
  /** A Pix provider the store offers, by name; undefined for one it does not. */
  pixBy(name: string): PixPaymentProvider | undefined;
  /** The provider whose webhook endpoint was called (`/webhooks/payments/:provider`). */
  forWebhook(name: string): PaymentProviderBase | undefined;
  /** Present when the sandbox is in use: tests and operators confirm Pix through it. */
  sandbox?: SandboxPaymentProvider;
}

/** One instance per provider: card and Pix share the sandbox's ledger, or Cielo's caches. */
export function createPaymentProviders(config: PaymentsConfig, deps: ProviderDeps = {}): PaymentProviders {
  const instances = new Map<ProviderName, PaymentProviderBase>();
  const use = (name: ProviderName, kind: PaymentMethod) => {
    const definition = providerDefinition(name);
    if (!(definition.kinds as readonly PaymentMethod[]).includes(kind)) throw new PaymentConfigError(`${name} does not take ${kind}`);
    let instance = instances.get(name);
    if (!instance) {
      // The whole parsed configuration: each factory reads its own variables and the common ones.
      instance = (definition.create as (c: PaymentsConfig, d: ProviderDeps) => PaymentProviderBase)(config, deps);
      instances.set(name, instance);
    }
    return instance;
  };

  const card = use(config.PAYMENT_CARD_PROVIDER, 'CARD') as CardPaymentProvider;
  const pixNamed = (name: PixProviderName) => use(name, 'PIX') as PixPaymentProvider;
  const pix = pixNamed(config.PAYMENT_PIX_PROVIDER);
  const pixOffered = [...new Set<PixProviderName>([config.PAYMENT_PIX_PROVIDER, ...pixProviderList(config.PAYMENT_PIX_PROVIDERS)])];
  const pixProviders = new Map(pixOffered.map((name) => [name as string, pixNamed(name)]));
  const sandbox = instances.get('sandbox');
  return {
    card,
    pix,
    pixOffered,
    pixBy: (name) => pixProviders.get(name),
    // Only the providers in use answer their webhook endpoint.
    forWebhook: (name) => instances.get(name as ProviderName),
    ...(sandbox instanceof SandboxPaymentProvider ? { sandbox } : {}),
  };
}
