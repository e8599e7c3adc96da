import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN } = UserRole;

/**
 * Who may manage and read webhook subscriptions: operator owners/admins (store-wide ones and
 * any seller's), a guest seller's owner and its integrations (their own seller's). Which
 * subscription is whose is the service's check (webhooks.service assertOwner).
 */
export const WEBHOOKS_ACCESS = {
  manageWebhooks: { operator: [OWNER, ADMIN], seller: [OWNER], integration: 'ANY', write: true },
  readWebhooks: { operator: [OWNER, ADMIN], seller: [OWNER], integration: 'ANY' },
} as const satisfies AccessTable;
