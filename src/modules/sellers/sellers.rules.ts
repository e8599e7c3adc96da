import { anyone, accessRules, sellerAccessRule, type Access } from '../../shared/access/index.js';
import type { Seller } from './sellers.entity.js';
import { SELLERS_ACCESS } from './sellers.access.js';

/**
 * A private field of a seller: whom `access` allows, seller users and integrations only for
 * their own seller. The storefront never reads these.
 */
export function sellerPrivate(name: string, access: Access) {
  return sellerAccessRule(
    `seller.private:${name}`,
    { ...access, denied: access.denied ?? `${name} of a seller is private to that seller and operator staff.` },
    (seller: Seller) => seller.id,
  );
}

/** A seller's profile fields: operator staff, the seller's own users and its integration. */
export const sellerProfile = sellerPrivate('This field', SELLERS_ACCESS.readProfile);
const profile = sellerProfile;
const bank = sellerPrivate('Bank data', SELLERS_ACCESS.readBankData);
const allowed = accessRules('sellers', SELLERS_ACCESS);

export const sellerRules = {
  Query: {
    marketplaceSettings: anyone,
    sellers: anyone,
    seller: anyone,
  },
  Mutation: {
    updateMarketplaceSettings: allowed.manageSellers,
    createSeller: allowed.manageSellers,
    updateSeller: allowed.editSeller,
    updateSellerBankData: allowed.writeBankData,
    setSellerLogo: allowed.editSeller,
    approveSeller: allowed.manageSellers,
    suspendSeller: allowed.manageSellers,
  },
  MarketplaceSettings: {
    '*': anyone,
    defaultCommissionBps: allowed.readStoreSettings,
    requireProductReview: allowed.readStoreSettings,
  },
  Seller: {
    '*': anyone,
    documentType: profile,
    document: profile,
    legalName: profile,
    email: profile,
    notificationEmail: profile,
    phone: profile,
    suspensionReason: profile,
    approvedAt: profile,
    suspendedAt: profile,
    bankData: bank,
  },
  BankData: { '*': anyone },
};

