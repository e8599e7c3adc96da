import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import type { Integration } from './integrations.entity.js';
import { catalogIntegrationsOf } from './integrations.service.js';

/** The integration managing each seller's catalog (null when none), one query per request. */
export const catalogIntegrationBySellerId = (ctx: Context) =>
  loader(ctx, 'integrations.catalogBySeller', () =>
    new DataLoader<string, Integration | null>(async (sellerIds) => {
      const found = await catalogIntegrationsOf(ctx.em, sellerIds);
      return sellerIds.map((id) => found.get(id) ?? null);
    }),
  );
