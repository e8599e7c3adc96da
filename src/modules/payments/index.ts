export * from './payments.provider.js';
export { loadPaymentsConfig, createPaymentProviders, type PaymentsConfig, type PaymentProviders } from './payments.config.js';
export { splitPayment, splitRefund, PAYMENT_COMBINATIONS, type PaymentPart, type PaymentPartInput, type PaymentPartMethod } from './payments.split.js';
export { SandboxPaymentProvider, SANDBOX_SIGNATURE_HEADER, type SignedWebhook } from './sandbox.provider.js';
export { CieloPaymentProvider, CIELO_PRODUCTION, CIELO_SANDBOX } from './cielo.provider.js';
export { MercadoPagoPixProvider, MERCADOPAGO_API_URL } from './mercadopago.provider.js';
export { centsToDecimalString, decimalToCents } from './decimal.js';
export { paymentRoutes } from './payments.routes.js';

// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const paymentResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [];
export const paymentRules: Record<string, Record<string, unknown>> = {};
export const paymentEntities: readonly (abstract new (...args: never[]) => unknown)[] = [];
