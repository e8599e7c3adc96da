import { allocate, basisPointsOf } from '../../shared/money/index.js';

/**
 * The cart's arithmetic, in one pure function shared by the cart view and the checkout, so
 * what a shopper sees is exactly what the checkout freezes.
 *
 * - Groups are the future orders: one per seller, the admin seller first, then guest
 *   sellers by concatenation code ascending (the order codes' `n`, and the tie-break of
 *   every split).
 * - A campaign line discount (a seller joined the SKU to a running campaign) comes first: the
 *   merchandise stays at the SKU price and the line carries the discount, its seller-funded
 *   part split off by the largest remainder (design.md, Campaigns).
 * - The cart's discount (all promotions and the coupon together, capped at the merchandise
 *   left after line discounts) is split over the groups by that net merchandise, then inside
 *   each group over its lines by net line value — largest remainder both times, so every
 *   level sums exactly: vouchers prorate over merchandise after line discounts.
 * - Freight (one quote for the whole cart) is split over the groups by weight (by value when
 *   nothing weighs anything), then over each group's lines the same way.
 * - A freight campaign of a group's seller lowers what the buyer pays for that group's freight
 *   share (capped at the share and at what is left of the group's merchandise). The operator's
 *   freight revenue stays whole: the seller funds it, so it is booked as a seller-funded
 *   discount spread over the group's lines by net value (order total = merchandise − discount
 *   share + freight share still holds, and refunds use the same frozen figures).
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
  /** A running campaign's discount on the whole line (≤ quantity × unit price), and the seller's share of its cost. */
  campaign?: { amountCents: number; sellerSharePercent: number } | null;
}

/** A freight campaign on one seller's order: basis points of its freight share, or a fixed amount off it. Seller-funded. */
export interface PricingFreightDiscount {
  sellerId: string;
  basisPoints?: number | null;
  fixedCents?: number | null;
}

export interface PricedLine {
  key: string;
  quantity: number;
  unitPriceCents: number;
  merchandiseCents: number;
  weightGrams: number;
  /** Every discount on the line: campaign + its share of the cart's discounts + its share of a freight campaign. */
  discountCents: number;
  sellerFundedDiscountCents: number;
  /** The campaign line discount (a part of discountCents) and its seller-funded part. */
  campaignDiscountCents: number;
  campaignSellerFundedCents: number;
  /** The line's part of its order's freight campaign discount (a part of discountCents, all seller-funded). */
  freightDiscountCents: number;
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
  campaignDiscountCents: number;
  freightDiscountCents: number;
  freightCents: number;
  totalCents: number;
}

export interface PricedCart {
  groups: PricedGroup[];
  merchandiseCents: number;
  weightGrams: number;
  /** Every discount that applies: campaign line discounts + the cart's discounts (capped) + freight campaigns. */
  discountCents: number;
  /** The promotions' and coupon's part: what they asked for may exceed the merchandise left; this is what applies. */
  cartDiscountCents: number;
  campaignDiscountCents: number;
  freightDiscountCents: number;
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

export function priceCart(input: {
  lines: readonly PricingLine[];
  discounts: readonly PricingDiscount[];
  freightCents: number;
  freightDiscounts?: readonly PricingFreightDiscount[];
}): PricedCart {
  assertWhole(input.freightCents, 'freight');
  for (const line of input.lines) {
    assertWhole(line.unitPriceCents, `unit price of ${line.key}`);
    assertWhole(line.weightGrams, `weight of ${line.key}`);
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1) throw new RangeError(`quantity of ${line.key} must be a positive integer`);
    if (line.campaign) {
      assertWhole(line.campaign.amountCents, `campaign discount of ${line.key}`);
      if (line.campaign.amountCents > line.quantity * line.unitPriceCents) throw new RangeError(`campaign discount of ${line.key} exceeds its merchandise`);
      assertShare(line.campaign.sellerSharePercent);
    }
  }
  for (const d of input.discounts) {
    assertWhole(d.amountCents, 'discount');
    assertShare(d.sellerSharePercent);
  }
  const freightDiscountOf = new Map((input.freightDiscounts ?? []).map((d) => [d.sellerId, d]));

  const bySeller = new Map<string, { seller: PricingSeller; lines: PricingLine[] }>();
  for (const line of input.lines) {
    const group = bySeller.get(line.seller.id) ?? { seller: line.seller, lines: [] };
    group.lines.push(line);
    bySeller.set(line.seller.id, group);
  }
  const groups = [...bySeller.values()].sort((a, b) => compareSellers(a.seller, b.seller));

