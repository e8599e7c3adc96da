import { describe, expect, it } from 'vitest';
import { ClearSaleAnalyzer } from './clearsale.analyzer.js';
import { createFraudAnalyzer, loadFraudConfig } from './fraud.config.js';
import { buildExampleCarts } from '../../../test/doubles/fraud-example-carts.js';
import { RulesAnalyzer } from './rules.analyzer.js';

const CLEARSALE = {
  FRAUD_ANALYZER: 'clearsale',
  CLEARSALE_API_URL: 'https://homologacao.clearsale.com.br/api',
  CLEARSALE_LOGIN: 'login',
  CLEARSALE_PASSWORD: 'password',
};

describe('fraud configuration', () => {
  it('defaults to the rules analyzer, blank variables counting as unset', () => {
    expect(loadFraudConfig({})).toEqual({ analyzer: 'rules', timeoutMs: 5_000, deniedBins: [] });
    expect(loadFraudConfig({ FRAUD_ANALYZER: ' ', FRAUD_TIMEOUT_MS: '' })).toEqual({ analyzer: 'rules', timeoutMs: 5_000, deniedBins: [] });
    expect(createFraudAnalyzer(loadFraudConfig({}))).toBeInstanceOf(RulesAnalyzer);
  });

  it('reads ClearSale settings and builds the adapter', () => {
    const config = loadFraudConfig({ ...CLEARSALE, FRAUD_TIMEOUT_MS: '2500', CLEARSALE_PRODUCT: 'total-garantido' });
    expect(config).toEqual({
      analyzer: 'clearsale',
      timeoutMs: 2_500,
      deniedBins: [],
      clearsale: { baseUrl: CLEARSALE.CLEARSALE_API_URL, login: 'login', password: 'password', product: 'total-garantido' },
    });
    expect(createFraudAnalyzer(config)).toBeInstanceOf(ClearSaleAnalyzer);
  });

  it('names every missing ClearSale variable', () => {
    expect(() => loadFraudConfig({ FRAUD_ANALYZER: 'clearsale', CLEARSALE_LOGIN: 'x' })).toThrow(
      /CLEARSALE_API_URL: required when FRAUD_ANALYZER=clearsale\n {2}CLEARSALE_PASSWORD: required when FRAUD_ANALYZER=clearsale/,
    );
  });

  it.each([
    [{ FRAUD_ANALYZER: 'konduto' }, /FRAUD_ANALYZER/],
    [{ ...CLEARSALE, CLEARSALE_API_URL: 'ftp://clearsale' }, /CLEARSALE_API_URL/],
    [{ ...CLEARSALE, CLEARSALE_PRODUCT: 'score' }, /CLEARSALE_PRODUCT/],
    [{ FRAUD_TIMEOUT_MS: 'soon' }, /FRAUD_TIMEOUT_MS/],
    [{ FRAUD_TIMEOUT_MS: '10' }, /FRAUD_TIMEOUT_MS/],
    [{ FRAUD_DENIED_BINS: '4111' }, /FRAUD_DENIED_BINS/],
  ])('refuses %o', (env, variable) => {
    expect(() => loadFraudConfig(env)).toThrow(variable);
  });

  it('hands the denied BINs to the rules analyzer', async () => {
    const analyzer = createFraudAnalyzer(loadFraudConfig({ FRAUD_DENIED_BINS: '550209, 41111199' }));
    // The APPROVED example, paid by a card whose BIN is denied.
    const cart = buildExampleCarts().approved;
    const byDeniedCard = { ...cart, payments: [{ method: 'CREDIT_CARD' as const, amount: cart.totals.total, card: { bin: '550209', last4: '0004', installments: 1 } }] };
    expect(await analyzer.analyze(byDeniedCard)).toMatchObject({ outcome: 'REJECTED', reasons: [{ code: 'DENIED_CARD_BIN' }] });
  });
});
