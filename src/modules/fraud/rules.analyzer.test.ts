import { afterEach, describe, expect, it, vi } from 'vitest';
import { stateOfCep } from './cep.js';
import { assertConsistentFraudRequest, countDistinctSellers, type FraudItem, type FraudPaymentPart, type FraudRequest } from './fraud.analyzer.js';
import { buildExampleCarts, DEMO_FRAUD_SELLERS } from '../../../test/doubles/fraud-example-carts.js';
import { DEFAULT_RULE_SETTINGS, RULES, RulesAnalyzer, renderRulesMarkdown, type RuleSettings } from './rules.analyzer.js';

const HOUR = 3_600_000;
const { admin, alfa, beta } = DEMO_FRAUD_SELLERS;

/** A fresh APPROVED cart to change one thing at a time. */
const base = () => buildExampleCarts().approved;

/** Replaces the items and keeps the request consistent: totals, single payment part, seller count. */
function withItems(request: FraudRequest, items: FraudItem[], payments?: (total: number) => FraudPaymentPart[]): FraudRequest {
  const merchandise = items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);
  const total = merchandise - request.totals.discount + request.totals.freight;
  return {
    ...request,
    items,
    totals: { ...request.totals, merchandise, total },
    payments: payments ? payments(total) : [{ ...request.payments[0]!, amount: total }],
    distinctSellers: countDistinctSellers(items),
  };
}

/** One item whose price brings the cart total (with the base freight) to exactly `total`. */
function totalling(request: FraudRequest, total: number, payments?: (total: number) => FraudPaymentPart[]): FraudRequest {
  const unitPrice = total - request.totals.freight + request.totals.discount;
  return withItems(request, [{ ...request.items[0]!, quantity: 1, unitPrice }], payments);
}

const card = (installments = 1, bin = '411111'): FraudPaymentPart['card'] => ({ bin, last4: '1111', installments });
const byCard = (total: number): FraudPaymentPart[] => [{ method: 'CREDIT_CARD', amount: total, card: card() }];
const byPix = (total: number): FraudPaymentPart[] => [{ method: 'PIX', amount: total }];

function fired(request: FraudRequest, settings: Partial<RuleSettings> = {}): string[] {
  return new RulesAnalyzer(settings).evaluate(request).reasons.map((r) => r.code);
}

interface RuleCase {
  settings?: Partial<RuleSettings>;
  fires: Array<[string, () => FraudRequest]>;
  quiet: Array<[string, () => FraudRequest]>;
}

