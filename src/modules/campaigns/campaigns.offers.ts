import type { EntityManager } from '@mikro-orm/postgresql';
import { basisPointsOf, centsFromDb } from '../../shared/money/index.js';
import { Campaign, CampaignDiscountType, CampaignFunding, CampaignKind, CampaignPaymentMethod, CampaignSku } from './campaigns.entity.js';
import { flushPendingOf } from '../../shared/db/together.js';

/*
 * What the cart's one pricing path asks of campaigns: the offers running now for its SKUs (one
 * query for all of them), and what an offer takes off a line or an order's freight for a given
 * way of paying. Nothing here knows about carts: the carts module feeds the results to
 * priceCart, which freezes them as line discounts.
 */

/** One way the cart is paid: a single tender, or each part of a combined payment. */
export interface PaidWith {
  method: 'PIX' | 'CARD' | 'BANK_DEPOSIT' | 'VOUCHER';
  /** Card installments; 1 for the others. */
  installments: number;
}

/** A SKU's place in a running campaign, with the discount its seller chose. */
export interface CampaignOffer {
  campaignId: string;
  campaignName: string;
  kind: CampaignKind;
  paymentMethod: CampaignPaymentMethod | null;
  discountType: CampaignDiscountType;
  /** Basis points or centavos (per unit; per order for FREIGHT), as discountType says. */
  discount: number;
  /** The seller's part of the cost: 100 when SELLER-funded, 100 − the operator's share when SHARED. */
  sellerSharePercent: number;
  sellerId: string;
  skuId: string;
  startsAt: Date;
}

export const sellerShareOfCampaign = (c: Pick<Campaign, 'funding' | 'operatorSharePercent'>) =>
  c.funding === CampaignFunding.SHARED ? 100 - (c.operatorSharePercent ?? 0) : 100;

/** Running at `now`: published, startsAt ≤ now < endsAt (the end is exclusive, so prices revert at it by themselves). */
export const runningAt = (c: Pick<Campaign, 'publishedAt' | 'startsAt' | 'endsAt'>, now: Date) => !!c.publishedAt && c.startsAt <= now && now < c.endsAt;

/**
 * The offers running at `now` for these SKUs, by SKU id, in one query: plain rows (nothing here
 * becomes an entity; the cart's pricing reads figures), the campaign's columns beside its SKU's.
 */
export async function campaignOffersAt(em: EntityManager, skuIds: readonly string[], now: Date): Promise<Map<string, CampaignOffer[]>> {
  const out = new Map<string, CampaignOffer[]>();
  if (!skuIds.length) return out;
  // As a find would (flush mode AUTO): what this unit of work changed in campaigns is written first.
  await flushPendingOf(em, Campaign, CampaignSku);
  const rows = await em.execute<OfferRow[]>(
    `select c.id, c.name, c.kind, c.payment_method, c.discount_type, c.funding, c.operator_share_percent, c.starts_at, s.discount, s.seller_id, s.sku_id
       from campaign_sku s join campaign c on c.id = s.campaign_id
      where s.sku_id in (?) and c.published_at is not null and c.starts_at <= ? and c.ends_at > ?
      order by c.starts_at, c.id`,
    [[...new Set(skuIds)], now, now],
  );
  for (const row of rows) {
    const offer: CampaignOffer = {
      campaignId: row.id,
      campaignName: row.name,
      kind: row.kind,
      paymentMethod: row.payment_method ?? null,
      discountType: row.discount_type,
      discount: centsFromDb(row.discount),
      sellerSharePercent: sellerShareOfCampaign({ funding: row.funding, operatorSharePercent: row.operator_share_percent }),
      sellerId: row.seller_id,
      skuId: row.sku_id,
      startsAt: new Date(row.starts_at),
    };
    out.set(offer.skuId, [...(out.get(offer.skuId) ?? []), offer]);
  }
  return out;
}

