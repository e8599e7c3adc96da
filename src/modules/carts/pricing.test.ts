import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCart, type PricingLine, type PricingSeller } from './pricing.js';

const admin: PricingSeller = { id: 'admin', isAdmin: true, concatenationCode: null };
const guest = (code: string): PricingSeller => ({ id: `id-${code}`, isAdmin: false, concatenationCode: code });

/** Random carts: 1–8 sellers (sometimes the admin), 1–4 lines each, prices, weights, discounts, freight. */
const cartArb = fc
  .record({
    withAdmin: fc.boolean(),
    sellerCodes: fc.uniqueArray(fc.stringMatching(/^[A-Z0-9]{2,4}$/), { minLength: 1, maxLength: 8 }),
    lines: fc.array(
      fc.record({
        seller: fc.nat({ max: 7 }),
        quantity: fc.integer({ min: 1, max: 5 }),
        unitPriceCents: fc.integer({ min: 0, max: 500_000 }),
        weightGrams: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30_000 })),
      }),
      { minLength: 1, maxLength: 24 },
    ),
    discounts: fc.array(fc.record({ amountCents: fc.integer({ min: 0, max: 200_000 }), sellerSharePercent: fc.oneof(fc.constant(0), fc.constant(100), fc.integer({ min: 1, max: 99 })) }), {
      maxLength: 3,
    }),
    freightCents: fc.integer({ min: 0, max: 50_000 }),
  })
  .map(({ withAdmin, sellerCodes, lines, discounts, freightCents }) => {
    const sellers = [...(withAdmin ? [admin] : []), ...sellerCodes.map(guest)].slice(0, 8);
    const priced: PricingLine[] = lines.map((l, i) => ({ key: `l${i}`, seller: sellers[l.seller % sellers.length]!, quantity: l.quantity, unitPriceCents: l.unitPriceCents, weightGrams: l.weightGrams }));
    return { lines: priced, discounts, freightCents };
  });

