import { LockMode, raw, ref } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { ServiceKey, type Context } from '../../shared/runtime/index.js';
import { getById, isId } from '../../shared/db/ids.js';
import { AppError, ErrorCode, Validation, badInput, conflict, forbidden, notFound } from '../../shared/errors/index.js';
import { FilePurpose, fileInfo } from '../../shared/files/index.js';
import { viewerUser } from '../../shared/access/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { checkEmail, checkText, normaliseEmail } from '../../shared/validation/index.js';
import { INSTALLMENTS_LIMIT } from '../../shared/money/index.js';
import { CONCATENATION_CODE_RE, parseDocument } from './documents.js';
import { BankAccountType, BankData, MarketplaceSettings, Seller, SellerStatus } from './sellers.entity.js';
import { canSeeSellerPrivate } from './sellers.scope.js';
import { getPixKeyInfo } from '@brazilian-utils/brazilian-utils';

export interface SellerFilterInput {
  status?: SellerStatus | null;
  search?: string | null;
}

export interface SellerInput {
  name?: string | null;
  concatenationCode?: string | null;
  document?: string | null;
  legalName?: string | null;
  email?: string | null;
  phone?: string | null;
  shippingPolicy?: string | null;
  returnPolicy?: string | null;
  notes?: string | null;
  handlingDays?: number | null;
  notificationEmail?: string | null;
}

export interface BankDataInput {
  bankCode: string;
  branch: string;
  account: string;
  accountType: BankAccountType;
  holderName: string;
  holderDocument: string;
  pixKey?: string | null;
}

export async function getSettings(em: EntityManager): Promise<MarketplaceSettings> {
  return em.findOneOrFail(MarketplaceSettings, { id: 1 });
}

export async function adminSeller(em: EntityManager): Promise<Seller> {
  return em.findOneOrFail(Seller, { isAdmin: true });
}

