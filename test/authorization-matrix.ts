/**
 * The authorization matrix, written by hand: for every root Query and Mutation field, who may
 * call it. It is read from /work/shared/design.md ("Actors and what they may do", the roles, the
 * order and return transition tables) and, where design.md names no role, from the decisions
 * README.md writes down; the rest is a careful operator's judgement, marked `judgement` in the
 * entry's note. It is never computed from the code (src/modules/*\/*.access.ts, *.rules.ts) nor
 * recorded from the API's answers: test/authorization-matrix.test.ts sends every cell to the
 * running API and fails where the two disagree, and when a root field has no entry here.
 *
 * One letter per column, grouped by a space:
 *
 *   an cu cX | oOW oAD oAG oSU | sOW sFI sCA sSE | xOW xFI xCA xSE | iAD iNO iOW iOX
 *
 *   an   anonymous (no token): the storefront's objects, its own anonymous cart, a signed order link
 *   cu   a signed-in customer, on its own cart, orders, returns and tickets
 *   cX   another customer, naming the first customer's cart token, order, return or ticket
 *   oXX  operator staff (users of the admin seller) OWNER, ADMIN, AGENT, SUPPORT, on guest seller A's objects
 *   sXX  users of guest seller A with the role OWNER, FINANCE, CATALOG, SERVICE, on A's objects
 *   xXX  the same users of A, on guest seller B's objects (B's ids and codes, or `sellerId: B`)
 *   iAD  an ERP integration linked to the admin seller, on A's objects (`sellerId: A`)
 *   iNO  an unlinked ERP integration, on the admin seller's objects (its own; design.md: both
 *        act for the admin seller); where the admin seller has no such object (payouts), on A's
 *   iOW  guest seller A's integration, on A's objects (raw SKU codes, as integrations send them)
 *   iOX  A's integration, on B's objects
 *
 *   A  allowed: no access error, and the object is found (the ids are real)
 *   D  denied: UNAUTHENTICATED or FORBIDDEN, or — for what the caller may not even see — the
 *      NOT_FOUND / null the API answers for an object that does not exist
 *
 * Fields that name no object and take no seller send the same request in a caller's "other"
 * column as in its own, so the two letters match.
 */

/** The columns, in the order of an entry's letters. */
export const COLUMNS = [
  'an', 'cu', 'cX',
  'oOW', 'oAD', 'oAG', 'oSU',
  'sOW', 'sFI', 'sCA', 'sSE',
  'xOW', 'xFI', 'xCA', 'xSE',
  'iAD', 'iNO', 'iOW', 'iOX',
] as const;
export type Column = (typeof COLUMNS)[number];

export interface Entry {
  /** 19 letters (A or D) in COLUMNS order; spaces are for the eye. */
  cells: string;
  /** Where the expectation comes from. */
  why: string;
}

const e = (cells: string, why: string): Entry => ({ cells, why });

