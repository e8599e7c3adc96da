import 'reflect-metadata';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../shared/errors/index.js';
import { CarrierError, type FreightCarrier } from './carrier.js';
import { NoFreightAvailableError, quoteCart, splitFreight, type FreightSetup } from './freight.service.js';
import type { CarrierOption, ContingencyTable, FreightRule, QuoteRequest, ShippingTable, ShippingTableRow } from './shipping.types.js';

const everywhere = (priceCents: number, days: number, weightToGrams = 30_000): ShippingTableRow => ({
  postalCodeFrom: '00000000',
  postalCodeTo: '99999999',
  weightFromGrams: 0,
  weightToGrams,
  priceCents,
  days,
});

const pac: ShippingTable = { id: 'pac', carrier: 'Correios', method: 'PAC', scheduled: false, rows: [everywhere(2000, 7)] };
const sedex: ShippingTable = { id: 'sedex', carrier: 'Correios', method: 'SEDEX', scheduled: false, rows: [everywhere(4000, 2)] };
const scheduled: ShippingTable = { id: 'agendada', carrier: 'Loggi', method: 'Entrega agendada', scheduled: true, rows: [everywhere(2500, 3)] };
const contingency: ContingencyTable = { id: 'cont', carrier: 'Loja', method: 'Entrega padrão', rows: [everywhere(3500, 10)] };

const request: QuoteRequest = {
  originPostalCode: '01310-100',
  destinationPostalCode: '20040-020',
  weightGrams: 1200,
  merchandiseCents: 15000,
  hasGuestSellerItems: false,
};

const setup = (over: Partial<FreightSetup> = {}): FreightSetup => ({ tables: [pac, sedex], carriers: [], contingency, rules: [], ...over });

const fakeCarrier = (name: string, answer: () => Promise<CarrierOption[]>): FreightCarrier => ({ name, quote: answer });

