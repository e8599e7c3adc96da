import { z } from 'zod';
import { ServiceKey, type Runtime } from '../../shared/runtime/index.js';
import { CIELO_SANDBOX, CieloPaymentProvider } from './cielo.provider.js';
import type { FetchLike } from './http.js';
import { MERCADOPAGO_API_URL, MercadoPagoPixProvider } from './mercadopago.provider.js';
import { PaymentConfigError, type CardPaymentProvider, type PaymentProviderBase, type PixPaymentProvider, type ProviderName } from './payments.provider.js';
import { SandboxPaymentProvider } from './sandbox.provider.js';

/**
 * Which provider takes cards and which takes Pix, read from the environment and validated
 * once. Everything defaults to the in-memory sandbox, so a fresh checkout runs with no
 * credentials; choosing a real provider makes its credentials required.
 *
 * | variable                        | default                                              |
 * |---------------------------------|------------------------------------------------------|
 * | PAYMENT_CARD_PROVIDER           | sandbox (or cielo)                                   |
 * | PAYMENT_PIX_PROVIDER            | sandbox (or cielo, mercadopago)                      |
 * | PAYMENT_PIX_PROVIDERS           | unset; more Pix providers the shopper may choose     |
 * | PAYMENT_TIMEOUT_MS              | 15000 — per HTTP exchange with a provider            |
 * | PAYMENT_WEBHOOK_TOLERANCE_SECONDS | 300 — older signed webhooks are refused (replay)   |
 * | PAYMENT_SANDBOX_WEBHOOK_SECRET  | random per process                                   |
 * | CIELO_MERCHANT_ID, CIELO_MERCHANT_KEY | required when Cielo is chosen                  |
 * | CIELO_API_URL, CIELO_QUERY_URL  | Cielo's sandbox hosts (production hosts in cielo.provider.ts) |
 * | CIELO_SOFT_DESCRIPTOR           | unset                                                |
 * | CIELO_PIX_PROVIDER              | unset (account default); "Cielo2" for the 2025 Pix   |
 * | CIELO_WEBHOOK_HEADER_NAME/_VALUE| unset; the static header registered with Cielo        |
 * | MP_ACCESS_TOKEN, MP_WEBHOOK_SECRET | required when Mercado Pago is chosen              |
 * | MP_API_URL                      | https://api.mercadopago.com                          |
 * | MP_NOTIFICATION_URL             | unset (the URL configured in Mercado Pago's panel)   |
 */

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const url = (fallback: string) =>
  optionalString.pipe(
    z
      .string()
      .url()
      .optional()
      .transform((v) => v ?? fallback),
  );

const schema = z
  .object({
    PAYMENT_CARD_PROVIDER: z.enum(['sandbox', 'cielo']).default('sandbox'),
    PAYMENT_PIX_PROVIDER: z.enum(['sandbox', 'cielo', 'mercadopago']).default('sandbox'),
    /** More Pix providers the shopper may choose from (the store's "Pix (Mercado Pago)" and "Pix (Cielo)"). */
    PAYMENT_PIX_PROVIDERS: optionalString.pipe(
      z
        .string()
        .regex(/^\s*(sandbox|cielo|mercadopago)\s*(,\s*(sandbox|cielo|mercadopago)\s*)*$/, 'comma-separated: sandbox, cielo, mercadopago')
        .optional(),
    ),
    PAYMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
    PAYMENT_WEBHOOK_TOLERANCE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
    PAYMENT_SANDBOX_WEBHOOK_SECRET: optionalString,
    CIELO_MERCHANT_ID: optionalString,
    CIELO_MERCHANT_KEY: optionalString,
    CIELO_API_URL: url(CIELO_SANDBOX.apiUrl),
    CIELO_QUERY_URL: url(CIELO_SANDBOX.queryUrl),
    CIELO_SOFT_DESCRIPTOR: optionalString.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9]{1,13}$/, 'up to 13 letters or digits')
        .optional(),
    ),
    CIELO_PIX_PROVIDER: optionalString,
    CIELO_WEBHOOK_HEADER_NAME: optionalString,
    CIELO_WEBHOOK_HEADER_VALUE: optionalString,
    MP_ACCESS_TOKEN: optionalString,
    MP_API_URL: url(MERCADOPAGO_API_URL),
    MP_WEBHOOK_SECRET: optionalString,
    MP_NOTIFICATION_URL: optionalString.pipe(z.string().url().optional()),
  })
  .superRefine((c, ctx) => {
    const need = (name: keyof typeof c, why: string) => {
      if (c[name] === undefined) ctx.addIssue({ code: 'custom', path: [name], message: `required when ${why}` });
    };
    const extra = pixProviderList(c.PAYMENT_PIX_PROVIDERS);
    const cielo = c.PAYMENT_CARD_PROVIDER === 'cielo' || c.PAYMENT_PIX_PROVIDER === 'cielo' || extra.includes('cielo');
    if (cielo) {
      need('CIELO_MERCHANT_ID', 'Cielo is a payment provider');
      need('CIELO_MERCHANT_KEY', 'Cielo is a payment provider');
    }
    if ((c.CIELO_WEBHOOK_HEADER_NAME === undefined) !== (c.CIELO_WEBHOOK_HEADER_VALUE === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['CIELO_WEBHOOK_HEADER_VALUE'], message: 'set both CIELO_WEBHOOK_HEADER_NAME and CIELO_WEBHOOK_HEADER_VALUE, or neither' });
    }
    if (c.PAYMENT_PIX_PROVIDER === 'mercadopago' || extra.includes('mercadopago')) {
      need('MP_ACCESS_TOKEN', 'Mercado Pago takes Pix');
      // Without the secret no notification could be verified, so no Pix would ever be confirmed.
      need('MP_WEBHOOK_SECRET', 'Mercado Pago takes Pix');
    }
  });