// One entry per rule; the test below fails when a rule is added without cases here.
const CASES: Record<string, RuleCase> = {
  DENIED_CARD_BIN: {
    settings: { deniedBins: ['550209', '41111199'] },
    fires: [
      ['a 6-digit BIN on the list', () => totalling(base(), 10_000, (t) => [{ method: 'CREDIT_CARD', amount: t, card: card(1, '550209') }])],
      ['an 8-digit BIN on the list', () => totalling(base(), 10_000, (t) => [{ method: 'CREDIT_CARD', amount: t, card: card(1, '41111199') }])],
      ['the second of two cards', () => totalling(base(), 10_000, (t) => [
        { method: 'CREDIT_CARD', amount: t - 4_000, card: card(1, '411111') },
        { method: 'CREDIT_CARD', amount: 4_000, card: card(1, '550209') },
      ])],
    ],
    quiet: [
      ['a BIN not on the list', () => totalling(base(), 10_000, (t) => [{ method: 'CREDIT_CARD', amount: t, card: card(1, '411111') }])],
      ['Pix', () => base()],
    ],
  },
  VERY_HIGH_VALUE_REVOCABLE: {
    fires: [
      ['exactly the threshold by card', () => totalling(base(), DEFAULT_RULE_SETTINGS.veryHighValue, byCard)],
      ['Pix plus a card', () => totalling(base(), 2_000_000, (t) => [{ method: 'PIX', amount: t - 1_000 }, { method: 'CREDIT_CARD', amount: 1_000, card: card() }])],
      ['a voucher (stored value)', () => totalling(base(), 2_000_000, (t) => [{ method: 'VOUCHER', amount: t }])],
    ],
    quiet: [
      ['just below the threshold by card', () => totalling(base(), DEFAULT_RULE_SETTINGS.veryHighValue - 1, byCard)],
      ['all Pix', () => totalling(base(), 2_000_000, byPix)],
      ['Pix plus bank deposit', () => totalling(base(), 2_000_000, (t) => [{ method: 'PIX', amount: t - 1_000 }, { method: 'BANK_DEPOSIT', amount: 1_000 }])],
    ],
  },
  HIGH_VALUE: {
    fires: [['exactly the threshold', () => totalling(base(), DEFAULT_RULE_SETTINGS.highValue)]],
    quiet: [['one centavo below', () => totalling(base(), DEFAULT_RULE_SETTINGS.highValue - 1)]],
  },
  INVALID_BUYER_DOCUMENT: {
    fires: [
      ['a CPF with a wrong check digit', () => ({ ...base(), buyer: { ...base().buyer, document: '529.982.247-24' } })],
      ['eleven equal digits', () => ({ ...base(), buyer: { ...base().buyer, document: '11111111111' } })],
      ['garbage', () => ({ ...base(), buyer: { ...base().buyer, document: 'n/a' } })],
    ],
    quiet: [
      ['a masked valid CPF', () => base()],
      ['a numeric CNPJ', () => ({ ...base(), buyer: { ...base().buyer, document: '11.222.333/0001-81' } })],
      ['an alphanumeric CNPJ', () => ({ ...base(), buyer: { ...base().buyer, document: 'Q0.SLF.MBD/7VX4-39' } })],
    ],
  },
  BLOCKED_EMAIL_DOMAIN: {
    fires: [
      ['a disposable domain', () => ({ ...base(), buyer: { ...base().buyer, email: 'maria.silva@mailinator.com' } })],
      ['its subdomain, upper-cased', () => ({ ...base(), buyer: { ...base().buyer, email: 'maria.silva@EU.Mailinator.com' } })],
    ],
    quiet: [
      ['an ordinary domain', () => base()],
      ['a domain that merely ends alike', () => ({ ...base(), buyer: { ...base().buyer, email: 'maria.silva@notmailinator.com' } })],
    ],
  },
  TEST_EMAIL_PATTERN: {
    fires: [
      ['teste123', () => ({ ...base(), buyer: { ...base().buyer, email: 'teste123@mail.example' } })],
      ['test with a +tag', () => ({ ...base(), buyer: { ...base().buyer, email: 'Test+maria@mail.example' } })],
      ['xxxx', () => ({ ...base(), buyer: { ...base().buyer, email: 'xxxx@mail.example' } })],
    ],
    quiet: [
      ['a real name', () => base()],
      ['a word that only starts with test', () => ({ ...base(), buyer: { ...base().buyer, email: 'testemunha.maria@mail.example' } })],
      ["this project's test addresses", () => ({ ...base(), buyer: { ...base().buyer, email: 'u42@test.example' } })],
    ],
  },
  MANY_SELLERS_HIGH_VALUE: {
    fires: [['the REVIEW example (3 sellers, R$ 4.108,70)', () => buildExampleCarts().review]],
    quiet: [
      ['3 sellers below the value', () => withItems(base(), [...base().items, { ...base().items[1]!, skuCode: 'BETA-X', seller: beta, unitPrice: 1_000, quantity: 1 }])],
      ['2 sellers above the value', () => withItems(base(), base().items.map((i) => ({ ...i, unitPrice: 100_000 })))],
    ],
  },
  BULK_QUANTITY: {
    fires: [
      ['11 units on one line', () => withItems(base(), [{ ...base().items[0]!, quantity: 11 }])],
      ['6 + 5 units of one SKU on two lines', () => withItems(base(), [{ ...base().items[0]!, quantity: 6 }, { ...base().items[0]!, quantity: 5 }])],
    ],
    quiet: [
      ['10 units', () => withItems(base(), [{ ...base().items[0]!, quantity: 10 }])],
      ['10 units of each of two SKUs', () => withItems(base(), base().items.map((i) => ({ ...i, quantity: 10 })))],
    ],
  },
  DISTANT_BILLING_ADDRESS: {
    fires: [['card, delivery in MG, billing in SP', () => ({ ...totalling(base(), 10_000, byCard), delivery: { ...base().delivery, postalCode: '30130-151' } })]],
    quiet: [
      ['card, both in SP', () => ({ ...totalling(base(), 10_000, byCard), delivery: { ...base().delivery, postalCode: '04538-132' } })],
      ['Pix, different states', () => ({ ...base(), delivery: { ...base().delivery, postalCode: '30130-151' } })],
      ['card, an unallocated CEP', () => ({ ...totalling(base(), 10_000, byCard), delivery: { ...base().delivery, postalCode: '00000-000' } })],
    ],
  },
  NEW_ACCOUNT_HIGH_VALUE: {
    fires: [['23 h old, R$ 1.000,00', () => {
      const r = totalling(base(), DEFAULT_RULE_SETTINGS.newAccountValue);
      return { ...r, buyer: { ...r.buyer, accountCreatedAt: new Date(r.placedAt.getTime() - 23 * HOUR) } };
    }]],
    quiet: [
      ['exactly 24 h old', () => {
        const r = totalling(base(), 200_000);
        return { ...r, buyer: { ...r.buyer, accountCreatedAt: new Date(r.placedAt.getTime() - 24 * HOUR) } };
      }],
      ['new but below the value', () => ({ ...base(), buyer: { ...base().buyer, accountCreatedAt: new Date(base().placedAt.getTime() - HOUR) } })],
      ['an anonymous cart', () => {
        const r = totalling(base(), 200_000);
        return { ...r, buyer: { ...r.buyer, customerId: undefined, accountCreatedAt: undefined } };
      }],
    ],
  },
  EMAIL_NAME_MISMATCH: {
    fires: [['an e-mail with none of the names', () => ({ ...base(), buyer: { ...base().buyer, email: 'xpto1987@mail.example' } })]],
    quiet: [
      ['the surname in the e-mail', () => ({ ...base(), buyer: { ...base().buyer, email: 'msilva@mail.example' } })],
      ['an accented name, unaccented e-mail', () => ({ ...base(), buyer: { ...base().buyer, name: 'João Conceição', email: 'joao.c@mail.example' } })],
      ['a company (CNPJ) buyer', () => ({ ...base(), buyer: { ...base().buyer, document: '11222333000181', email: 'compras@mail.example' } })],
    ],
  },
};