// Recurring rows. design.md: "operator staff … everything in the store" is read as: every
// operator role reads everything; changes to the store's configuration, catalog, sellers and
// money are OWNER/ADMIN (README "Decisions": store settings, sellers, payouts, adjustments,
// chargebacks are operator owners'/admins').
const PUBLIC = e('AAA AAAA AAAA AAAA AAAA', 'design.md: the storefront (anonymous shopper) sees the catalog and seller pages; everybody else too');
const STAFF_READ = e('DDD AAAA DDDD DDDD DDDD', "design.md: operator staff see everything in the store; the store's configuration is nobody else's");
const STAFF_WRITE = e('DDD AADD DDDD DDDD DDDD', "design.md: store-wide rules are the operator's; README: operator owners/admins (judgement where README is silent: AGENT sells, SUPPORT serves customers)");
const ATTRIBUTE_WRITE = e(
  'DDD AADD DDDD DDDD AADD',
  'design.md: only operator staff and attribute-permitted integrations change attributes; guest-linked integrations are forced off; README: operator owners/admins and admin-side integrations',
);
const CART = e(
  'AAD AAAA DDDD DDDD DDDD',
  "design.md: a cart is reached by its token (anonymous shopper, its customer); operator staff build carts for customers; README: a customer's cart is the customer's, seller users and integrations do not use carts",
);
const PAYOUT_READ = e(
  'DDD AAAA AADD DDDD DAAD',
  "design.md: a guest seller sees only its own seller's data, FINANCE: finance data; README \"Who sees what\": the seller's OWNER/FINANCE users and its integration, operator staff of any role",
);
const ORDER_FULFIL = e(
  'DDD AADD ADDA DDDD DAAD',
  "design.md's transition table: the order's seller OWNER/SERVICE users or its integration; operator OWNER/ADMIN",
);
const ORDER_ADJUST = e(
  'DDD AAAA ADDA DDDD DAAD',
  "design.md's transition table (item unavailable, edit): seller OWNER/SERVICE, its integration, operator staff",
);
const RETURN_MOVE = e(
  'DDD AAAA ADDA DDDD DAAD',
  "design.md (returns are the seller's customer service); README's return table: the order's seller OWNER/SERVICE users, its integration, operator staff",
);
const CATALOG_WRITE = e(
  'DDD AADD ADAD DDDD DAAD',
  "design.md: seller OWNER (everything of its seller) and CATALOG (products and stock), its integration (only that seller); README: operator owners/admins for any seller",
);
const WEBHOOK_MANAGE = e('DDD AADD ADDD DDDD DAAD', "README: operator owners/admins, a seller's owner and its integrations (their own seller's)");
const SELLER_ADMIN = e('DDD AADD ADDD DDDD DDDD', "README \"Decisions\": seller owners manage their own seller (users, integrations, profile); operator owners/admins any seller");
const ANYONE = e('AAA AAAA AAAA AAAA AAAA', 'design.md: self sign-up, login and password reset are open; the token or credentials are the capability');

