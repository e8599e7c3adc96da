import { cieloProvider } from './cielo.provider.js';
import type { PaymentMethod, ProviderDefinition } from './payments.provider.js';
import { mercadoPagoProvider } from './mercadopago.provider.js';
import { sandboxProvider } from './sandbox.provider.js';

/**
 * Every payment provider the app knows. Adding one is its own file (the implementation and
 * its `defineProvider` entry: name, kinds, variables, factory) plus one line here; from this
 * list come the PAYMENT_CARD_PROVIDER / PAYMENT_PIX_PROVIDER(S) values and the provider
 * variables (payments.config.ts), the webhook endpoint `/webhooks/payments/<name>`, the
 * ProviderName type and the GraphQL PixProvider enum (payments.types.ts).
 */
export const PROVIDERS = [sandboxProvider, cieloProvider, mercadoPagoProvider] as const;

type Registered = (typeof PROVIDERS)[number];
export type ProviderName = Registered['name'];
/** Providers that take cards. */
export type CardProviderName = NamesTaking<'CARD'>;
/** Providers that issue Pix charges. */
export type PixProviderName = NamesTaking<'PIX'>;
type NamesTaking<K extends PaymentMethod> = Registered extends infer R ? (R extends ProviderDefinition<infer N, infer _E, infer Kinds> ? (K extends Kinds ? N : never) : never) : never;

const NAME_RE = /^[a-z][a-z0-9]*$/;
for (const p of PROVIDERS) {
  // The name is an environment value, a URL path segment and (upper-cased) a GraphQL enum value.
  if (!NAME_RE.test(p.name)) throw new Error(`payment provider name "${p.name}" must be lower-case letters and digits`);
}

export const PROVIDER_NAMES = PROVIDERS.map((p) => p.name) as readonly ProviderName[];
const taking = (kind: PaymentMethod) => PROVIDERS.filter((p) => (p.kinds as readonly PaymentMethod[]).includes(kind)).map((p) => p.name);
export const CARD_PROVIDER_NAMES = taking('CARD') as readonly CardProviderName[];
export const PIX_PROVIDER_NAMES = taking('PIX') as readonly PixProviderName[];

/** The registry entry of a provider. */
export function providerDefinition(name: ProviderName): Registered {
  return PROVIDERS.find((p) => p.name === name)!;
}
