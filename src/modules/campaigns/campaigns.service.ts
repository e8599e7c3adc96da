import { LockMode, raw } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { findById, isId } from '../../shared/db/ids.js';
import { AppError, ErrorCode, Validation, conflict, forbidden, notFound } from '../../shared/errors/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { assertMay } from '../../shared/access/index.js';
import { nowOf } from '../../shared/time/index.js';
import { Seller, SellerStatus, actingSellerId, knownActingSellerId, knownSellerFilter } from '../sellers/index.js';
import { Category, Sku } from '../catalog/index.js';
import { CAMPAIGNS_ACCESS } from './campaigns.access.js';
import { Campaign, CampaignDiscountType, CampaignFunding, CampaignKind, CampaignSku, type CampaignPaymentMethod } from './campaigns.entity.js';

/*
 * Campaigns: operator owners/admins create them (drafts they may change) and open them for
 * joining; guest sellers join before the start with their own SKUs and a discount within the
 * bounds, change their SKUs or discount, or leave. From the start the offers are fixed: the
 * shopper sees one price for the whole period, and results compare like with like.
 */

export enum CampaignStatus {
  DRAFT = 'DRAFT',
  OPEN = 'OPEN',
  RUNNING = 'RUNNING',
  ENDED = 'ENDED',
}

/** The phase at `now` (campaigns.entity.ts): derived, so it moves with the clock and nothing has to run. */
export function campaignStatus(c: Pick<Campaign, 'publishedAt' | 'startsAt' | 'endsAt'>, now: Date): CampaignStatus {
  if (!c.publishedAt) return CampaignStatus.DRAFT;
  if (now < c.startsAt) return CampaignStatus.OPEN;
  if (now < c.endsAt) return CampaignStatus.RUNNING;
  return CampaignStatus.ENDED;
}

export interface CampaignData {
  name?: string | null;
  paymentMethod?: CampaignPaymentMethod | null;
  discountType?: CampaignDiscountType | null;
  minDiscount?: number | null;
  maxDiscount?: number | null;
  funding?: CampaignFunding | null;
  operatorSharePercent?: number | null;
  startsAt?: Date | null;
  endsAt?: Date | null;
  sellerIds?: string[] | null;
  categoryIds?: string[] | null;
  maxSkusPerSeller?: number | null;
}

export interface CreateCampaignData extends CampaignData {
  kind: CampaignKind;
}

type State = Pick<
  Campaign,
  'name' | 'kind' | 'paymentMethod' | 'discountType' | 'minDiscount' | 'maxDiscount' | 'funding' | 'operatorSharePercent' | 'startsAt' | 'endsAt' | 'sellerIds' | 'categoryIds' | 'maxSkusPerSeller'
>;

const f = (name: string) => ['input', name];
/** What one seller may join a campaign with, whatever the campaign's own cap: it bounds the lists that show them. */
export const MAX_SKUS_PER_JOIN = 1_000;
const isInt = (n: number, min: number, max: number) => Number.isInteger(n) && n >= min && n <= max;

