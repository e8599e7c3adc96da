import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors/errors.js';
import { CieloPaymentProvider } from './cielo.provider.js';
import { MercadoPagoPixProvider } from './mercadopago.provider.js';
import { createPaymentProviders, loadPaymentsConfig } from './payments.config.js';
import { PaymentConfigError, brl } from './payments.provider.js';
import { splitPayment, splitRefund, type PaymentPartInput } from './payments.split.js';
import { SandboxPaymentProvider } from './sandbox.provider.js';

describe('payment configuration', () => {
  it('defaults to the sandbox for cards and Pix, sharing one ledger', () => {
    const config = loadPaymentsConfig({});
    expect(config).toMatchObject({
      PAYMENT_CARD_PROVIDER: 'sandbox',
      PAYMENT_PIX_PROVIDER: 'sandbox',
      PAYMENT_TIMEOUT_MS: 15_000,
      CIELO_API_URL: 'https://apisandbox.cieloecommerce.cielo.com.br',
      CIELO_QUERY_URL: 'https://apiquerysandbox.cieloecommerce.cielo.com.br',
      MP_API_URL: 'https://api.mercadopago.com',
    });
    const providers = createPaymentProviders(config);
    expect(providers.card).toBeInstanceOf(SandboxPaymentProvider);
    expect(providers.pix).toBe(providers.card);
    expect(providers.sandbox).toBe(providers.card);
    expect(providers.forWebhook('sandbox')).toBe(providers.card);
    expect(providers.forWebhook('cielo')).toBeUndefined();
    expect(providers.forWebhook('constructor')).toBeUndefined();
  });

  it('requires the credentials of the providers chosen, naming the variables but never their values', () => {
    expect(() => loadPaymentsConfig({ PAYMENT_CARD_PROVIDER: 'cielo' })).toThrow(/CIELO_MERCHANT_ID[\s\S]*CIELO_MERCHANT_KEY/);
    expect(() => loadPaymentsConfig({ PAYMENT_PIX_PROVIDER: 'mercadopago', MP_ACCESS_TOKEN: 'APP_USR-secret' })).toThrow(PaymentConfigError);
    try {
      loadPaymentsConfig({ PAYMENT_PIX_PROVIDER: 'mercadopago', MP_ACCESS_TOKEN: 'APP_USR-secret' });
    } catch (error) {
      expect(String(error)).toContain('MP_WEBHOOK_SECRET');
      expect(String(error)).not.toContain('APP_USR-secret');
    }
    expect(() => loadPaymentsConfig({ PAYMENT_CARD_PROVIDER: 'stripe' })).toThrow(/PAYMENT_CARD_PROVIDER/);
    expect(() => loadPaymentsConfig({ PAYMENT_TIMEOUT_MS: '5' })).toThrow(/PAYMENT_TIMEOUT_MS/);
    expect(() => loadPaymentsConfig({ CIELO_WEBHOOK_HEADER_NAME: 'X-Token' })).toThrow(/CIELO_WEBHOOK_HEADER_VALUE/);
  });

  it('wires Cielo for cards and Mercado Pago for Pix when configured', () => {
    const config = loadPaymentsConfig({
      PAYMENT_CARD_PROVIDER: 'cielo',
      PAYMENT_PIX_PROVIDER: 'mercadopago',
      CIELO_MERCHANT_ID: '8937bd5b-9796-494d-9fe5-f76b3e4da633',
      CIELO_MERCHANT_KEY: 'key',
      CIELO_API_URL: 'https://api.cieloecommerce.cielo.com.br',
      MP_ACCESS_TOKEN: 'APP_USR-1',
      MP_WEBHOOK_SECRET: 'secret',
      PAYMENT_TIMEOUT_MS: '8000',
    });
    expect(config.CIELO_API_URL).toBe('https://api.cieloecommerce.cielo.com.br');
    expect(config.PAYMENT_TIMEOUT_MS).toBe(8_000);
    const providers = createPaymentProviders(config);
    expect(providers.card).toBeInstanceOf(CieloPaymentProvider);
    expect(providers.pix).toBeInstanceOf(MercadoPagoPixProvider);
    expect(providers.sandbox).toBeUndefined();
    expect(providers.forWebhook('mercadopago')).toBe(providers.pix);
    expect(providers.forWebhook('sandbox')).toBeUndefined();
  });

  it('offers a second Pix provider only with its credentials', () => {
    expect(() => loadPaymentsConfig({ PAYMENT_PIX_PROVIDERS: 'mercadopago' })).toThrow(/MP_ACCESS_TOKEN/);
    expect(() => loadPaymentsConfig({ PAYMENT_PIX_PROVIDERS: 'pagseguro' })).toThrow(/PAYMENT_PIX_PROVIDERS/);
    const providers = createPaymentProviders(
      loadPaymentsConfig({ PAYMENT_PIX_PROVIDER: 'mercadopago', PAYMENT_PIX_PROVIDERS: 'cielo, mercadopago', MP_ACCESS_TOKEN: 'APP_USR-1', MP_WEBHOOK_SECRET: 's', CIELO_MERCHANT_ID: 'id', CIELO_MERCHANT_KEY: 'key' }),
    );
    expect(providers.pixOffered).toEqual(['mercadopago', 'cielo']);
    expect(providers.pixBy('cielo')).toBeInstanceOf(CieloPaymentProvider);
    expect(providers.pixBy('mercadopago')).toBe(providers.pix);
    expect(providers.pixBy('sandbox')).toBeUndefined();
    expect(providers.forWebhook('cielo')).toBe(providers.pixBy('cielo'));
  });
});

