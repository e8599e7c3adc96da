import type { AuditSpec } from '../shared/audit/index.js';

const idOf = (v: unknown): string | null => (v && typeof v === 'object' && 'id' in v ? String((v as { id: unknown }).id) : null);

/**
 * The audited entities (issue 15: sellers, users and roles, integrations, products, prices,
 * stock, orders, returns, payouts, commission rules, promotions, settings, webhooks). Every
 * create, update or delete of one of these, by any module, leaves an audit entry in the same
 * transaction (shared/audit AuditSubscriber). A new audited entity is one row here.
 */
export const AUDITED: readonly AuditSpec[] = [
  { entity: 'Seller', type: 'seller', sellerOf: (s) => String(s.id), codeOf: (s) => (s.concatenationCode as string | null) ?? null, redact: ['bankData'] },
  { entity: 'MarketplaceSettings', type: 'settings', sellerOf: () => null, codeOf: () => null },
  { entity: 'User', type: 'user', codeOf: (u) => (u.email as string) ?? null },
  { entity: 'Integration', type: 'integration', codeOf: (i) => (i.name as string) ?? null, ignore: ['lastUsedAt'] },
  { entity: 'CatalogIntegration', type: 'catalog_integration', codeOf: (c) => idOf(c.integration) },
  { entity: 'Product', type: 'product' },
  // SKU rows carry the prices and the stock.
  { entity: 'Sku', type: 'sku' },
  { entity: 'Order', type: 'order' },
  { entity: 'Return', type: 'return' },
  { entity: 'Payout', type: 'payout', codeOf: () => null },
  { entity: 'SellerAdjustment', type: 'adjustment', codeOf: () => null },
  { entity: 'CommissionRule', type: 'commission_rule', codeOf: () => null },
  { entity: 'Promotion', type: 'promotion' },
  { entity: 'WebhookSubscription', type: 'webhook_subscription', codeOf: (w) => (w.url as string) ?? null },
];
