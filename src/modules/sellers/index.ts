export { Seller, SellerStatus, MarketplaceSettings } from './sellers.entity.js';
export { sellerFilter, actingSellerId, canSeeSellerPrivate } from './sellers.scope.js';
export { sellerById, settingsLoader } from './sellers.loaders.js';
export { sellerRules } from './sellers.rules.js';
import { MarketplaceSettingsResolver, SellerResolver } from './sellers.resolver.js';
export const sellerResolvers = [MarketplaceSettingsResolver, SellerResolver] as const;