describe('splitPayment', () => {
  const total = brl(10_000);
  const part = (method: PaymentPartInput['method'], amount: number, installments?: number): PaymentPartInput => ({ method, amount: brl(amount), installments });
  const fields = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof AppError) return error.errors.map((e) => e.field?.join('.'));
      throw error;
    }
    throw new Error('expected a refusal');
  };

  it('accepts the store’s combinations when the parts add up to the total', () => {
    expect(splitPayment(total, [part('PIX', 10_000)])).toEqual([{ index: 0, method: 'PIX', amount: brl(10_000), installments: 1 }]);
    expect(splitPayment(total, [part('PIX', 3_000), part('CARD', 7_000, 6)]).map((p) => p.installments)).toEqual([1, 6]);
    expect(splitPayment(total, [part('CARD', 2_500, 2), part('PIX', 5_000), part('CARD', 2_500)])).toHaveLength(3);
    expect(splitPayment(total, [part('CARD', 1), part('CARD', 9_999, 12)])).toHaveLength(2);
    expect(splitPayment(total, [part('BANK_DEPOSIT', 10_000)])).toHaveLength(1);
    expect(splitPayment(total, [part('VOUCHER', 10_000)])).toHaveLength(1);
  });

  it('refuses sums off by a centavo, zero or negative parts, and combinations the store does not offer', () => {
    expect(fields(() => splitPayment(total, [part('PIX', 3_000), part('CARD', 6_999)]))).toEqual(['payment.parts']);
    expect(fields(() => splitPayment(total, [part('PIX', 10_000), part('CARD', 0)]))).toEqual(['payment.parts.1.amount']);
    expect(fields(() => splitPayment(total, [part('PIX', 10_001), part('CARD', -1)]))).toEqual(['payment.parts.1.amount']);
    expect(fields(() => splitPayment(total, [part('PIX', 5_000), part('PIX', 5_000)]))).toEqual(['payment.parts']);
    expect(fields(() => splitPayment(total, [part('CARD', 4_000), part('CARD', 3_000), part('CARD', 3_000)]))).toEqual(['payment.parts']);
    expect(fields(() => splitPayment(total, [part('VOUCHER', 4_000), part('CARD', 6_000)]))).toEqual(['payment.parts']);
    expect(fields(() => splitPayment(total, []))).toEqual(['payment.parts']);
    expect(fields(() => splitPayment(total, [part('CARD', 10_000, 13)]))).toEqual(['payment.parts.0.installments']);
    expect(fields(() => splitPayment(total, [part('PIX', 10_000, 3)]))).toEqual(['payment.parts.0.installments']);
    expect(fields(() => splitPayment(total, [{ method: 'PIX', amount: { amount: 10_000, currency: 'USD' } }]))).toEqual(['payment.parts.0.amount']);
    expect(fields(() => splitPayment(total, [part('PIX', 100.5), part('CARD', 9_899.5)]))).toEqual(['payment.parts.0.amount', 'payment.parts.1.amount']);
  });

  it('accepts exactly the splits that sum to the total with positive parts (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: -5, max: 10_000_000 }), (totalCents, pixCents) => {
        const card = totalCents - pixCents;
        const parts = [part('PIX', pixCents), part('CARD', card)];
        const valid = pixCents > 0 && card > 0;
        if (valid) expect(splitPayment(brl(totalCents), parts).reduce((a, p) => a + p.amount.amount, 0)).toBe(totalCents);
        else expect(() => splitPayment(brl(totalCents), parts)).toThrow(AppError);
      }),
    );
  });
});

describe('splitRefund', () => {
  it('splits by what each part has left, largest remainder, summing to the refund', () => {
    expect(splitRefund(brl(100), [brl(3_000), brl(7_000)])).toEqual([brl(30), brl(70)]);
    expect(splitRefund(brl(1), [brl(1), brl(1), brl(1)])).toEqual([brl(1), brl(0), brl(0)]);
    expect(splitRefund(brl(500), [brl(0), brl(500)])).toEqual([brl(0), brl(500)]);
    expect(() => splitRefund(brl(1_001), [brl(500), brl(500)])).toThrow(/only 1000/);
  });

  it('never asks a part for more than it has left (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 3 }), fc.double({ min: 0, max: 1, noNaN: true }), (left, fraction) => {
        const available = left.reduce((a, b) => a + b, 0);
        const refund = Math.max(1, Math.floor(available * fraction));
        if (available === 0) return;
        const shares = splitRefund(brl(refund), left.map(brl));
        expect(shares.reduce((a, s) => a + s.amount, 0)).toBe(refund);
        shares.forEach((s, i) => expect(s.amount).toBeLessThanOrEqual(left[i]!));
      }),
    );
  });
});
