// What this module adds to the app, and what the cart pricing path, the checkout and the orders may call.
import { Campaign, CampaignSku } from './campaigns.entity.js';
import { CampaignResolver } from './campaigns.resolver.js';
import { CampaignProductsResolver, ProductCampaignResolver, SkuCampaignResolver } from './campaigns.storefront.js';
import { campaignRules as rules } from './campaigns.rules.js';

export const campaignEntities = [Campaign, CampaignSku] as const;
export const campaignResolvers = [CampaignResolver, SkuCampaignResolver, ProductCampaignResolver, CampaignProductsResolver] as const;
export const campaignRules: Record<string, Record<string, unknown>> = rules;

// Used by other modules: the cart's one pricing path reads the running offers; the orders module answers results.
export { CampaignKind, CampaignFunding } from './campaigns.entity.js';
export { CAMPAIGNS_ACCESS } from './campaigns.access.js';
export { campaignExists, resultsScope } from './campaigns.service.js';
export { CampaignReportType, CampaignResultsType } from './campaigns.types.js';
export { campaignOffersAt, freightCampaigns, lineCampaign, paymentQualifies, type CampaignOffer, type FreightCampaign, type LineCampaign, type PaidWith } from './campaigns.offers.js';
