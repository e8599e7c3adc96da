export { Seller, SellerStatus, MarketplaceSettings } from './sellers.entity.js';
export { sellerFilter, actingSellerId, canSeeSellerPrivate, knownSellerFilter, knownActingSellerId } from './sellers.scope.js';
export { loadedSettings, primeSettings, sellerById, settingsLoader } from './sellers.loaders.js';
export { sellerRules } from './sellers.rules.js';
export { SELLERS_ACCESS } from './sellers.access.js';
import { MarketplaceSettingsResolver, SellerResolver } from './sellers.resolver.js';
import { BankData as BankDataEmbeddable, MarketplaceSettings as SettingsEntity, Seller as SellerEntity } from './sellers.entity.js';
export const sellerResolvers = [MarketplaceSettingsResolver, SellerResolver] as const;
export const sellerEntities = [BankDataEmbeddable, SellerEntity, SettingsEntity] as const;

// Used by other modules.
export { maskDocument, parseDocument } from './documents.js';
export { BankData, BankAccountType, ChargebackBearer, DocumentType, PayoutFrequency, SettlementBasis } from './sellers.entity.js';
export { getSettings, updateSettings } from './sellers.service.js';
export { MarketplaceSettingsType, SellerType } from './sellers.types.js';
export { lockSeller } from './sellers.service.js';
export { sellerPrivate, sellerProfile } from './sellers.rules.js';
export { SellerPayload } from './sellers.types.js';
export { adminSeller, approveSeller, createSeller, SELLER_CODE_IN_USE } from './sellers.service.js';