describe('quoteCart', () => {
  it('offers every table that has a row, cheapest first', async () => {
    const quote = await quoteCart(request, setup());
    expect(quote.options.map((o) => [o.method, o.priceCents, o.source])).toEqual([
      ['PAC', 2000, 'TABLE'],
      ['SEDEX', 4000, 'TABLE'],
    ]);
    expect(quote.failures).toEqual([]);
  });

  it('passes normalised CEPs to carriers and keeps their options next to the tables', async () => {
    const seen: QuoteRequest[] = [];
    const live = fakeCarrier('live', async () => [{ method: 'Expresso', carrier: 'Jadlog', priceCents: 3000, days: 3, scheduled: false }]);
    const spy: FreightCarrier = { name: 'live', quote: (r, s) => (seen.push(r), live.quote(r, s)) };
    const quote = await quoteCart(request, setup({ carriers: [spy] }));
    expect(seen[0]).toMatchObject({ originPostalCode: '01310100', destinationPostalCode: '20040020' });
    expect(quote.options.map((o) => [o.method, o.source])).toEqual([
      ['PAC', 'TABLE'],
      ['Expresso', 'CARRIER'],
      ['SEDEX', 'TABLE'],
    ]);
  });

  it('records a failing carrier and still quotes from the others', async () => {
    const broken = fakeCarrier('broken', async () => {
      throw new Error('socket hang up');
    });
    const refused = fakeCarrier('refused', async () => {
      throw new CarrierError('HTTP_ERROR', 'HTTP 503');
    });
    const quote = await quoteCart(request, setup({ carriers: [broken, refused] }));
    expect(quote.options.map((o) => o.source)).toEqual(['TABLE', 'TABLE']);
    expect(quote.failures).toEqual([
      { source: 'CARRIER', carrier: 'broken', reason: 'ERROR', detail: 'socket hang up' },
      { source: 'CARRIER', carrier: 'refused', reason: 'HTTP_ERROR', detail: 'HTTP 503' },
    ]);
  });

  it('keeps the cheaper of a table and a live quote for the same carrier and method', async () => {
    const live = fakeCarrier('frenet', async () => [{ method: 'PAC', carrier: 'Correios', priceCents: 1800, days: 8, scheduled: false }]);
    const quote = await quoteCart(request, setup({ carriers: [live] }));
    expect(quote.options.filter((o) => o.method === 'PAC')).toEqual([{ method: 'PAC', carrier: 'Correios', priceCents: 1800, days: 8, scheduled: false, source: 'CARRIER' }]);
  });

  it('falls back to the contingency table when no table row matches, naming each table', async () => {
    const light = { ...pac, rows: [everywhere(2000, 7, 1000)] };
    const quote = await quoteCart(request, setup({ tables: [light] }));
    expect(quote.options).toEqual([{ method: 'Entrega padrão', carrier: 'Loja', priceCents: 3500, days: 10, scheduled: false, source: 'CONTINGENCY' }]);
    expect(quote.failures).toEqual([{ source: 'TABLE', carrier: 'Correios', reason: 'NO_MATCHING_ROW', detail: 'Table pac (PAC) has no row.' }]);
  });

  it('throws NO_FREIGHT_AVAILABLE when the contingency table has no row either', async () => {
    const err = await quoteCart({ ...request, weightGrams: 40_000 }, setup()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NoFreightAvailableError);
    expect(err).toMatchObject({ code: 'NO_FREIGHT_AVAILABLE', failures: [{ reason: 'NO_MATCHING_ROW' }, { reason: 'NO_MATCHING_ROW' }] });
    await expect(quoteCart({ ...request, weightGrams: 40_000 }, setup({ contingency: undefined }))).rejects.toBeInstanceOf(NoFreightAvailableError);
  });

  it('refuses a malformed request as bad input, naming every field', async () => {
    const err = await quoteCart({ ...request, destinationPostalCode: '2004-020', weightGrams: -1 }, setup()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).errors.map((e) => [e.code, e.field])).toEqual([
      [ErrorCode.BAD_USER_INPUT, ['destinationPostalCode']],
      [ErrorCode.BAD_USER_INPUT, ['weightGrams']],
    ]);
  });

  describe('scheduled delivery', () => {
    it('is offered when every item is the operator’s', async () => {
      const quote = await quoteCart(request, setup({ tables: [pac, scheduled] }));
      expect(quote.options.map((o) => o.method)).toEqual(['PAC', 'Entrega agendada']);
      expect(quote.excluded).toEqual([]);
    });

    it('is removed, and said so, for a cart with a guest seller’s items', async () => {
      const live = fakeCarrier('loggi', async () => [{ method: 'Agendada expressa', carrier: 'Loggi', priceCents: 2900, days: 1, scheduled: true }]);
      const quote = await quoteCart({ ...request, hasGuestSellerItems: true }, setup({ tables: [pac, scheduled], carriers: [live] }));
      expect(quote.options.map((o) => o.method)).toEqual(['PAC']);
      expect(quote.excluded).toEqual([
        { method: 'Entrega agendada', carrier: 'Loggi', reason: 'SCHEDULED_DELIVERY_NOT_FOR_MARKETPLACE' },
        { method: 'Agendada expressa', carrier: 'Loggi', reason: 'SCHEDULED_DELIVERY_NOT_FOR_MARKETPLACE' },
      ]);
    });

    it('leaves the contingency table when it was the only method', async () => {
      const quote = await quoteCart({ ...request, hasGuestSellerItems: true }, setup({ tables: [scheduled] }));
      expect(quote.options.map((o) => [o.method, o.source])).toEqual([['Entrega padrão', 'CONTINGENCY']]);
      expect(quote.excluded).toHaveLength(1);
    });
  });

  describe('store rules', () => {
    const freeAbove200: FreightRule = { kind: 'FREE_SHIPPING', id: 'free-200', minMerchandiseCents: 20000, methods: ['PAC', 'Entrega padrão'] };

    it('makes the rule’s methods free from the threshold on, keeping what they would have cost', async () => {
      const quote = await quoteCart({ ...request, merchandiseCents: 20000 }, setup({ rules: [freeAbove200] }));
      expect(quote.options).toEqual([
        {
          method: 'PAC',
          carrier: 'Correios',
          priceCents: 0,
          days: 7,
          scheduled: false,
          source: 'RULE',
          rule: { id: 'free-200', kind: 'FREE_SHIPPING' },
          quoted: { source: 'TABLE', priceCents: 2000 },
        },
        { method: 'SEDEX', carrier: 'Correios', priceCents: 4000, days: 2, scheduled: false, source: 'TABLE' },
      ]);
    });

    it('does not apply below the threshold or outside its ranges', async () => {
      const south: FreightRule = { kind: 'FREE_SHIPPING', id: 'south', postalCodeRanges: [{ from: '80000000', to: '99999999' }] };
      const quote = await quoteCart({ ...request, merchandiseCents: 19999 }, setup({ rules: [freeAbove200, south] }));
      expect(quote.options.map((o) => o.source)).toEqual(['TABLE', 'TABLE']);
      const inSouth = await quoteCart({ ...request, destinationPostalCode: '90010-000' }, setup({ rules: [south] }));
      expect(inSouth.options.map((o) => o.priceCents)).toEqual([0, 0]);
    });

    it('applies free shipping to a contingency quote too', async () => {
      const down = fakeCarrier('down', async () => {
        throw new CarrierError('TIMEOUT', 'slow');
      });
      const quote = await quoteCart({ ...request, merchandiseCents: 25000 }, setup({ tables: [], carriers: [down], rules: [freeAbove200] }));
      expect(quote.options).toEqual([
        expect.objectContaining({ method: 'Entrega padrão', priceCents: 0, source: 'RULE', quoted: { source: 'CONTINGENCY', priceCents: 3500 } }),
      ]);
      expect(quote.failures).toEqual([expect.objectContaining({ carrier: 'down', reason: 'TIMEOUT' })]);
    });

    it('lets custom freight replace tables and carriers for its range, under free shipping', async () => {
      let asked = 0;
      const live = fakeCarrier('live', async () => (asked++, []));
      const city: FreightRule = {
        kind: 'CUSTOM_FREIGHT',
        id: 'rio-motoboy',
        postalCodeRanges: [{ from: '20000000', to: '23799999' }],
        carrier: 'Loja',
        method: 'Motoboy',
        priceCents: 990,
        days: 1,
      };
      const quote = await quoteCart(request, setup({ carriers: [live], rules: [city] }));
      expect(asked).toBe(0);
      expect(quote.options).toEqual([
        { method: 'Motoboy', carrier: 'Loja', priceCents: 990, days: 1, scheduled: false, source: 'RULE', rule: { id: 'rio-motoboy', kind: 'CUSTOM_FREIGHT' } },
      ]);

      const free: FreightRule = { kind: 'FREE_SHIPPING', id: 'free-all', minMerchandiseCents: 10000 };
      const freeQuote = await quoteCart(request, setup({ rules: [city, free] }));
      expect(freeQuote.options).toEqual([
        expect.objectContaining({ priceCents: 0, rule: { id: 'free-all', kind: 'FREE_SHIPPING' }, quoted: { source: 'RULE', priceCents: 990, ruleId: 'rio-motoboy' } }),
      ]);

      const elsewhere = await quoteCart({ ...request, destinationPostalCode: '01310-100' }, setup({ rules: [city] }));
      expect(elsewhere.options.map((o) => o.source)).toEqual(['TABLE', 'TABLE']);
    });
  });
});