describe('priceCart', () => {
  it('order totals + freight and discount shares sum exactly to the transaction amount, each share within a cent of its proportion', () => {
    fc.assert(
      fc.property(cartArb, (input) => {
        const cart = priceCart(input);
        const merchandise = input.lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0);
        const weight = input.lines.reduce((s, l) => s + l.quantity * l.weightGrams, 0);
        const discount = Math.min(
          input.discounts.reduce((s, d) => s + d.amountCents, 0),
          merchandise,
        );
        expect(cart.merchandiseCents).toBe(merchandise);
        expect(cart.discountCents).toBe(discount);
        expect(cart.totalCents).toBe(merchandise - discount + input.freightCents);
        expect(cart.groups.reduce((s, g) => s + g.totalCents, 0)).toBe(cart.totalCents);
        expect(cart.groups.reduce((s, g) => s + g.freightCents, 0)).toBe(input.freightCents);
        expect(cart.groups.reduce((s, g) => s + g.discountCents, 0)).toBe(discount);
        for (const g of cart.groups) {
          expect(g.totalCents).toBe(g.merchandiseCents - g.discountCents + g.freightCents);
          // Within one cent of the exact proportion: discount by value, freight by weight (value when weightless).
          if (merchandise > 0) expect(Math.abs(g.discountCents - (discount * g.merchandiseCents) / merchandise)).toBeLessThan(1);
          const base = weight > 0 ? [g.weightGrams, weight] : [g.merchandiseCents, merchandise];
          if (base[1]! > 0) expect(Math.abs(g.freightCents - (input.freightCents * base[0]!) / base[1]!)).toBeLessThan(1);
          // A group never gives more discount than its merchandise; lines add up to their group.
          expect(g.discountCents).toBeLessThanOrEqual(g.merchandiseCents);
          expect(g.lines.reduce((s, l) => s + l.discountCents, 0)).toBe(g.discountCents);
          expect(g.lines.reduce((s, l) => s + l.freightCents, 0)).toBe(g.freightCents);
          for (const l of g.lines) {
            expect(l.sellerFundedDiscountCents).toBeGreaterThanOrEqual(0);
            expect(l.sellerFundedDiscountCents).toBeLessThanOrEqual(l.discountCents);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('orders groups admin first, then by concatenation code, numbering them from 1', () => {
    const cart = priceCart({
      lines: [
        { key: 'z', seller: guest('ZED'), quantity: 1, unitPriceCents: 100, weightGrams: 1 },
        { key: 'a', seller: admin, quantity: 1, unitPriceCents: 100, weightGrams: 1 },
        { key: 'b', seller: guest('ALFA'), quantity: 1, unitPriceCents: 100, weightGrams: 1 },
      ],
      discounts: [],
      freightCents: 0,
    });
    expect(cart.groups.map((g) => [g.position, g.seller.concatenationCode])).toEqual([
      [1, null],
      [2, 'ALFA'],
      [3, 'ZED'],
    ]);
  });

  it('the seed example: R$ 50,00 over two sellers by value, freight by weight', () => {
    const cart = priceCart({
      lines: [
        { key: 'a1', seller: admin, quantity: 2, unitPriceCents: 9_990, weightGrams: 500 }, // R$ 199,80, 1 kg
        { key: 'b1', seller: guest('ALFA'), quantity: 1, unitPriceCents: 15_990, weightGrams: 3_000 }, // R$ 159,90, 3 kg
      ],
      discounts: [{ amountCents: 5_000, sellerSharePercent: 0 }],
      freightCents: 2_999,
    });
    // 5000 × 19980/35970 = 2777.31… → 2777; 5000 × 15990/35970 = 2222.68… → 2223 (the larger remainder).
    expect(cart.groups.map((g) => g.discountCents)).toEqual([2_777, 2_223]);
    // 2999 × 1/4 = 749.75 → 750; 2999 × 3/4 = 2249.25 → 2249.
    expect(cart.groups.map((g) => g.freightCents)).toEqual([750, 2_249]);
    expect(cart.groups.map((g) => g.totalCents)).toEqual([19_980 - 2_777 + 750, 15_990 - 2_223 + 2_249]);
    expect(cart.totalCents).toBe(35_970 - 5_000 + 2_999);
  });

  it('splits a shared discount between seller and operator on every line', () => {
    const cart = priceCart({
      lines: [{ key: 'x', seller: guest('ALFA'), quantity: 1, unitPriceCents: 10_000, weightGrams: 0 }],
      discounts: [
        { amountCents: 1_000, sellerSharePercent: 100 },
        { amountCents: 1_000, sellerSharePercent: 30 },
        { amountCents: 1_000, sellerSharePercent: 0 },
      ],
      freightCents: 0,
    });
    expect(cart.groups[0]!.lines[0]!.discountCents).toBe(3_000);
    expect(cart.groups[0]!.lines[0]!.sellerFundedDiscountCents).toBe(1_300);
  });
});

describe('priceCart with campaign lines and freight campaigns', () => {
  /** The random carts above, with random campaign discounts on some lines and freight campaigns on some sellers. */
  const campaignCartArb = fc
    .tuple(
      cartArb,
      fc.array(fc.option(fc.record({ unitOff: fc.integer({ min: 0, max: 600_000 }), sellerSharePercent: fc.oneof(fc.constant(100), fc.integer({ min: 1, max: 99 })) })), { minLength: 24, maxLength: 24 }),
      fc.array(fc.option(fc.oneof(fc.record({ basisPoints: fc.integer({ min: 1, max: 10_000 }) }), fc.record({ fixedCents: fc.integer({ min: 1, max: 60_000 }) }))), { minLength: 8, maxLength: 8 }),
    )
    .map(([input, offs, freight]) => {
      const lines = input.lines.map((l, i) => {
        const off = offs[i];
        return off ? { ...l, campaign: { amountCents: Math.min(off.unitOff, l.unitPriceCents) * l.quantity, sellerSharePercent: off.sellerSharePercent } } : l;
      });
      const sellers = [...new Map(lines.map((l) => [l.seller.id, l.seller])).values()];
      const freightDiscounts = sellers.flatMap((s, i) => (freight[i] ? [{ sellerId: s.id, ...freight[i]! }] : []));
      return { ...input, lines, freightDiscounts };
    });

  it('stays exact: every level sums, campaign parts split by the largest remainder, nothing exceeds its base', () => {
    fc.assert(
      fc.property(campaignCartArb, (input) => {
        const cart = priceCart(input);
        const merchandise = input.lines.reduce((s, l) => s + l.quantity * l.unitPriceCents, 0);
        const campaign = input.lines.reduce((s, l) => s + (l.campaign?.amountCents ?? 0), 0);
        const cartDiscount = Math.min(input.discounts.reduce((s, d) => s + d.amountCents, 0), merchandise - campaign);
        expect(cart.campaignDiscountCents).toBe(campaign);
        expect(cart.cartDiscountCents).toBe(cartDiscount);
        expect(cart.discountCents).toBe(campaign + cartDiscount + cart.freightDiscountCents);
        expect(cart.totalCents).toBe(merchandise - cart.discountCents + input.freightCents);
        expect(cart.groups.reduce((s, g) => s + g.totalCents, 0)).toBe(cart.totalCents);
        const net = merchandise - campaign;
        const byKey = new Map(input.lines.map((l) => [l.key, l]));
        for (const g of cart.groups) {
          expect(g.totalCents).toBe(g.merchandiseCents - g.discountCents + g.freightCents);
          expect(g.freightDiscountCents).toBeLessThanOrEqual(g.freightCents);
          if (!input.freightDiscounts.some((d) => d.sellerId === g.seller.id)) expect(g.freightDiscountCents).toBe(0);
          expect(g.lines.reduce((s, l) => s + l.freightDiscountCents, 0)).toBe(g.freightDiscountCents);
          const groupNet = g.merchandiseCents - g.campaignDiscountCents;
          const groupCartDiscount = g.discountCents - g.campaignDiscountCents - g.freightDiscountCents;
          // Vouchers prorate over merchandise after line discounts: within a cent of the exact share.
          if (net > 0) expect(Math.abs(groupCartDiscount - (cartDiscount * groupNet) / net)).toBeLessThan(1);
          for (const l of g.lines) {
            const given = byKey.get(l.key)!;
            expect(l.campaignDiscountCents).toBe(given.campaign?.amountCents ?? 0);
            expect(l.discountCents).toBeLessThanOrEqual(l.merchandiseCents);
            expect(l.totalCents).toBe(l.merchandiseCents - l.discountCents + l.freightCents);
            // The campaign's seller part is the largest-remainder split of the line's campaign discount.
            const share = given.campaign?.sellerSharePercent ?? 100;
            expect(Math.abs(l.campaignSellerFundedCents - (l.campaignDiscountCents * share) / 100)).toBeLessThan(1);
            expect(l.campaignSellerFundedCents + l.freightDiscountCents).toBeLessThanOrEqual(l.sellerFundedDiscountCents);
            expect(l.sellerFundedDiscountCents).toBeLessThanOrEqual(l.discountCents);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a freight campaign takes basis points of the seller\'s freight share, capped at that share', () => {
    const cart = priceCart({
      lines: [
        { key: 'a', seller: guest('ALFA'), quantity: 1, unitPriceCents: 10_000, weightGrams: 1_000 },
        { key: 'b', seller: guest('BETA'), quantity: 1, unitPriceCents: 10_000, weightGrams: 3_000, campaign: { amountCents: 1_000, sellerSharePercent: 100 } },
      ],
      discounts: [],
      freightCents: 2_999,
      freightDiscounts: [{ sellerId: 'id-BETA', basisPoints: 5_000 }, { sellerId: 'id-ALFA', fixedCents: 99_999 }],
    });
    expect(cart.groups.map((g) => [g.freightCents, g.freightDiscountCents])).toEqual([
      [750, 750],
      [2_249, 1_124],
    ]);
    expect(cart.groups[1]!.lines[0]!.sellerFundedDiscountCents).toBe(1_000 + 1_124);
  });
});
