import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN, CATALOG, SERVICE, SUPPORT } = UserRole;

/** Operator staff who answer for the store and moderate reviews. AGENT sells; it does not moderate. */
const STORE_STAFF = [OWNER, ADMIN, SUPPORT];

/**
 * Who may do what with the catalog, reviews and store attributes: read by the catalog's
 * *.rules.ts files and by its services. Whose products a seller user or integration writes is
 * the services' scope check (its own seller's only).
 */
export const CATALOG_ACCESS = {
  /** Write a seller's catalog (products, stock, file import): operator owners/admins, the seller's owner and catalog users, its integration. */
  writeCatalog: { operator: [OWNER, ADMIN], seller: [OWNER, CATALOG], integration: 'ANY', write: true },
  /** The ERP upsert: integrations (their own seller) and operator owners/admins acting for a seller. */
  upsertProducts: { operator: [OWNER, ADMIN], integration: 'ANY', write: true },
  /** Store attributes (categories, brands, colours, sizes, tags). Guest sellers and their integrations only reference them. */
  writeAttributes: {
    operator: [OWNER, ADMIN],
    integration: 'ATTRIBUTE_WRITER',
    denied: 'Only operator owners/admins and attribute-permitted integrations of the store change store attributes.',
  },
  /** A product's private fields (stock, rejection reason) and every status of it: operator staff, its own seller's users and integration. */
  readPrivateCatalog: { operator: 'ALL', seller: 'ALL', integration: 'ANY', denied: 'Only the seller and operator staff see this.' },
  /** Approve or reject products waiting for review. */
  reviewProducts: { operator: [OWNER, ADMIN] },
  /** Bulk changes cross sellers, so they are operator staff's alone. */
  bulkUpdateProducts: { operator: [OWNER, ADMIN] },
  /** The "marketplace out" feed for the external hub. */
  readHubFeed: { operator: 'ALL', integration: 'ADMIN' },
  /** Write a review, ask a question. */
  writeReviews: { customer: true },
  /**
   * Answer a question: store staff for the store, a guest seller's owner, catalog and service
   * users for their own products (FINANCE works on money, not on shoppers). ERP integrations
   * do not answer: an answer is public text the storefront attributes to the seller, written by a person.
   */
  answerQuestions: { operator: STORE_STAFF, seller: [OWNER, CATALOG, SERVICE], write: true },
  /** Remove any review. */
  moderateReviews: { operator: STORE_STAFF },
  /** Remove a review: moderators, or a customer (the service keeps customers to their own). */
  deleteReviews: { operator: STORE_STAFF, customer: true },
} as const satisfies AccessTable;