  const lineValue = (l: PricingLine) => l.quantity * l.unitPriceCents;
  const lineCampaign = (l: PricingLine) => l.campaign?.amountCents ?? 0;
  const lineNet = (l: PricingLine) => lineValue(l) - lineCampaign(l);
  const lineWeight = (l: PricingLine) => l.quantity * l.weightGrams;
  const sumOf = (ls: readonly PricingLine[], f: (l: PricingLine) => number) => ls.reduce((s, l) => s + f(l), 0);
  const groupValues = groups.map((g) => sumOf(g.lines, lineValue));
  const groupNets = groups.map((g) => sumOf(g.lines, lineNet));
  const groupWeights = groups.map((g) => sumOf(g.lines, lineWeight));
  const merchandiseCents = groupValues.reduce((a, b) => a + b, 0);
  const netMerchandiseCents = groupNets.reduce((a, b) => a + b, 0);
  const weightGrams = groupWeights.reduce((a, b) => a + b, 0);

  // Funding is a property of the whole discount: what share of it the sellers bear.
  const requested = input.discounts.reduce((s, d) => s + d.amountCents, 0);
  const cartDiscountCents = Math.min(requested, netMerchandiseCents);
  // Scale each discount's seller part by the cap, exactly (a rational kept as two integers).
  const sellerPartNumerator = input.discounts.reduce((s, d) => s + d.amountCents * d.sellerSharePercent, 0); // /100
  const fundingWeights = requested === 0 ? [0, 1] : [sellerPartNumerator, requested * 100 - sellerPartNumerator];

  const groupDiscounts = allocate(cartDiscountCents, groupNets);
  const byWeight = weightGrams > 0;
  const groupFreights = groups.length === 0 ? [] : allocate(input.freightCents, byWeight ? groupWeights : groupValues);

  const priced: PricedGroup[] = groups.map((g, i) => {
    const values = g.lines.map(lineValue);
    const nets = g.lines.map(lineNet);
    const weights = g.lines.map(lineWeight);
    const discounts = allocate(groupDiscounts[i]!, nets);
    const groupWeighs = weights.some((w) => w > 0);
    const freights = allocate(groupFreights[i]!, groupWeighs ? weights : values);
    // The seller's freight campaign: never more than the freight share, nor than the merchandise left to carry it.
    const fd = freightDiscountOf.get(g.seller.id);
    const left = nets.map((n, j) => n - discounts[j]!);
    const wantedFreightDiscount = !fd ? 0 : fd.basisPoints != null ? basisPointsOf(groupFreights[i]!, fd.basisPoints) : (fd.fixedCents ?? 0);
    const freightDiscount = Math.min(wantedFreightDiscount, groupFreights[i]!, left.reduce((a, b) => a + b, 0));
    const freightDiscounts = allocate(freightDiscount, left);
    const lines: PricedLine[] = g.lines.map((l, j) => {
      const [sellerFunded] = allocate(discounts[j]!, fundingWeights);
      const campaign = lineCampaign(l);
      const [campaignSeller] = allocate(campaign, l.campaign ? [l.campaign.sellerSharePercent, 100 - l.campaign.sellerSharePercent] : [1, 0]);
      const discount = campaign + discounts[j]! + freightDiscounts[j]!;
      return {
        key: l.key,
        quantity: l.quantity,
        unitPriceCents: l.unitPriceCents,
        merchandiseCents: values[j]!,
        weightGrams: weights[j]!,
        discountCents: discount,
        sellerFundedDiscountCents: campaignSeller! + sellerFunded! + freightDiscounts[j]!,
        campaignDiscountCents: campaign,
        campaignSellerFundedCents: campaignSeller!,
        freightDiscountCents: freightDiscounts[j]!,
        freightCents: freights[j]!,
        totalCents: values[j]! - discount + freights[j]!,
      };
    });
    const sum = (f: (l: PricedLine) => number) => lines.reduce((s, l) => s + f(l), 0);
    return {
      seller: g.seller,
      position: i + 1,
      lines,
      merchandiseCents: groupValues[i]!,
      weightGrams: groupWeights[i]!,
      discountCents: sum((l) => l.discountCents),
      sellerFundedDiscountCents: sum((l) => l.sellerFundedDiscountCents),
      campaignDiscountCents: sum((l) => l.campaignDiscountCents),
      freightDiscountCents: freightDiscount,
      freightCents: groupFreights[i]!,
      totalCents: sum((l) => l.totalCents),
    };
  });

  const freightCents = groups.length === 0 ? 0 : input.freightCents;
  const total = (f: (g: PricedGroup) => number) => priced.reduce((s, g) => s + f(g), 0);
  return {
    groups: priced,
    merchandiseCents,
    weightGrams,
    discountCents: total((g) => g.discountCents),
    cartDiscountCents: groups.length === 0 ? 0 : cartDiscountCents,
    campaignDiscountCents: total((g) => g.campaignDiscountCents),
    freightDiscountCents: total((g) => g.freightDiscountCents),
    sellerFundedDiscountCents: total((g) => g.sellerFundedDiscountCents),
    freightCents,
    totalCents: total((g) => g.totalCents),
  };
}

function assertShare(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) throw new RangeError('sellerSharePercent is 0–100');
}