export async function updateSettings(
  em: EntityManager,
  input: {
    storeName?: string | null;
    usesMarketplace?: boolean | null;
    defaultCommissionBps?: number | null;
    requireProductReview?: boolean | null;
    maxInstallments?: number | null;
    minInstallmentCents?: number | null;
    returnWindowDays?: number | null;
  },
): Promise<MarketplaceSettings> {
  const v = new Validation();
  if (input.storeName != null) v.check(input.storeName.trim().length > 0 && input.storeName.length <= 200, 'The store name cannot be empty.', ['input', 'storeName']);
  if (input.defaultCommissionBps != null) {
    v.check(
      Number.isInteger(input.defaultCommissionBps) && input.defaultCommissionBps >= 0 && input.defaultCommissionBps <= 10_000,
      'The commission is in basis points, from 0 to 10000 (100%).',
      ['input', 'defaultCommissionBps'],
    );
  }
  if (input.maxInstallments != null) {
    v.check(
      Number.isInteger(input.maxInstallments) && input.maxInstallments >= 1 && input.maxInstallments <= INSTALLMENTS_LIMIT,
      `Installments go from 1 to ${INSTALLMENTS_LIMIT}.`,
      ['input', 'maxInstallments'],
    );
  }
  if (input.minInstallmentCents != null) {
    v.check(Number.isSafeInteger(input.minInstallmentCents) && input.minInstallmentCents >= 1, 'The minimum installment is a positive number of centavos.', ['input', 'minInstallmentCents']);
  }
  if (input.returnWindowDays != null) {
    v.check(
      Number.isInteger(input.returnWindowDays) && input.returnWindowDays >= 7 && input.returnWindowDays <= 365,
      'The return window is 7 days (the legal minimum, CDC art. 49) to 365 days.',
      ['input', 'returnWindowDays'],
    );
  }
  v.throwIfAny();
  const settings = await em.findOneOrFail(MarketplaceSettings, { id: 1 }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (input.returnWindowDays != null) settings.returnWindowDays = input.returnWindowDays;
  if (input.maxInstallments != null) settings.maxInstallments = input.maxInstallments;
  if (input.minInstallmentCents != null) settings.minInstallmentCents = input.minInstallmentCents;
  if (input.storeName != null) settings.storeName = input.storeName.trim();
  if (input.usesMarketplace != null) settings.usesMarketplace = input.usesMarketplace;
  if (input.defaultCommissionBps != null) settings.defaultCommissionBps = input.defaultCommissionBps;
  if (input.requireProductReview != null) settings.requireProductReview = input.requireProductReview;
  return settings;
}

/**
 * What a viewer may list: operator staff see every seller; everybody else sees the sellers
 * the storefront shows (the admin seller, and active guest sellers while the marketplace is
 * on) plus, for seller users and integrations, their own seller whatever its status.
 */
function visibility(ctx: Context): FilterQuery<Seller> {
  if (ctx.viewer.kind === 'OPERATOR') return {};
  // The marketplace switch is read by the same statement (no settings query of its own, never
  // a stale value); raw() fragments serve one query only, so callers build this per query.
  const marketplaceOn = raw('(select ms.uses_marketplace from marketplace_settings ms where ms.id = 1)');
  const visible: FilterQuery<Seller>[] = [{ isAdmin: true }, { $and: [{ status: SellerStatus.ACTIVE }, { [marketplaceOn]: true }] } as FilterQuery<Seller>];
  if (ctx.viewer.kind === 'SELLER' || ctx.viewer.kind === 'INTEGRATION') visible.push({ id: ctx.viewer.seller.id });
  return { $or: visible };
}

export async function listSellers(ctx: Context, filter: SellerFilterInput, args: ConnectionArgs) {
  const where: FilterQuery<Seller>[] = [];
  if (filter.status) where.push({ status: filter.status });
  if (filter.search?.trim()) {
    const term = `%${filter.search.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push({ $or: [{ name: { $ilike: term } }, { concatenationCode: { $ilike: term } }] });
  }
  return paginate(ctx.em, Seller, () => ({ $and: [visibility(ctx), ...where] }), args, { isAdmin: 'desc', name: 'asc' } as never);
}

/** One seller by id or concatenation code; null when it does not exist or is not visible. */
export async function findSeller(ctx: Context, by: { id?: string | null; code?: string | null }): Promise<Seller | null> {
  if (!by.id === !by.code) throw badInput('Give exactly one of id and code.', by.id ? 'code' : 'id');
  const key: FilterQuery<Seller> = by.id ? { id: by.id } : { concatenationCode: by.code!.toUpperCase() };
  if (by.id && !isId(by.id)) return null;
  return ctx.em.findOne(Seller, { $and: [key, visibility(ctx)] });
}

/** The seller row, locked for update (changes to a seller and to what hangs on it serialise on it). */
export async function lockSeller(em: EntityManager, id: string, field: string | readonly string[] = 'id'): Promise<Seller> {
  return getById(em, Seller, id, typeof field === 'string' ? [field] : field, 'seller', { lockMode: LockMode.PESSIMISTIC_WRITE });
}

/** Validates and applies a seller input; checks uniqueness before any write. */
/**
 * Whether a seller's concatenation code is already printed on something (its products, and
 * so its orders): the catalog knows, and src/app passes its answer in, since the catalog
 * depends on sellers and not the other way round.
 */
export const SELLER_CODE_IN_USE = new ServiceKey<(em: EntityManager, sellerId: string) => Promise<boolean>>('sellers.codeInUse');

async function applySellerInput(em: EntityManager, seller: Seller, input: SellerInput, creating: boolean, codeInUse: (em: EntityManager, sellerId: string) => Promise<boolean>): Promise<void> {
  const v = new Validation();
  checkText(v, input.name, 'name', 200, creating);
  checkText(v, input.legalName, 'legalName', 200);
  checkText(v, input.phone, 'phone', 30);
  checkText(v, input.shippingPolicy, 'shippingPolicy', 20_000);
  checkText(v, input.returnPolicy, 'returnPolicy', 20_000);
  checkText(v, input.notes, 'notes', 20_000);
  if (input.email != null && input.email !== '') checkEmail(v, input.email, ['input', 'email']);
  if (input.notificationEmail != null && input.notificationEmail !== '') checkEmail(v, input.notificationEmail, ['input', 'notificationEmail']);
  if (input.handlingDays != null) v.check(Number.isInteger(input.handlingDays) && input.handlingDays >= 0 && input.handlingDays <= 30, 'The handling time is 0 to 30 days.', ['input', 'handlingDays']);

  let code: string | null | undefined = undefined;
  if (input.concatenationCode !== undefined) {
    code = input.concatenationCode === null || input.concatenationCode.trim() === '' ? null : input.concatenationCode.trim();
    if (code === null) {
      v.check(seller.isAdmin, 'A guest seller needs a concatenation code.', ['input', 'concatenationCode']);
    } else {
      v.check(
        CONCATENATION_CODE_RE.test(code),
        'The concatenation code has 2 to 10 upper-case letters or digits (A–Z, 0–9).',
        ['input', 'concatenationCode'],
      );
    }
  } else if (creating) {
    v.add(ErrorCode.BAD_USER_INPUT, 'A guest seller needs a concatenation code.', ['input', 'concatenationCode']);
  }

  let document: ReturnType<typeof parseDocument> | undefined = undefined;
  if (input.document != null && input.document.trim() !== '') {
    document = parseDocument(input.document);
    v.check(document !== null, 'The document is not a valid CNPJ or CPF (check digits do not match).', ['input', 'document']);
  } else if (creating) {
    v.add(ErrorCode.BAD_USER_INPUT, 'A guest seller needs its CNPJ or CPF.', ['input', 'document']);
  }
  v.throwIfAny();

  if (code !== undefined && code !== (seller.concatenationCode ?? null) && !creating) {
    // Codes already printed on products (and later orders) must keep meaning the same thing.
    if (await codeInUse(em, seller.id)) {
      throw conflict(
        `The concatenation code of ${seller.name} cannot change: the seller already has products.`,
        'input',
        'concatenationCode',
      );
    }
  }
  if (code && code !== seller.concatenationCode) {
    if (await em.count(Seller, { concatenationCode: code, id: { $ne: seller.id } })) {
      throw conflict(`The concatenation code ${code} belongs to another seller.`, 'input', 'concatenationCode');
    }
  }
  if (document && document.value !== seller.document) {
    if (await em.count(Seller, { document: document.value, id: { $ne: seller.id } })) {
      throw conflict('Another seller already has this document.', 'input', 'document');
    }
  }

  if (input.name != null) seller.name = input.name.trim();
  if (code !== undefined) seller.concatenationCode = code;
  if (document) {
    seller.document = document.value;
    seller.documentType = document.type;
  }
  if (input.handlingDays != null) seller.handlingDays = input.handlingDays;
  const optional = ['legalName', 'email', 'phone', 'shippingPolicy', 'returnPolicy', 'notes', 'notificationEmail'] as const;
  for (const key of optional) {
    const value = input[key];
    if (value !== undefined) seller[key] = value === null || value.trim() === '' ? null : key === 'email' || key === 'notificationEmail' ? normaliseEmail(value) : value.trim();
  }
}

export async function createSeller(em: EntityManager, input: SellerInput): Promise<Seller> {
  const settings = await getSettings(em);
  if (!settings.usesMarketplace) {
    throw new AppError(
      ErrorCode.MARKETPLACE_DISABLED,
      'The store does not use the marketplace: turn on "uses marketplace" in the marketplace settings before adding guest sellers.',
    );
  }
  // Not persisted until the input passed every check: the uniqueness queries would otherwise
  // auto-flush a half-built row (an INSERT before validation).
  const seller = em.create(Seller, { name: '', status: SellerStatus.PENDING }, { persist: false });
  // A seller being created has nothing printed with its code yet.
  await applySellerInput(em, seller, input, true, async () => false);
  em.persist(seller);
  return seller;
}

/** Fields a guest seller's owner may change about itself; identity and codes are the operator's. */
const SELF_EDITABLE: ReadonlySet<keyof SellerInput> = new Set(['name', 'email', 'phone', 'shippingPolicy', 'returnPolicy', 'notes', 'handlingDays', 'notificationEmail']);

export async function updateSeller(ctx: Context, em: EntityManager, id: string, input: SellerInput): Promise<Seller> {
  if (!canSeeSellerPrivate(ctx.viewer, id)) throw forbidden('You can only change your own seller.');
  if (ctx.viewer.kind !== 'OPERATOR') {
    const refused = (Object.keys(input) as (keyof SellerInput)[]).filter((k) => input[k] !== undefined && !SELF_EDITABLE.has(k));
    if (refused.length) {
      throw new AppError(
        refused.map((k) => ({ code: ErrorCode.FORBIDDEN, message: `Only operator staff change ${k}.`, field: ['input', k] })),
      );
    }
  }
  const seller = await lockSeller(em, id);
  await applySellerInput(em, seller, input, false, ctx.runtime.services.get(SELLER_CODE_IN_USE));
  return seller;
}

export async function updateBankData(ctx: Context, em: EntityManager, sellerId: string, input: BankDataInput): Promise<Seller> {
  if (!canSeeSellerPrivate(ctx.viewer, sellerId)) throw forbidden('You can only change your own seller.');
  const v = new Validation();
  const f = (name: string) => ['input', name];
  v.check(/^\d{3,8}$/.test(input.bankCode), 'The bank code has 3 to 8 digits.', f('bankCode'));
  v.check(/^\d{1,6}(-?[0-9Xx])?$/.test(input.branch), 'The branch is up to 6 digits, optionally with a check digit.', f('branch'));
  v.check(/^\d{1,18}-?[0-9Xx]?$/.test(input.account), 'The account is up to 18 digits with its check digit.', f('account'));
  checkText(v, input.holderName, 'holderName', 200, true);
  const holder = parseDocument(input.holderDocument);
  v.check(holder !== null, "The holder's document is not a valid CNPJ or CPF.", f('holderDocument'));
  // A Pix key is a CPF, a CNPJ (numeric or alphanumeric), an e-mail, a phone or a random key;
  // stored in its canonical form (DICT's), so a payout never fails on how it was typed.
  const pix = input.pixKey != null && input.pixKey.trim() !== '' ? (input.pixKey.length <= 140 ? getPixKeyInfo(input.pixKey) : null) : undefined;
  v.check(pix !== null, 'The Pix key is not a CPF, CNPJ, e-mail, phone (+55…) or random key.', f('pixKey'));
  v.throwIfAny();
  const seller = await lockSeller(em, sellerId, 'sellerId');
  const bank = new BankData();
  Object.assign(bank, {
    bankCode: input.bankCode,
    branch: input.branch.toUpperCase(),
    account: input.account.toUpperCase(),
    accountType: input.accountType,
    holderName: input.holderName.trim(),
    holderDocument: holder!.value,
    pixKey: pix?.value ?? null,
  });
  seller.bankData = bank;
  return seller;
}

export async function approveSeller(em: EntityManager, id: string): Promise<Seller> {
  const seller = await lockSeller(em, id);
  if (seller.status === SellerStatus.ACTIVE) return seller; // approving twice changes nothing
  if (!seller.isAdmin && (await getSettings(em)).usesMarketplace === false) {
    throw new AppError(ErrorCode.MARKETPLACE_DISABLED, 'Turn on "uses marketplace" before approving guest sellers.');
  }
  seller.status = SellerStatus.ACTIVE;
  seller.approvedAt = new Date();
  seller.suspendedAt = null;
  seller.suspensionReason = null;
  return seller;
}

export async function suspendSeller(em: EntityManager, id: string, reason: string): Promise<Seller> {
  if (!reason.trim()) throw badInput('Say why the seller is suspended.', 'reason');
  const seller = await lockSeller(em, id);
  if (seller.isAdmin) throw badInput('The admin seller is the store itself and cannot be suspended.', 'id');
  if (seller.status === SellerStatus.SUSPENDED) throw conflict('The seller is already suspended.', 'id');
  seller.status = SellerStatus.SUSPENDED;
  seller.suspendedAt = new Date();
  seller.suspensionReason = reason.trim();
  return seller;
}

/**
 * Points the seller's logo at a file the caller uploaded as a LOGO (the upload endpoint
 * already checked its bytes and size); files never change, so the logo URL changes with it.
 */
export async function setSellerLogo(ctx: Context, em: EntityManager, sellerId: string, fileId: string | null): Promise<Seller> {
  if (!canSeeSellerPrivate(ctx.viewer, sellerId)) throw forbidden('You can only change your own seller.');
  if (fileId != null) {
    const file = isId(fileId) ? await fileInfo(em, fileId) : null;
    const uploader = viewerUser(ctx.viewer)?.id;
    if (!file || file.uploadedById !== uploader) throw notFound('No file you uploaded has this id; upload the logo with POST /files?purpose=LOGO first.', 'fileId');
    if (file.purpose !== FilePurpose.LOGO) throw badInput('This file was uploaded as an attachment; upload the logo with POST /files?purpose=LOGO.', 'fileId');
  }
  const seller = await lockSeller(em, sellerId, 'sellerId');
  seller.logoFileId = fileId;
  return seller;
}