describe('rules analyzer: each rule', () => {
  it('has cases for every rule, and every case names a rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.code).sort());
  });

  for (const rule of RULES) {
    const c = CASES[rule.code]!;
    describe(rule.code, () => {
      it.each(c.fires)('fires: %s', (_, build) => {
        const request = build();
        assertConsistentFraudRequest(request);
        expect(fired(request, c.settings)).toContain(rule.code);
      });
      it.each(c.quiet)('does not fire: %s', (_, build) => {
        const request = build();
        assertConsistentFraudRequest(request);
        expect(fired(request, c.settings)).not.toContain(rule.code);
      });
    });
  }
});

describe('rules analyzer: verdicts', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers the three example carts APPROVED, REVIEW and REJECTED', async () => {
    const analyzer = new RulesAnalyzer();
    const carts = buildExampleCarts();
    expect(await analyzer.analyze(carts.approved)).toEqual({ outcome: 'APPROVED', score: 0, reasons: [], provider: 'rules' });

    const review = await analyzer.analyze(carts.review);
    expect(review).toMatchObject({ outcome: 'REVIEW', score: 65, provider: 'rules' });
    expect(review.reasons.map((r) => r.code)).toEqual(['HIGH_VALUE', 'MANY_SELLERS_HIGH_VALUE']);

    const rejected = await analyzer.analyze(carts.rejected);
    expect(rejected).toMatchObject({ outcome: 'REJECTED', score: 100 });
    expect(rejected.reasons.map((r) => r.code)).toEqual(['VERY_HIGH_VALUE_REVOCABLE', 'HIGH_VALUE', 'DISTANT_BILLING_ADDRESS', 'NEW_ACCOUNT_HIGH_VALUE']);
    expect(rejected.reasons[0]!.message).toContain('R$ 13.996,00');
  });

  it('builds the examples with real sellers, flagging guest sellers\' items as marketplace', async () => {
    const sellers = {
      admin: { ...admin, id: 'a0000000-0000-4000-8000-000000000001' },
      alfa: { ...alfa, id: 'a0000000-0000-4000-8000-000000000002' },
      beta: { ...beta, id: 'a0000000-0000-4000-8000-000000000003' },
    };
    const { review } = buildExampleCarts(sellers);
    expect(review.items.map((i) => [i.skuCode, i.seller.id, i.marketplace])).toEqual([
      ['CAFETEIRA', sellers.admin.id, false],
      ['ALFA-JAQ02.G', sellers.alfa.id, true],
      ['BETA-NOTE14', sellers.beta.id, true],
    ]);
    expect((await new RulesAnalyzer().analyze(review)).outcome).toBe('REVIEW');
  });

  it('maps scores to outcomes at the documented thresholds', () => {
    const analyzer = new RulesAnalyzer();
    // 25 + 10: below review.
    const low = { ...base(), buyer: { ...base().buyer, email: 'teste@mail.example' } };
    expect(analyzer.evaluate(low)).toMatchObject({ outcome: 'APPROVED', score: 35 });
    // Exactly 40: review.
    expect(analyzer.evaluate(totalling(base(), 300_000))).toMatchObject({ outcome: 'REVIEW', score: 40 });
    // 60 + 40 + 25 + 10 = 135, capped at 100: rejected by score alone (no hard rule).
    const many = { ...base(), buyer: { ...base().buyer, document: '123', email: 'test@mailinator.com' } };
    const verdict = analyzer.evaluate(many);
    expect(verdict).toMatchObject({ outcome: 'REJECTED', score: 100 });
    expect(verdict.reasons.map((r) => r.code)).toEqual(['INVALID_BUYER_DOCUMENT', 'BLOCKED_EMAIL_DOMAIN', 'TEST_EMAIL_PATTERN']);
  });

  it('lets a hard rule reject whatever the score thresholds say', () => {
    const request = totalling(base(), 10_000, (t) => [{ method: 'CREDIT_CARD', amount: t, card: card(1, '550209') }]);
    const verdict = new RulesAnalyzer({ deniedBins: ['550209'], rejectScore: 1_000, reviewScore: 1_000 }).evaluate(request);
    expect(verdict.outcome).toBe('REJECTED');
    expect(verdict.reasons.map((r) => r.code)).toEqual(['DENIED_CARD_BIN']);
  });

  it('is deterministic: time is measured against placedAt, not the clock', () => {
    const r = totalling(base(), 150_000);
    const request = { ...r, buyer: { ...r.buyer, accountCreatedAt: new Date(r.placedAt.getTime() - 2 * HOUR) } };
    const analyzer = new RulesAnalyzer();
    vi.useFakeTimers();
    vi.setSystemTime(r.placedAt);
    const first = analyzer.evaluate(request);
    vi.setSystemTime(new Date(r.placedAt.getTime() + 30 * 24 * HOUR));
    expect(analyzer.evaluate(request)).toEqual(first);
    expect(first.reasons.map((x) => x.code)).toContain('NEW_ACCOUNT_HIGH_VALUE');
  });

  it('refuses a request that does not add up', async () => {
    const analyzer = new RulesAnalyzer();
    const r = base();
    await expect(analyzer.analyze({ ...r, totals: { ...r.totals, merchandise: r.totals.merchandise + 1 } })).rejects.toThrow(/merchandise/);
    await expect(analyzer.analyze({ ...r, payments: [{ method: 'PIX', amount: r.totals.total - 1 }] })).rejects.toThrow(/payment parts sum/);
    await expect(analyzer.analyze({ ...r, distinctSellers: 1 })).rejects.toThrow(/distinctSellers/);
    await expect(analyzer.analyze({ ...r, payments: [{ method: 'PIX', amount: r.totals.total, card: card() }] })).rejects.toThrow(/card data/);
    await expect(analyzer.analyze({ ...r, items: [{ ...r.items[0]!, quantity: 1.5 }] })).rejects.toThrow(/quantity/);
  });
});