/** Merges the input over the current state (create starts from nothing) and checks the whole result. */
async function merge(em: EntityManager, v: Validation, current: Partial<State> & Pick<State, 'kind'>, input: CampaignData): Promise<State> {
  const name = input.name == null ? (current.name ?? '') : input.name.trim().replace(/\s+/g, ' ');
  v.check(!!name && name.length <= 120, 'Give it a name of 1 to 120 characters.', f('name'));
  const pick = <K extends keyof CampaignData>(key: K, fallback: unknown) => (input[key] === undefined ? fallback : input[key]);
  const state = {
    name,
    kind: current.kind,
    paymentMethod: pick('paymentMethod', current.paymentMethod ?? null),
    discountType: pick('discountType', current.discountType ?? null),
    minDiscount: pick('minDiscount', current.minDiscount ?? null),
    maxDiscount: pick('maxDiscount', current.maxDiscount ?? null),
    funding: pick('funding', current.funding ?? CampaignFunding.SELLER) ?? CampaignFunding.SELLER,
    operatorSharePercent: pick('operatorSharePercent', current.operatorSharePercent ?? null),
    startsAt: pick('startsAt', current.startsAt ?? null),
    endsAt: pick('endsAt', current.endsAt ?? null),
    sellerIds: pick('sellerIds', current.sellerIds ?? []) ?? [],
    categoryIds: pick('categoryIds', current.categoryIds ?? []) ?? [],
    maxSkusPerSeller: pick('maxSkusPerSeller', current.maxSkusPerSeller ?? null),
  } as State;

  v.check(state.discountType != null, 'Say whether the discount is a PERCENTAGE or a FIXED amount.', f('discountType'));
  const percent = state.discountType === CampaignDiscountType.PERCENTAGE;
  const unit = percent ? 'basis points (1000 = 10%), 1 to 10000' : 'centavos, at least 1';
  const max = percent ? 10_000 : Number.MAX_SAFE_INTEGER;
  v.check(state.minDiscount != null && isInt(state.minDiscount, 1, max), `The smallest discount a seller may choose, in ${unit}.`, f('minDiscount'));
  v.check(state.maxDiscount != null && isInt(state.maxDiscount, 1, max), `The largest discount a seller may choose, in ${unit}.`, f('maxDiscount'));
  if (state.minDiscount != null && state.maxDiscount != null) v.check(state.maxDiscount >= state.minDiscount, 'maxDiscount must be at least minDiscount.', f('maxDiscount'));

  if (state.kind === CampaignKind.PAYMENT_METHOD) v.check(state.paymentMethod != null, 'Say which payment method the discount is tied to.', f('paymentMethod'));
  else v.check(state.paymentMethod == null, 'Only PAYMENT_METHOD campaigns name a payment method (CASH_PRICE covers every way of paying at once).', f('paymentMethod'));

  if (state.funding === CampaignFunding.SHARED) {
    v.check(state.operatorSharePercent != null && isInt(state.operatorSharePercent, 1, 99), "A SHARED campaign needs the operator's share, 1 to 99 percent.", f('operatorSharePercent'));
  } else {
    v.check(input.operatorSharePercent == null, 'Only SHARED campaigns have an operator share.', f('operatorSharePercent'));
    state.operatorSharePercent = null;
  }
  // Freight is the operator's revenue: a freight campaign is the joining seller's gift, which its receivable bears.
  v.check(state.kind !== CampaignKind.FREIGHT || state.funding === CampaignFunding.SELLER, 'A freight campaign keeps the operator\'s freight revenue whole: the seller funds it (funding SELLER).', f('funding'));

  v.check(state.startsAt != null, 'Say when the campaign starts.', f('startsAt'));
  v.check(state.endsAt != null, 'Say when the campaign ends.', f('endsAt'));
  if (state.startsAt && state.endsAt) v.check(state.endsAt > state.startsAt, 'endsAt must be after startsAt.', f('endsAt'));
  if (state.maxSkusPerSeller != null) v.check(isInt(state.maxSkusPerSeller, 1, MAX_SKUS_PER_JOIN), `The cap is 1 to ${MAX_SKUS_PER_JOIN} SKUs per seller; leave it out for ${MAX_SKUS_PER_JOIN}.`, f('maxSkusPerSeller'));

  state.sellerIds = [...new Set(state.sellerIds)];
  state.categoryIds = [...new Set(state.categoryIds)];
  v.check(state.sellerIds.length <= 1000, 'At most 1000 seller ids.', f('sellerIds'));
  v.check(state.categoryIds.length <= 1000, 'At most 1000 category ids.', f('categoryIds'));
  // An id that names nothing is NOT_FOUND, malformed or not (shared/db/ids.ts).
  if (state.sellerIds.length) {
    const found = state.sellerIds.every(isId) ? await em.count(Seller, { id: { $in: state.sellerIds }, isAdmin: false }) : -1;
    v.check(found === state.sellerIds.length, 'Every seller id must be a guest seller of the store.', f('sellerIds'), ErrorCode.NOT_FOUND);
  }
  if (state.categoryIds.length) {
    const found = state.categoryIds.every(isId) ? await em.count(Category, { id: { $in: state.categoryIds } }) : -1;
    v.check(found === state.categoryIds.length, 'Every category id must be a category of the store.', f('categoryIds'), ErrorCode.NOT_FOUND);
  }
  return state;
}

