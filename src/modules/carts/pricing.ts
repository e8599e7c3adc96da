import { allocate } from '../../shared/money/index.js';

/**
 * The cart's arithmetic, in one pure function shared by the cart view and the checkout, so
 * what a shopper sees is exactly what the checkout freezes.
 *
 * - Groups are the future orders: one per seller, the admin seller first, then guest
 *   sellers by concatenation code ascending (the order codes' `n`, and the tie-break of
 *   every split).
 * - The cart's discount (all promotions and the coupon together, capped at the
 *   merchandise) is split over the groups by merchandise value, then inside each group over
 *   its lines by line value — largest remainder both times, so every level sums exactly.
 * - Freight (one quote for the whole cart) is split over the groups by weight (by value when
 *   nothing weighs anything), then over each group's lines the same way.
 * - Each line's discount share is divided into its seller-funded and operator-funded parts
 *   in proportion to how the cart's discounts are funded. Doing it per line (instead of
 *   splitting the seller-funded total separately) guarantees seller part + operator part =
 *   the line's discount share; the commission base needs exactly that per line.
 */

export type FundedBy = 'OPERATOR' | 'SELLER' | 'SHARED';

export interface PricingDiscount {
  amountCents: number;
  /** 0 when the operator pays for it, 100 when the sellers do, 1–99 when shared. */
  sellerSharePercent: number;
}

export interface PricingSeller {
  id: string;
  isAdmin: boolean;
  concatenationCode: string | null;
}

export interface PricingLine {
  /** The caller's identity for the line (cart line id); lines keep their given order inside a group. */
  key: string;
  seller: PricingSeller;
  quantity: number;
  unitPriceCents: number;
  /** Per unit. */
  weightGrams: number;
}

export interface PricedLine {
  key: string;
  quantity: number;
  unitPriceCents: number;
  merchandiseCents: number;
  weightGrams: number;
  discountCents: number;
  sellerFundedDiscountCents: number;
  freightCents: number;
  totalCents: number;
}

export interface PricedGroup {
  seller: PricingSeller;
  /** 1-based position: the `n` of the order code. */
  position: number;
  lines: PricedLine[];
  merchandiseCents: number;
  weightGrams: number;
  discountCents: number;
  sellerFundedDiscountCents: number;
  freightCents: number;
  totalCents: number;
}

export interface PricedCart {
  groups: PricedGroup[];
  merchandiseCents: number;
  weightGrams: number;
  /** What the discounts asked for may exceed the merchandise; this is what applies. */
  discountCents: number;
  sellerFundedDiscountCents: number;
  freightCents: number;
  totalCents: number;
}

/** Admin seller first, then guest sellers by concatenation code (then id, for sellers without one). */
export function compareSellers(a: PricingSeller, b: PricingSeller): number {
  if (a.isAdmin !== b.isAdmin) return a.isAdmin ? -1 : 1;
  const ac = a.concatenationCode ?? '';
  const bc = b.concatenationCode ?? '';
  if (ac !== bc) return ac < bc ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function assertWhole(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${what} must be whole, non-negative, got ${value}`);
}

export function priceCart(input: { lines: readonly PricingLine[]; discounts: readonly PricingDiscount[]; freightCents: number }): PricedCart {
  assertWhole(input.freightCents, 'freight');
  for (const line of input.lines) {
    assertWhole(line.unitPriceCents, `unit price of ${line.key}`);
    assertWhole(line.weightGrams, `weight of ${line.key}`);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) throw new RangeError(`quantity of ${line.key} must be a positive integer`);
  }
  for (const d of input.discounts) {
    assertWhole(d.amountCents, 'discount');
    if (!Number.isInteger(d.sellerSharePercent) || d.sellerSharePercent < 0 || d.sellerSharePercent > 100) throw new RangeError('sellerSharePercent is 0–100');
  }

  const bySeller = new Map<string, { seller: PricingSeller; lines: PricingLine[] }>();
  for (const line of input.lines) {
    const group = bySeller.get(line.seller.id) ?? { seller: line.seller, lines: [] };
    group.lines.push(line);
    bySeller.set(line.seller.id, group);
  }
  const groups = [...bySeller.values()].sort((a, b) => compareSellers(a.seller, b.seller));

  const lineValue = (l: PricingLine) => l.quantity * l.unitPriceCents;
  const lineWeight = (l: PricingLine) => l.quantity * l.weightGrams;
  const groupValues = groups.map((g) => g.lines.reduce((s, l) => s + lineValue(l), 0));
  const groupWeights = groups.map((g) => g.lines.reduce((s, l) => s + lineWeight(l), 0));
  const merchandiseCents = groupValues.reduce((a, b) => a + b, 0);
  const weightGrams = groupWeights.reduce((a, b) => a + b, 0);

  // Funding is a property of the whole discount: what share of it the sellers bear.
  const requested = input.discounts.reduce((s, d) => s + d.amountCents, 0);
  const discountCents = Math.min(requested, merchandiseCents);
  // Scale each discount's seller part by the cap, exactly (a rational kept as two integers).
  const sellerPartNumerator = input.discounts.reduce((s, d) => s + d.amountCents * d.sellerSharePercent, 0); // /100
  const fundingWeights = requested === 0 ? [0, 1] : [sellerPartNumerator, requested * 100 - sellerPartNumerator];

  const groupDiscounts = allocate(discountCents, groupValues);
  const byWeight = weightGrams > 0;
  const groupFreights = groups.length === 0 ? [] : allocate(input.freightCents, byWeight ? groupWeights : groupValues);

  const priced: PricedGroup[] = groups.map((g, i) => {
    const values = g.lines.map(lineValue);
    const weights = g.lines.map(lineWeight);
    const discounts = allocate(groupDiscounts[i]!, values);
    const groupWeighs = weights.some((w) => w > 0);
    const freights = allocate(groupFreights[i]!, groupWeighs ? weights : values);
    const lines: PricedLine[] = g.lines.map((l, j) => {
      const [sellerFunded] = allocate(discounts[j]!, fundingWeights);
      return {
        key: l.key,
        quantity: l.quantity,
        unitPriceCents: l.unitPriceCents,
        merchandiseCents: values[j]!,
        weightGrams: weights[j]!,
        discountCents: discounts[j]!,
        sellerFundedDiscountCents: sellerFunded!,
        freightCents: freights[j]!,
        totalCents: values[j]! - discounts[j]! + freights[j]!,
      };
    });
    const sum = (f: (l: PricedLine) => number) => lines.reduce((s, l) => s + f(l), 0);
    return {
      seller: g.seller,
      position: i + 1,
      lines,
      merchandiseCents: groupValues[i]!,
      weightGrams: groupWeights[i]!,
      discountCents: groupDiscounts[i]!,
      sellerFundedDiscountCents: sum((l) => l.sellerFundedDiscountCents),
      freightCents: groupFreights[i]!,
      totalCents: sum((l) => l.totalCents),
    };
  });

  const freightCents = groups.length === 0 ? 0 : input.freightCents;
  return {
    groups: priced,
    merchandiseCents,
    weightGrams,
    discountCents: groups.length === 0 ? 0 : discountCents,
    sellerFundedDiscountCents: priced.reduce((s, g) => s + g.sellerFundedDiscountCents, 0),
    freightCents,
    totalCents: priced.reduce((s, g) => s + g.totalCents, 0),
  };
}
