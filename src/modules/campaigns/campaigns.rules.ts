import { accessRules, anyone } from '../../shared/access/index.js';
import { CAMPAIGNS_ACCESS } from './campaigns.access.js';

const allowed = accessRules('campaigns', CAMPAIGNS_ACCESS);

/**
 * A campaign's terms are readable by whoever may reach it (staff listing all, sellers listing
 * those open to them); the invited sellers list is the operator's. The storefront fields
 * (campaign prices on SKUs, a campaign's products) are public.
 */
export const campaignRules = {
  Query: {
    campaigns: allowed.readCampaigns,
    campaign: allowed.readCampaigns,
    sellerCampaigns: allowed.readOpenCampaigns,
    campaignProducts: anyone,
  },
  Mutation: {
    createCampaign: allowed.manageCampaigns,
    updateCampaign: allowed.manageCampaigns,
    openCampaign: allowed.manageCampaigns,
    joinCampaign: allowed.joinCampaigns,
    leaveCampaign: allowed.joinCampaigns,
  },
  Campaign: { '*': anyone, sellerIds: allowed.readCampaigns },
  CampaignSku: { '*': anyone },
  CampaignPrice: { '*': anyone },
  Sku: { campaignPrice: anyone },
  Product: { campaignPrice: anyone },
  // Reached only through campaignResults (orders module), whose rule and scope check guard them.
  CampaignReport: { '*': anyone },
  CampaignResults: { '*': anyone },
};