describe('renderRulesMarkdown', () => {
  it('lists every rule with its thresholds and effect, and how scores combine', () => {
    const md = renderRulesMarkdown();
    const rows = md.split('\n').filter((line) => line.startsWith('| `'));
    expect(rows).toHaveLength(RULES.length);
    RULES.forEach((rule, i) => expect(rows[i]).toContain(`\`${rule.code}\``));
    expect(md).toContain('R$ 3.000,00');
    expect(md).toContain('R$ 10.000,00');
    expect(md).toMatch(/\+100, \*\*rejects\*\*/);
    expect(md).toContain('80 or more is `REJECTED`');
    expect(renderRulesMarkdown({ ...DEFAULT_RULE_SETTINGS, deniedBins: ['123456'] })).toContain('(123456)');
  });
});

describe('stateOfCep', () => {
  it('maps postal codes to states, including the split ranges', () => {
    expect(stateOfCep('01310-200')).toBe('SP');
    expect(stateOfCep('22021001')).toBe('RJ');
    expect(stateOfCep('69301-000')).toBe('RR');
    expect(stateOfCep('69400-000')).toBe('AM');
    expect(stateOfCep('72800-000')).toBe('GO');
    expect(stateOfCep('73000-000')).toBe('DF');
    expect(stateOfCep('99999-999')).toBe('RS');
    expect(stateOfCep('00000-000')).toBeNull();
    expect(stateOfCep('1234')).toBeNull();
  });
});