export const MATRIX: Record<string, Entry> = {
  // ---------------------------------------------------------------- Query
  'Query.attentionItems': STAFF_READ,
  'Query.auditLog': e('DDD AADD ADDD DDDD DDDD', "README \"Audit log\": operator owners/admins read the store's, a seller's owner its own seller's"),
  'Query.brands': PUBLIC,
  'Query.campaign': e('DDD AAAA DDDD DDDD DDDD', 'design.md: campaigns are operator-created; README: sellers list the campaigns open to them through sellerCampaigns'),
  'Query.campaignProducts': e('AAA AAAA AAAA AAAA AAAA', "README: the storefront reads a campaign's products"),
  'Query.campaignResults': e(
    'DDD AADD AAAD DDDD DDAD',
    "README \"Campaigns\": operator owners/admins every seller; a seller's owner, catalog and finance users and its integration their own (judgement: the admin seller joins no campaign)",
  ),
  'Query.campaigns': e('DDD AAAA DDDD DDDD DDDD', 'design.md: campaigns are operator-created; every campaign, drafts included, is staff business'),
  'Query.cart': CART,
  'Query.catalogChanges': e(
    'DDD AADA ADAD DDDD DAAD',
    "README \"Change feeds\": a seller's users and integrations read their own seller's, staff the store's; design.md roles: catalog changes are OWNER/CATALOG business; README \"Decisions\": not a sales AGENT's",
  ),
  'Query.categories': PUBLIC,
  'Query.category': PUBLIC,
  'Query.chargebacks': e('DDD AAAA DDDD DDDD DDDD', 'README: chargebacks are listed to operator staff; sellers see theirs in their statement'),
  'Query.colors': PUBLIC,
  'Query.commissionRules': e('DDD AADD DDDD DDDD DDDD', "design.md: commission is the store's rule, overridable per seller/category; a seller reads its own rates (myCommissionRates); README \"Decisions\": operator OWNER/ADMIN business"),
  'Query.contingencyShippingTable': STAFF_READ,
  'Query.faqArticles': e('DDD AAAA AAAA AAAA DDDD', 'README "Help": articles for seller users, written by operator staff (judgement: not public, not for integrations)'),
  'Query.fraudAnalysis': e('DDD AAAA DDDD DDDD DDDD', 'design.md: fraud analysis is settled by operator staff; scores are not shown to sellers or shoppers (judgement)'),
  'Query.freightRule': STAFF_READ,
  'Query.freightRules': STAFF_READ,
  'Query.integrations': e('DDD AADD ADDD DDDD DDDD', "README: a seller's owner creates, revokes and configures its integrations; README \"Decisions\": operator OWNER/ADMIN business (judgement: not the integrations themselves)"),
  'Query.ledgerEntries': e('DDD AADD DDDD DDDD DDDD', 'design.md: the double-entry ledger of the whole store is the operator\'s; README "Decisions": its OWNER/ADMIN users\''),
  'Query.marketplaceSettings': PUBLIC,
  'Query.myCarts': e('DAA DDDD DDDD DDDD DDDD', "design.md: a customer's own carts"),
  'Query.myCommissionRates': e(
    'DDD AADD AADD DDDD DDDD',
    "design.md: FINANCE role: finance data of its own seller; README \"Decisions\": operator OWNER/ADMIN; an integration reads statements and payouts, not rates",
  ),
  'Query.order': e(
    'DAD AAAA AADA DDDD DAAD',
    "design.md: a customer its own orders, staff all, a seller its own; README: catalog users do not see orders; integrations their seller's orders",
  ),
  'Query.orderByLink': e('AAA AAAA AADA DDDD DAAD', 'design.md: the signed link in the e-mail opens the order without an account; README "Decisions": for shoppers — seller users and integrations see only what their own rights show'),
  'Query.orderChanges': e('DDD AADA AADA DDDD DAAD', "README \"Change feeds\": a seller's users (those who read its orders) and integrations their own, staff the store's; README \"Decisions\": not a sales AGENT's"),
  'Query.orders': e('DAA AAAA AADA DDDD DAAD', "design.md: a customer its own orders, staff all, a seller its own (never another's: FORBIDDEN); README: catalog users do not see orders"),
  'Query.ordersOfCart': CART,
  'Query.paymentTransaction': e('DDD AAAA DDDD DDDD DDDD', "design.md: payment transactions are the store's; shoppers see their orders (judgement)"),
  'Query.payout': e('DDD AAAA AADD DDDD DDAD', "as PAYOUT_READ; README: the admin seller gets no payouts, so iNO names A's payout"),
  'Query.payoutCalendar': PAYOUT_READ,
  'Query.payoutSettings': e('DDD AAAA AADD AADD AAAA', "README: the settlement rule is read with the payouts (OWNER/FINANCE, integrations, staff); it names no seller"),
  'Query.payouts': PAYOUT_READ,
  'Query.pixProviders': PUBLIC,
  'Query.product': PUBLIC,
  'Query.products': PUBLIC,
  'Query.productsForHub': e('DDD AAAA DDDD DDDD AADD', 'README: productsForHub is for operator staff and admin-side integrations (the external hub exporter)'),
  'Query.promotion': e('DDD AAAA DDDD DDDD DDDD', "design.md: store-wide promotions are the operator's; an unpublished coupon list is no shopper's (judgement)"),
  'Query.promotions': e('DDD AAAA DDDD DDDD DDDD', "design.md: store-wide promotions are the operator's"),
  'Query.receivables': PAYOUT_READ,
  'Query.return': e('DAD AAAA AADA DDDD DAAD', "design.md: a customer its own returns; README: another seller's return does not exist for a seller; FINANCE reads (refunds are money), CATALOG does not"),
  'Query.returns': e('DAA AAAA AADA DDDD DAAD', 'as return(code), listed'),
  'Query.seller': PUBLIC,
  'Query.sellerAdjustments': PAYOUT_READ,
  'Query.sellerBalance': PAYOUT_READ,
  'Query.sellerCampaigns': e(
    'DDD AAAA ADAD DDDD DDAD',
    "README \"Campaigns\": seller owner and catalog users and its integration list the campaigns open to them; staff read (judgement: the admin seller joins no campaign)",
  ),
  'Query.sellerDashboard': e('DDD AAAA AAAA DDDD DDDD', 'README "Seller portal": staff name any seller, seller users only their own (judgement: the portal is for people, not integrations)'),
  'Query.sellerLedger': e('DDD AADD AADD DDDD DDDD', "design.md: a guest seller sees only its own seller's data, FINANCE: finance data; README \"Decisions\": operator OWNER/ADMIN; an integration reads statements, not ledger lines"),
  'Query.sellerStatement': PAYOUT_READ,
  'Query.sellers': PUBLIC,
  'Query.serviceCalendar': e('DDD AAAA AAAA AAAA DDDD', "README: the service desk's calendar is the store's; seller users answer against it (judgement)"),
  'Query.shippingQuotePreview': STAFF_READ,
  'Query.shippingSettings': STAFF_READ,
  'Query.shippingTable': STAFF_READ,
  'Query.shippingTables': STAFF_READ,
  'Query.sizes': PUBLIC,
  'Query.tags': PUBLIC,
  'Query.ticket': e('DAD AAAA ADDA DDDD DDDD', "design.md: a customer its own tickets; service: orders' customer service and tickets; README: customer tickets are answered by the seller's OWNER and SERVICE users"),
  'Query.tickets': e('DAA AAAA ADDA DDDD DDDD', 'as ticket(id), listed (customer tickets)'),
  'Query.viewer': ANYONE,
  'Query.webhookDeliveries': e('DDD AADD ADDD DDDD DAAD', "README: a subscription's owner (seller owner, its integration) reads its log; README \"Decisions\": operator OWNER/ADMIN"),
  'Query.webhookEventTypes': e('DDD AADD ADDD ADDD AAAA', 'README: the catalogue, for whoever may subscribe (seller owners, integrations); README "Decisions": operator OWNER/ADMIN'),
  'Query.webhookSubscriptions': e('DDD AADD ADDD DDDD DAAD', "README: operator OWNER/ADMIN (\"Decisions\"), a seller's owner and its integrations (their own seller's)"),

  // ---------------------------------------------------------------- Mutation
  'Mutation.addCartLine': CART,
  'Mutation.addProductReview': e('DAA DDDD DDDD DDDD DDDD', 'design.md: reviews belong to the product; README: customers review (one per product)'),
  'Mutation.addTicketMessage': e('DAD AAAA ADDA DDDD DDDD', "as ticket(id): the ticket's customer, the order's seller OWNER/SERVICE, operator staff"),
  'Mutation.addTrackingEvent': ORDER_FULFIL,
  'Mutation.answerProductQuestion': e('DDD AADA ADAA DDDD DDDD', "README: the owning seller's OWNER/CATALOG/SERVICE users or operator staff answer, not a sales AGENT (\"Decisions\"; judgement: a person, not an integration)"),
  'Mutation.applyVoucher': CART,
  'Mutation.approveProduct': e('DDD AADD DDDD DDDD DDDD', 'design.md: the operator approves or rejects products waiting for review (judgement: owners/admins)'),
  'Mutation.approveReturn': RETURN_MOVE,
  'Mutation.approveSeller': e('DDD AADD DDDD DDDD DDDD', 'design.md: operator staff approve and suspend; README "Decisions": operator owners/admins'),
  'Mutation.archiveProduct': CATALOG_WRITE,
  'Mutation.askProductQuestion': e('DAA DDDD DDDD DDDD DDDD', 'README: customers review and ask'),
  'Mutation.bulkUpdateProducts': e('DDD AADD DDDD DDDD DDDD', "README: bulk changes cross sellers, so they are the operator's (judgement: owners/admins, as other catalog writes)"),
  'Mutation.cancelOrder': e(
    'DAD AAAA ADDA DDDD DAAD',
    "design.md's transition table: the customer (its own order, until INVOICED); seller OWNER/SERVICE and its integration; operator staff",
  ),
  'Mutation.cancelOrderLines': ORDER_ADJUST,
  'Mutation.checkout': e('AAD AAAA DDDD DDDD DDDD', "design.md: the anonymous shopper and the customer check out; agents build carts for customers (judgement: every staff role may check a customer's cart out); README: seller users and integrations do not use carts"),
  'Mutation.closeTicket': e('DAD AAAA ADDA DDDD DDDD', "as ticket(id): either side of the ticket may close it (judgement)"),
  'Mutation.confirmBankDeposit': e('DDD AADD DDDD DDDD DDDD', "design.md: the operator confirms deposits; README's transition table: operator OWNER/ADMIN"),
  'Mutation.confirmPayout': e('DDD AADD DDDD DDDD DDDD', 'README: confirming and failing payouts: operator OWNER/ADMIN'),
  'Mutation.createBrand': ATTRIBUTE_WRITE,
  'Mutation.createCampaign': e('DDD AADD DDDD DDDD DDDD', 'design.md: campaigns are operator-created; README: operator owners/admins'),
  'Mutation.createCart': e('AAA AAAA DDDD DDDD DDDD', 'design.md: shoppers build carts, agents build them for customers; README: seller users and integrations do not use carts'),
  'Mutation.createCategory': ATTRIBUTE_WRITE,
  'Mutation.createColor': ATTRIBUTE_WRITE,
  'Mutation.createCommissionRule': STAFF_WRITE,
  'Mutation.createFaqArticle': e('DDD AADA DDDD DDDD DDDD', 'README "Help": written by operator OWNER/ADMIN/SUPPORT staff'),
  'Mutation.createFreightRule': STAFF_WRITE,
  'Mutation.createGiftCard': e('DDD AADD DDDD DDDD DDDD', "design.md: the voucher payment method is stored value, the store's (judgement: issuing value is owners'/admins')"),
  'Mutation.createIntegration': SELLER_ADMIN,
  'Mutation.createProduct': CATALOG_WRITE,
  'Mutation.createPromotion': STAFF_WRITE,
  'Mutation.createSeller': e('DDD AADD DDDD DDDD DDDD', 'README "Decisions": creating guest sellers is operator owners\'/admins\''),
  'Mutation.createSellerAdjustment': e('DDD AADD DDDD DDDD DDDD', 'README: adjustments are operator owners\'/admins\''),
  'Mutation.createSellerUser': SELLER_ADMIN,
  'Mutation.createShippingTable': STAFF_WRITE,
  'Mutation.createSize': ATTRIBUTE_WRITE,
  'Mutation.createTag': ATTRIBUTE_WRITE,
  'Mutation.createWebhookSubscription': WEBHOOK_MANAGE,
  'Mutation.decideFraudAnalysis': e('DDD AADA DDDD DDDD DDDD', "design.md: REVIEW is settled by operator staff; README's transition table: operator OWNER/ADMIN/SUPPORT (fraud review)"),
  'Mutation.deleteBrand': ATTRIBUTE_WRITE,
  'Mutation.deleteCategory': ATTRIBUTE_WRITE,
  'Mutation.deleteColor': ATTRIBUTE_WRITE,
  'Mutation.deleteCommissionRule': STAFF_WRITE,
  'Mutation.deleteFreightRule': STAFF_WRITE,
  'Mutation.deleteProductReview': e('DAD AADA DDDD DDDD DDDD', 'judgement: a customer removes its own review; store moderators (owners, admins, support) any; sellers never'),
  'Mutation.deleteShippingTable': STAFF_WRITE,
  'Mutation.deleteSize': ATTRIBUTE_WRITE,
  'Mutation.deleteTag': ATTRIBUTE_WRITE,
  'Mutation.deleteWebhookSubscription': WEBHOOK_MANAGE,
  'Mutation.editOrder': ORDER_ADJUST,
  'Mutation.exchangeReturn': RETURN_MOVE,
  'Mutation.failPayout': e('DDD AADD DDDD DDDD DDDD', 'README: confirming and failing payouts: operator OWNER/ADMIN'),
  'Mutation.fulfilOrders': ORDER_FULFIL,
  'Mutation.importFulfilment': ORDER_FULFIL,
  'Mutation.importProducts': CATALOG_WRITE,
  'Mutation.importShippingTableRows': STAFF_WRITE,
  'Mutation.invoiceOrder': ORDER_FULFIL,
  'Mutation.joinCampaign': e(
    'DDD AADD ADAD DDDD DDAD',
    "design.md: sellers join campaigns with their SKUs; README: seller owner and catalog users, its integration, operator owners/admins for a seller (judgement: the admin seller joins none)",
  ),
  'Mutation.leaveCampaign': e('DDD AADD ADAD DDDD DDAD', 'as joinCampaign'),
  'Mutation.login': ANYONE,
  'Mutation.logout': e('DAA AAAA AAAA AAAA DDDD', 'design.md: users hold bearer sessions; integrations have none to end'),
  'Mutation.markDelivered': ORDER_FULFIL,
  'Mutation.openCampaign': e('DDD AADD DDDD DDDD DDDD', 'as createCampaign'),
  'Mutation.openReturn': e(
    'AAD AAAA ADDA DDDD DDDD',
    "design.md's transition table: the customer (or a signed order link: the anonymous cell presents it), seller SERVICE/OWNER, operator staff",
  ),
  'Mutation.openTicket': e('DAD AAAA DDDD DDDD DDDD', "README \"Seller portal\": a customer opens one about its own order, staff for a customer (a customer ticket; sellers open support tickets)"),
  'Mutation.receiveReturn': RETURN_MOVE,
  'Mutation.recordChargeback': e('DDD AADD DDDD DDDD DDDD', 'README: chargebacks: operator owners/admins'),
  'Mutation.redeliverWebhook': WEBHOOK_MANAGE,
  'Mutation.refreshPayout': e('DDD AADD DDDD DDDD DDDD', 'README: payout transfers are settled by operator OWNER/ADMIN'),
  'Mutation.refundReturn': RETURN_MOVE,
  'Mutation.rejectProduct': e('DDD AADD DDDD DDDD DDDD', 'as approveProduct'),
  'Mutation.rejectReturn': RETURN_MOVE,
  'Mutation.removeCartLine': CART,
  'Mutation.removeVoucher': CART,
  'Mutation.requestPasswordReset': ANYONE,
  'Mutation.resetPassword': ANYONE,
  'Mutation.resumeWebhookSubscription': WEBHOOK_MANAGE,
  'Mutation.reverseChargeback': e('DDD AADD DDDD DDDD DDDD', 'README: chargebacks: operator owners/admins'),
  'Mutation.revokeIntegration': SELLER_ADMIN,
  'Mutation.runPayouts': e('DDD AADD DDDD DDDD DDDD', 'README: running payouts: operator OWNER/ADMIN'),
  'Mutation.selectShippingOption': CART,
  'Mutation.setBuyer': CART,
  'Mutation.setCatalogIntegration': SELLER_ADMIN,
  'Mutation.setDefaultCommission': STAFF_WRITE,
  'Mutation.setPromotionActive': STAFF_WRITE,
  'Mutation.setReturnTracking': RETURN_MOVE,
  'Mutation.setSellerLogo': SELLER_ADMIN,
  'Mutation.setShippingAddress': CART,
  'Mutation.setStock': CATALOG_WRITE,
  'Mutation.shipOrder': ORDER_FULFIL,
  'Mutation.signUp': ANYONE,
  'Mutation.suspendSeller': e('DDD AADD DDDD DDDD DDDD', 'design.md: operator staff approve and suspend; README "Decisions": operator owners/admins'),
  'Mutation.updateBrand': ATTRIBUTE_WRITE,
  'Mutation.updateCampaign': e('DDD AADD DDDD DDDD DDDD', 'as createCampaign'),
  'Mutation.updateCartLine': CART,
  'Mutation.updateCategory': ATTRIBUTE_WRITE,
  'Mutation.updateColor': ATTRIBUTE_WRITE,
  'Mutation.updateCommissionRule': STAFF_WRITE,
  'Mutation.updateFaqArticle': e('DDD AADA DDDD DDDD DDDD', 'as createFaqArticle'),
  'Mutation.updateFreightRule': STAFF_WRITE,
  'Mutation.updateIntegrationPermissions': SELLER_ADMIN,
  'Mutation.updateMarketplaceSettings': e('DDD AADD DDDD DDDD DDDD', "README \"Decisions\": store settings are operator owners'/admins'"),
  'Mutation.updatePayoutSettings': e('DDD AADD DDDD DDDD DDDD', 'README: the settlement settings: operator OWNER/ADMIN'),
  'Mutation.updateProduct': CATALOG_WRITE,
  'Mutation.updatePromotion': STAFF_WRITE,
  'Mutation.updateSeller': e('DDD AADD ADDD DDDD DDDD', "README \"Decisions\": seller owners edit their seller's profile and policies; operator owners/admins any seller"),
  'Mutation.updateSellerBankData': e('DDD AADD AADD DDDD DDDD', 'design.md: FINANCE: finance and bank data; README "Decisions": finance users (and owners) set the bank data (judgement: operator owners/admins)'),
  'Mutation.updateSellerUser': SELLER_ADMIN,
  'Mutation.updateServiceCalendar': STAFF_WRITE,
  'Mutation.updateShippingSettings': STAFF_WRITE,
  'Mutation.updateShippingTable': STAFF_WRITE,
  'Mutation.updateSize': ATTRIBUTE_WRITE,
  'Mutation.updateTag': ATTRIBUTE_WRITE,
  'Mutation.upsertProducts': e('DDD AADD DDDD DDDD DAAD', 'README: the ERP upsert is for integrations (their own seller) and operator staff acting for a seller (judgement: owners/admins, as other catalog writes)'),
  'Mutation.verifyEmail': ANYONE,
};

/**
 * Where the running API answers otherwise today. The table above keeps what design.md (or
 * README, or judgement, as its note says) asks for; these cells are held to the API's current
 * answer instead, so the disagreement stays written down and reported rather than failing every
 * run. When either side changes, the test says so and the entry goes: the code is fixed, or the
 * table's letter is changed on purpose, with the rule written in README.
 */
export interface Disagreement {
  cells: Column[];
  /** What the API answers in those cells. */
  api: 'A' | 'D';
  why: string;
}

export const KNOWN_DISAGREEMENTS: Record<string, Disagreement> = {};

/** An entry's letters by column. */
export function expectations(entry: Entry): Record<Column, 'A' | 'D'> {
  const letters = entry.cells.replace(/\s+/g, '');
  if (letters.length !== COLUMNS.length || /[^AD]/.test(letters)) throw new Error(`an entry needs ${COLUMNS.length} letters A or D: "${entry.cells}"`);
  return Object.fromEntries(COLUMNS.map((c, i) => [c, letters[i] as 'A' | 'D'])) as Record<Column, 'A' | 'D'>;
}
