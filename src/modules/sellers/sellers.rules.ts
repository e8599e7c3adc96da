import { or, rule } from 'graphql-shield';
import type { Context } from '../../shared/runtime/index.js';
import { UserRole, anyone, forbiddenError, operator, sellerUser, unauthenticatedError } from '../../shared/access/index.js';
import type { Seller } from './sellers.entity.js';

const { OWNER, ADMIN, FINANCE } = UserRole;

/**
 * A private field of a seller: operator staff with one of `operatorRoles`, this seller's own
 * users with one of `sellerRoles`, and (when `integrations`) the integration acting for it.
 * The storefront never reads these.
 */
export function sellerPrivate(name: string, o: { operatorRoles?: UserRole[]; sellerRoles?: UserRole[]; integrations: boolean }) {
  return rule(`seller.private:${name}`, { cache: 'no_cache' })((seller: Seller, _args, ctx: Context) => {
    const v = ctx.viewer;
    if (v.kind === 'ANONYMOUS') return unauthenticatedError();
    if (v.kind === 'OPERATOR' && (!o.operatorRoles || o.operatorRoles.includes(v.role))) return true;
    if (v.kind === 'SELLER' && v.seller.id === seller.id && (!o.sellerRoles || o.sellerRoles.includes(v.role))) return true;
    if (v.kind === 'INTEGRATION' && o.integrations && v.seller.id === seller.id) return true;
    return forbiddenError(`${name} of a seller is private to that seller and operator staff.`);
  });
}

/** A seller's profile fields: operator staff, the seller's own users and its integration. */
export const sellerProfile = sellerPrivate('This field', { integrations: true });
const profile = sellerProfile;
const bank = sellerPrivate('Bank data', { operatorRoles: [OWNER, ADMIN], sellerRoles: [OWNER, FINANCE], integrations: false });

const operatorAdmin = operator(OWNER, ADMIN);

export const sellerRules = {
  Query: {
    marketplaceSettings: anyone,
    sellers: anyone,
    seller: anyone,
  },
  Mutation: {
    updateMarketplaceSettings: operatorAdmin,
    createSeller: operatorAdmin,
    updateSeller: or(operatorAdmin, sellerUser([OWNER], { write: true })),
    updateSellerBankData: or(operatorAdmin, sellerUser([OWNER, FINANCE], { write: true })),
    approveSeller: operatorAdmin,
    suspendSeller: operatorAdmin,
  },
  MarketplaceSettings: {
    '*': anyone,
    defaultCommissionBps: operator(),
    requireProductReview: operator(),
  },
  Seller: {
    '*': anyone,
    documentType: profile,
    document: profile,
    legalName: profile,
    email: profile,
    phone: profile,
    suspensionReason: profile,
    approvedAt: profile,
    suspendedAt: profile,
    bankData: bank,
  },
  BankData: { '*': anyone },
};