describe('splitFreight', () => {
  const group = fc.record({ weightGrams: fc.nat({ max: 50_000 }), merchandiseCents: fc.nat({ max: 5_000_000 }) });
  const exactShares = (price: number, bases: number[]) => {
    const sum = bases.reduce((a, b) => a + b, 0);
    return bases.map((b) => (price * b) / sum);
  };

  it('sums exactly and keeps each share within one cent of its proportion by weight', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.array(group, { minLength: 1, maxLength: 10 }), (price, groups) => {
        fc.pre(groups.some((g) => g.weightGrams > 0));
        const parts = splitFreight(price, groups);
        expect(parts.reduce((a, b) => a + b, 0)).toBe(price);
        const exact = exactShares(
          price,
          groups.map((g) => g.weightGrams),
        );
        parts.forEach((p, i) => expect(Math.abs(p - exact[i]!)).toBeLessThan(1));
      }),
    );
  });

  it('splits by merchandise value when nothing weighs anything', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.array(fc.nat({ max: 5_000_000 }), { minLength: 1, maxLength: 10 }), (price, values) => {
        fc.pre(values.some((v) => v > 0));
        const parts = splitFreight(
          price,
          values.map((merchandiseCents) => ({ weightGrams: 0, merchandiseCents })),
        );
        expect(parts.reduce((a, b) => a + b, 0)).toBe(price);
        const exact = exactShares(price, values);
        parts.forEach((p, i) => expect(Math.abs(p - exact[i]!)).toBeLessThan(1));
      }),
    );
  });

  it('splits equally when neither weights nor values say anything', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000_000 }), fc.integer({ min: 1, max: 10 }), (price, n) => {
        const parts = splitFreight(price, Array.from({ length: n }, () => ({ weightGrams: 0, merchandiseCents: 0 })));
        expect(parts.reduce((a, b) => a + b, 0)).toBe(price);
        expect(Math.max(...parts) - Math.min(...parts)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('gives leftover cents by largest remainder, ties to the larger base then the earlier order', () => {
    expect(splitFreight(1000, [{ weightGrams: 1, merchandiseCents: 0 }, { weightGrams: 1, merchandiseCents: 0 }, { weightGrams: 1, merchandiseCents: 0 }])).toEqual([334, 333, 333]);
    expect(splitFreight(1001, [{ weightGrams: 300, merchandiseCents: 9 }, { weightGrams: 700, merchandiseCents: 1 }])).toEqual([300, 701]);
    expect(splitFreight(100, [{ weightGrams: 0, merchandiseCents: 1000 }, { weightGrams: 0, merchandiseCents: 3000 }])).toEqual([25, 75]);
    expect(splitFreight(0, [])).toEqual([]);
    expect(() => splitFreight(100, [])).toThrow(RangeError);
    expect(() => splitFreight(12.5, [{ weightGrams: 1, merchandiseCents: 1 }])).toThrow(RangeError);
  });
});