async function findForUpdate(em: EntityManager, id: string): Promise<Campaign> {
  const campaign = isId(id) ? await em.findOne(Campaign, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
  if (!campaign) throw notFound('No campaign has this id.', 'id');
  return campaign;
}

export async function createCampaign(ctx: Context, em: EntityManager, input: CreateCampaignData): Promise<Campaign> {
  assertMay(ctx.viewer, CAMPAIGNS_ACCESS.manageCampaigns);
  const v = new Validation();
  const state = await merge(em, v, { kind: input.kind }, input);
  v.throwIfAny();
  const campaign = em.create(Campaign, state);
  await em.flush();
  return campaign;
}

/** Drafts only: once sellers may join, the terms they joined under do not move. */
export async function updateCampaign(ctx: Context, em: EntityManager, id: string, input: CampaignData): Promise<Campaign> {
  assertMay(ctx.viewer, CAMPAIGNS_ACCESS.manageCampaigns);
  const campaign = await findForUpdate(em, id);
  if (campaign.publishedAt) throw conflict(`Campaign "${campaign.name}" is ${campaignStatus(campaign, nowOf(ctx.runtime))}: only drafts change.`, 'id');
  const v = new Validation();
  const state = await merge(em, v, campaign, input);
  v.throwIfAny();
  em.assign(campaign, state);
  await em.flush();
  return campaign;
}

/** DRAFT → OPEN for joining; the start must still be ahead, so sellers have time to join. */
export async function openCampaign(ctx: Context, em: EntityManager, id: string): Promise<Campaign> {
  assertMay(ctx.viewer, CAMPAIGNS_ACCESS.manageCampaigns);
  const campaign = await findForUpdate(em, id);
  const now = nowOf(ctx.runtime);
  if (campaign.publishedAt) throw conflict(`Campaign "${campaign.name}" is already ${campaignStatus(campaign, now)}.`, 'id');
  if (campaign.startsAt <= now) throw conflict(`Campaign "${campaign.name}" starts at ${campaign.startsAt.toISOString()}, which has passed: move the start before opening it.`, 'id');
  campaign.publishedAt = now;
  await em.flush();
  return campaign;
}

export interface CampaignListArgs extends ConnectionArgs {
  status?: CampaignStatus | null;
}

/** Every campaign, newest first (operator staff), optionally in one phase. */
export async function listCampaigns(ctx: Context, args: CampaignListArgs) {
  assertMay(ctx.viewer, CAMPAIGNS_ACCESS.readCampaigns);
  const now = nowOf(ctx.runtime);
  const where: FilterQuery<Campaign> = (() => {
    switch (args.status) {
      case CampaignStatus.DRAFT:
        return { publishedAt: null };
      case CampaignStatus.OPEN:
        return { publishedAt: { $ne: null }, startsAt: { $gt: now } };
      case CampaignStatus.RUNNING:
        return { publishedAt: { $ne: null }, startsAt: { $lte: now }, endsAt: { $gt: now } };
      case CampaignStatus.ENDED:
        return { publishedAt: { $ne: null }, endsAt: { $lte: now } };
      default:
        return {};
    }
  })();
  return paginate(ctx.em, Campaign, where, args, { createdAt: 'desc' });
}

export async function findCampaign(ctx: Context, id: string): Promise<Campaign | null> {
  assertMay(ctx.viewer, CAMPAIGNS_ACCESS.readCampaigns);
  return findById(ctx.em, Campaign, id);
}

const eligible = (c: Campaign, sellerId: string) => c.sellerIds.length === 0 || c.sellerIds.includes(sellerId);

/**
 * The campaigns a seller may join now (OPEN, and the seller among those invited), plus those it
 * joined that are still running: soonest start first, one page at a time.
 */
export async function campaignsForSeller(ctx: Context, requestedSeller: string | null | undefined, args: ConnectionArgs) {
  const sellerId = await knownActingSellerId(ctx, requestedSeller, ['seller']);
  assertMay(ctx.viewer, CAMPAIGNS_ACCESS.readOpenCampaigns, sellerId);
  const now = nowOf(ctx.runtime);
  // raw() fragments are used once per query, so the filter is built anew for the page and the count.
  const where = (): FilterQuery<Campaign> => ({
    publishedAt: { $ne: null },
    endsAt: { $gt: now },
    $or: [
      { startsAt: { $gt: now }, [raw((alias) => `(${alias}."seller_ids" = '[]'::jsonb or ${alias}."seller_ids" @> jsonb_build_array(?::text))`, [sellerId])]: true },
      { [raw((alias) => `exists (select 1 from "campaign_sku" cs where cs."campaign_id" = ${alias}."id" and cs."seller_id" = ?)`, [sellerId])]: true },
    ],
  });
  return paginate(ctx.em, Campaign, where, args, { startsAt: 'asc' });
}

/** A seller's SKUs in a campaign, in code order. */
export async function participation(ctx: Context, campaignId: string, requestedSeller?: string | null): Promise<CampaignSku[]> {
  const sellerId = actingSellerId(ctx.viewer, requestedSeller);
  assertMay(ctx.viewer, CAMPAIGNS_ACCESS.readOpenCampaigns, sellerId);
  if (!isId(campaignId)) return [];
  return ctx.em.find(CampaignSku, { campaign: campaignId, seller: sellerId }, { populate: ['sku'], orderBy: { sku: { code: 'asc' } } });
}

export interface JoinData {
  campaignId: string;
  seller?: string | null;
  skuCodes: string[];
  discount: number;
}

/** A joinable campaign for this seller, locked (joins of one campaign queue, so the SKU cap holds), or the reason it is not. */
async function joinable(ctx: Context, em: EntityManager, campaignId: string, sellerId: string, field: readonly string[] = ['input', 'campaignId']): Promise<Campaign> {
  const campaign = isId(campaignId) ? await em.findOne(Campaign, { id: campaignId }, { lockMode: LockMode.PESSIMISTIC_WRITE }) : null;
  if (!campaign || !campaign.publishedAt) throw notFound('No campaign open for joining has this id.', ...field);
  const status = campaignStatus(campaign, nowOf(ctx.runtime));
  if (status !== CampaignStatus.OPEN) throw conflict(`Campaign "${campaign.name}" is ${status}: sellers join, change and leave only before it starts (${campaign.startsAt.toISOString()}).`, ...field);
  const seller = await em.findOneOrFail(Seller, sellerId);
  if (seller.isAdmin) throw forbidden('Campaigns are for guest sellers; the admin seller runs its own promotions.');
  if (!eligible(campaign, sellerId)) throw forbidden(`Campaign "${campaign.name}" is not open to ${seller.name}.`);
  if (seller.status === SellerStatus.SUSPENDED) throw forbidden(`${seller.name} is suspended and cannot join campaigns.`);
  return campaign;
}

/**
 * Joins a campaign with these SKUs (displayed codes, or the seller's raw codes) at one
 * discount within the bounds, replacing what the seller had joined with before (so joining
 * again is how a seller changes its SKUs or discount). Every SKU must be the seller's own and,
 * when the campaign names categories, in one of them (or below); at most maxSkusPerSeller.
 */
export async function joinCampaign(ctx: Context, em: EntityManager, input: JoinData): Promise<{ campaign: Campaign; skus: CampaignSku[] }> {
  const sellerId = await knownActingSellerId({ viewer: ctx.viewer, em }, input.seller, ['input', 'seller']);
  assertMay(ctx.viewer, CAMPAIGNS_ACCESS.joinCampaigns, sellerId);
  const campaign = await joinable(ctx, em, input.campaignId, sellerId);

  const v = new Validation();
  const codes = [...new Set((input.skuCodes ?? []).map((c) => c.trim()).filter(Boolean))];
  v.check(codes.length > 0, 'Choose at least one SKU; to leave the campaign, use leaveCampaign.', f('skuCodes'));
  v.check(codes.length <= MAX_SKUS_PER_JOIN, `A seller joins a campaign with at most ${MAX_SKUS_PER_JOIN} SKUs.`, f('skuCodes'));
  v.check(codes.every((c) => /^[A-Za-z0-9._-]{1,51}$/.test(c)), 'SKU codes are 1 to 51 letters, digits, ".", "_" or "-".', f('skuCodes'));
  if (campaign.maxSkusPerSeller != null) v.check(codes.length <= campaign.maxSkusPerSeller, `Campaign "${campaign.name}" takes at most ${campaign.maxSkusPerSeller} SKU(s) per seller; ${codes.length} chosen.`, f('skuCodes'));
  const unit = campaign.discountType === CampaignDiscountType.PERCENTAGE ? 'basis points' : 'centavos';
  v.check(
    Number.isSafeInteger(input.discount) && input.discount >= campaign.minDiscount && input.discount <= campaign.maxDiscount,
    `The discount must be within the campaign's bounds: ${campaign.minDiscount} to ${campaign.maxDiscount} ${unit}${campaign.discountType === CampaignDiscountType.FIXED ? ' per unit' : ''}.`,
    f('discount'),
  );
  v.throwIfAny();

  const skus = await em.find(Sku, { $or: [{ code: { $in: codes } }, { seller: sellerId, sellerCode: { $in: codes } }] }, { populate: ['product'] });
  const byCode = new Map<string, Sku>();
  for (const s of skus) {
    // The seller's own raw code wins over another seller's displayed code that happens to be equal.
    if (s.seller.id === sellerId) byCode.set(s.sellerCode, s);
    if (!byCode.has(s.code) || s.seller.id === sellerId) byCode.set(s.code, s);
  }
  let categoryPaths = new Map<string, string>();
  if (campaign.categoryIds.length) {
    const ids = [...new Set(skus.map((s) => s.product.getEntity().category?.id).filter((id): id is string => !!id))];
    const cats = ids.length ? await em.find(Category, { id: { $in: ids } }, { fields: ['path'] }) : [];
    categoryPaths = new Map(cats.map((c) => [c.id, c.path]));
  }
  const chosen: Sku[] = [];
  codes.forEach((code, i) => {
    const field = ['input', 'skuCodes', String(i)];
    const sku = byCode.get(code);
    if (!sku) return v.add(ErrorCode.NOT_FOUND, `No SKU has the code ${code}.`, field);
    if (sku.seller.id !== sellerId) return v.add(ErrorCode.BAD_USER_INPUT, `${code} belongs to another seller: a seller joins only with its own SKUs.`, field);
    if (campaign.categoryIds.length) {
      const path = categoryPaths.get(sku.product.getEntity().category?.id ?? '') ?? '';
      if (!campaign.categoryIds.some((id) => path.includes(`/${id}/`))) return v.add(ErrorCode.BAD_USER_INPUT, `${code} is not in a category campaign "${campaign.name}" takes.`, field);
    }
    chosen.push(sku);
  });
  v.throwIfAny();

  await em.nativeDelete(CampaignSku, { campaign: campaign.id, seller: sellerId });
  const rows = [...new Map(chosen.map((s) => [s.id, s])).values()].map((sku) => em.create(CampaignSku, { campaign, seller: sellerId, sku, discount: input.discount }));
  await em.flush();
  return { campaign, skus: rows };
}

/** Leaves a campaign before it starts: its SKUs sell at list price. */
export async function leaveCampaign(ctx: Context, em: EntityManager, campaignId: string, requestedSeller?: string | null): Promise<Campaign> {
  const sellerId = await knownActingSellerId({ viewer: ctx.viewer, em }, requestedSeller, ['seller']);
  assertMay(ctx.viewer, CAMPAIGNS_ACCESS.joinCampaigns, sellerId);
  const campaign = await joinable(ctx, em, campaignId, sellerId, ['campaignId']);
  const removed = await em.nativeDelete(CampaignSku, { campaign: campaign.id, seller: sellerId });
  if (!removed) throw new AppError(ErrorCode.NOT_FOUND, `You have not joined campaign "${campaign.name}".`, ['campaignId']);
  return campaign;
}

/** Whether a campaign has this id (any phase): the results query's NOT_FOUND. */
export async function campaignExists(em: EntityManager, id: string): Promise<boolean> {
  return isId(id) && (await em.count(Campaign, { id })) > 0;
}

/** Which seller a results query is for: staff may ask for the whole campaign (null) or one seller; a seller only for itself. */
export async function resultsScope(ctx: Context, requestedSeller?: string | null): Promise<string | null> {
  const sellerId = await knownSellerFilter(ctx, requestedSeller, ['seller']);
  assertMay(ctx.viewer, CAMPAIGNS_ACCESS.readCampaignResults, sellerId ?? undefined);
  return sellerId;
}