interface OfferRow {
  id: string;
  name: string;
  kind: CampaignKind;
  payment_method: CampaignPaymentMethod | null;
  discount_type: CampaignDiscountType;
  funding: CampaignFunding;
  operator_share_percent: number | null;
  starts_at: Date | string;
  discount: string | number;
  seller_id: string;
  sku_id: string;
}

const paidAtOnce = (p: PaidWith) => p.method === 'PIX' || p.method === 'BANK_DEPOSIT' || (p.method === 'CARD' && p.installments === 1);

/**
 * Whether the way of paying earns the offer. A payment-conditioned discount needs the WHOLE
 * cart paid by qualifying methods: every part, and at least one (the cart view without a chosen
 * payment shows it only per payment option). A gift card (VOUCHER) is stored value, never "à vista".
 */
export function paymentQualifies(offer: Pick<CampaignOffer, 'kind' | 'paymentMethod'>, paidWith: readonly PaidWith[] | null): boolean {
  switch (offer.kind) {
    case CampaignKind.PRICE:
    case CampaignKind.FREIGHT:
      return true;
    case CampaignKind.CASH_PRICE:
      return !!paidWith?.length && paidWith.every(paidAtOnce);
    case CampaignKind.PAYMENT_METHOD:
      return !!paidWith?.length && paidWith.every((p) => p.method === offer.paymentMethod);
  }
}

/** Centavos off one unit: basis points of the price rounded down, or a fixed amount; never more than the price. */
export function unitDiscountOf(offer: Pick<CampaignOffer, 'discountType' | 'discount'>, unitPriceCents: number): number {
  const off = offer.discountType === CampaignDiscountType.PERCENTAGE ? basisPointsOf(unitPriceCents, offer.discount) : offer.discount;
  return Math.max(0, Math.min(off, unitPriceCents));
}

export interface LineCampaign {
  campaignId: string;
  campaignName: string;
  /** Per unit and for the line (unit × quantity, so the campaign price is a whole unit price). */
  unitDiscountCents: number;
  amountCents: number;
  sellerSharePercent: number;
}

/**
 * The campaign discount of a line: among the SKU's running line offers the payment earns, the
 * largest (ties: the campaign that started first). One campaign per line; none gives null.
 */
export function lineCampaign(offers: readonly CampaignOffer[] | undefined, unitPriceCents: number, quantity: number, paidWith: readonly PaidWith[] | null): LineCampaign | null {
  let best: LineCampaign | null = null;
  for (const o of offers ?? []) {
    if (o.kind === CampaignKind.FREIGHT || !paymentQualifies(o, paidWith)) continue;
    const unit = unitDiscountOf(o, unitPriceCents);
    if (unit > 0 && (!best || unit > best.unitDiscountCents)) {
      best = { campaignId: o.campaignId, campaignName: o.campaignName, unitDiscountCents: unit, amountCents: unit * quantity, sellerSharePercent: o.sellerSharePercent };
    }
  }
  return best;
}

export interface FreightCampaign {
  sellerId: string;
  campaignId: string;
  campaignName: string;
  basisPoints: number | null;
  fixedCents: number | null;
}

/**
 * Each seller's freight campaign for a cart: a running FREIGHT offer on any of the seller's SKUs
 * in it. When several apply, the one that started first (then by id).
 */
export function freightCampaigns(offers: Iterable<CampaignOffer>): FreightCampaign[] {
  const bySeller = new Map<string, FreightCampaign>();
  const ordered = [...offers].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || (a.campaignId < b.campaignId ? -1 : a.campaignId > b.campaignId ? 1 : 0));
  for (const o of ordered) {
    if (o.kind !== CampaignKind.FREIGHT || bySeller.has(o.sellerId)) continue;
    const percent = o.discountType === CampaignDiscountType.PERCENTAGE;
    bySeller.set(o.sellerId, { sellerId: o.sellerId, campaignId: o.campaignId, campaignName: o.campaignName, basisPoints: percent ? o.discount : null, fixedCents: percent ? null : o.discount });
  }
  return [...bySeller.values()];
}