export type PaymentsConfig = z.infer<typeof schema>;

type PixProviderName = 'sandbox' | 'cielo' | 'mercadopago';
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
  pixOffered: ProviderName[];
  /** A Pix provider the store offers, by name; undefined for one it does not. */
  pixBy(name: string): PixPaymentProvider | undefined;
  /** The provider whose webhook endpoint was called (`/webhooks/payments/:provider`). */
  forWebhook(name: string): PaymentProviderBase | undefined;
  /** Present when the sandbox is in use: tests and operators confirm Pix through it. */
  sandbox?: SandboxPaymentProvider;
}

export interface ProviderDeps {
  fetch?: FetchLike;
  now?: () => Date;
}

/** One instance per provider: card and Pix share the sandbox's ledger, or Cielo's caches. */
export function createPaymentProviders(config: PaymentsConfig, deps: ProviderDeps = {}): PaymentProviders {
  let sandbox: SandboxPaymentProvider | undefined;
  let cielo: CieloPaymentProvider | undefined;
  let mercadopago: MercadoPagoPixProvider | undefined;

  const useSandbox = () =>
    (sandbox ??= new SandboxPaymentProvider({
      webhookSecret: config.PAYMENT_SANDBOX_WEBHOOK_SECRET,
      webhookToleranceSeconds: config.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      now: deps.now,
    }));
  const useCielo = () => {
    if (!config.CIELO_MERCHANT_ID || !config.CIELO_MERCHANT_KEY) throw new PaymentConfigError('Cielo needs CIELO_MERCHANT_ID and CIELO_MERCHANT_KEY');
    return (cielo ??= new CieloPaymentProvider({
      merchantId: config.CIELO_MERCHANT_ID,
      merchantKey: config.CIELO_MERCHANT_KEY,
      apiUrl: config.CIELO_API_URL,
      queryUrl: config.CIELO_QUERY_URL,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      softDescriptor: config.CIELO_SOFT_DESCRIPTOR,
      pixProvider: config.CIELO_PIX_PROVIDER,
      webhookHeader:
        config.CIELO_WEBHOOK_HEADER_NAME && config.CIELO_WEBHOOK_HEADER_VALUE
          ? { name: config.CIELO_WEBHOOK_HEADER_NAME, value: config.CIELO_WEBHOOK_HEADER_VALUE }
          : undefined,
      fetch: deps.fetch,
      now: deps.now,
    }));
  };
  const useMercadoPago = () => {
    if (!config.MP_ACCESS_TOKEN || !config.MP_WEBHOOK_SECRET) throw new PaymentConfigError('Mercado Pago needs MP_ACCESS_TOKEN and MP_WEBHOOK_SECRET');
    return (mercadopago ??= new MercadoPagoPixProvider({
      accessToken: config.MP_ACCESS_TOKEN,
      apiUrl: config.MP_API_URL,
      webhookSecret: config.MP_WEBHOOK_SECRET,
      webhookToleranceSeconds: config.PAYMENT_WEBHOOK_TOLERANCE_SECONDS,
      notificationUrl: config.MP_NOTIFICATION_URL,
      timeoutMs: config.PAYMENT_TIMEOUT_MS,
      fetch: deps.fetch,
      now: deps.now,
    }));
  };

  const card: CardPaymentProvider = config.PAYMENT_CARD_PROVIDER === 'cielo' ? useCielo() : useSandbox();
  const pixNamed = (name: PixProviderName): PixPaymentProvider => (name === 'cielo' ? useCielo() : name === 'mercadopago' ? useMercadoPago() : useSandbox());
  const pix = pixNamed(config.PAYMENT_PIX_PROVIDER);
  const pixOffered = [...new Set<PixProviderName>([config.PAYMENT_PIX_PROVIDER, ...pixProviderList(config.PAYMENT_PIX_PROVIDERS)])];
  const pixProviders = new Map(pixOffered.map((name) => [name as string, pixNamed(name)]));
  const inUse: [ProviderName, PaymentProviderBase | undefined][] = [
    ['sandbox', sandbox],
    ['cielo', cielo],
    ['mercadopago', mercadopago],
  ];
  return {
    card,
    pix,
    pixOffered,
    pixBy: (name) => pixProviders.get(name),
    forWebhook: (name) => inUse.find(([n]) => n === name)?.[1],
    ...(sandbox ? { sandbox } : {}),
  };
}
