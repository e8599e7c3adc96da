import { describe, expect, it } from 'vitest';
import { loadPaymentsConfig } from './payments.config.js';
import { PixProviderEnum } from './payments.types.js';
import { CARD_PROVIDER_NAMES, PIX_PROVIDER_NAMES, PROVIDER_NAMES } from './providers.js';

describe('the payment provider registry', () => {
  it('is where the names, the kinds and the GraphQL PixProvider enum come from', () => {
    expect(PROVIDER_NAMES).toEqual(['sandbox', 'cielo', 'mercadopago']);
    expect(CARD_PROVIDER_NAMES).toEqual(['sandbox', 'cielo']);
    expect(PIX_PROVIDER_NAMES).toEqual(['sandbox', 'cielo', 'mercadopago']);
    expect(PixProviderEnum).toEqual({ SANDBOX: 'sandbox', CIELO: 'cielo', MERCADOPAGO: 'mercadopago' });
  });

  it("validates each provider's own variables, declared in the provider's file", () => {
    expect(() => loadPaymentsConfig({ CIELO_SOFT_DESCRIPTOR: 'far too long for a statement' })).toThrow(/CIELO_SOFT_DESCRIPTOR/);
    expect(() => loadPaymentsConfig({ MP_NOTIFICATION_URL: 'not a url' })).toThrow(/MP_NOTIFICATION_URL/);
    expect(loadPaymentsConfig({ PAYMENT_SANDBOX_WEBHOOK_SECRET: ' s3cret ' }).PAYMENT_SANDBOX_WEBHOOK_SECRET).toBe('s3cret');
  });

  it('offers for cards only the providers that take cards', () => {
    expect(() => loadPaymentsConfig({ PAYMENT_CARD_PROVIDER: 'mercadopago' })).toThrow(/PAYMENT_CARD_PROVIDER/);
    expect(() => loadPaymentsConfig({ PAYMENT_PIX_PROVIDERS: 'sandbox, stripe' })).toThrow(/comma-separated: sandbox, cielo, mercadopago/);
  });
});
