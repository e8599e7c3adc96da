/**
 * The fraud-analysis extension point: one small interface, a rule-based default
 * (`rules.analyzer.ts`) and a ClearSale-style HTTP adapter (`clearsale.analyzer.ts`); the
 * configuration (`fraud.config.ts`) picks one.
 *
 * A request describes the WHOLE cart, not one split order: fraud is a property of the buyer
 * and the purchase, and the design asks for one analysis per cart whose outcome then applies
 * to every order of that cart. Every item therefore travels with its seller and a
 * marketplace flag, so a provider sees that part of the cart is sold by guest sellers.
 *
 * All amounts are integer centavos (see src/shared/money); adapters convert at their boundary.
 */

export const FRAUD_OUTCOMES = ['APPROVED', 'REJECTED', 'REVIEW'] as const;
/** `REVIEW` is settled by operator staff (or, for a provider, by its analysts). */
export type FraudOutcome = (typeof FRAUD_OUTCOMES)[number];

export const PAYMENT_METHOD_KINDS = ['PIX', 'CREDIT_CARD', 'BANK_DEPOSIT', 'VOUCHER'] as const;
/**
 * The kind of one payment part. Combined methods (Pix + card, 2 cards…) are several parts;
 * "voucher" is stored value used as tender, not a discount.
 */
export type PaymentMethodKind = (typeof PAYMENT_METHOD_KINDS)[number];

export interface FraudCard {
  /** First 6 (or 8) digits. Card numbers never reach the API, only a provider token and these. */
  bin: string;
  last4: string;
  brand?: string;
  holderName?: string;
  /** 1–12. */
  installments: number;
}

export interface FraudPaymentPart {
  method: PaymentMethodKind;
  /** Centavos; the parts sum to `totals.total`. */
  amount: number;
  /** e.g. `mercadopago`, `cielo`: informative only. */
  provider?: string;
  /** Present exactly when `method` is `CREDIT_CARD`. */
  card?: FraudCard;
}

export interface FraudBuyer {
  /** The customer account, when the cart belongs to one (anonymous carts have none). */
  customerId?: string;
  name: string;
  email: string;
  /** CPF (11 digits) or CNPJ (14, numeric or alphanumeric); masks are tolerated. */
  document: string;
  /** Brazilian phone with area code, digits or masked, optionally with +55. */
  phone: string;
  /** When the customer account was created, if the buyer has one. */
  accountCreatedAt?: Date;
  ip?: string;
  /** Device-fingerprint session id, when the storefront collects one. */
  sessionId?: string;
}

export interface FraudAddress {
  recipientName?: string;
  street: string;
  number: string;
  complement?: string;
  district?: string;
  city: string;
  /** UF, e.g. `SP`. */
  state: string;
  /** CEP, 8 digits (a mask is tolerated). */
  postalCode: string;
  /** ISO 3166-1 alpha-2; `BR`. */
  country: string;
}

export interface FraudSeller {
  id: string;
  name: string;
  /** Null for the admin seller when it has none. */
  concatenationCode: string | null;
  /** CNPJ/CPF, when the caller has it at hand; providers may use it. */
  document?: string;
}

export interface FraudItem {
  /** The displayed SKU code (`<concat>-<raw>` or `<raw>`), unique store-wide. */
  skuCode: string;
  name: string;
  quantity: number;
  /** Centavos, the price charged per unit (before cart-level discounts). */
  unitPrice: number;
  categoryName?: string;
  seller: FraudSeller;
  /** True for a guest seller's item, false for the admin seller's (the store's own). */
  marketplace: boolean;
}

export interface FraudTotals {
  /** Σ quantity × unitPrice over the items. */
  merchandise: number;
  discount: number;
  freight: number;
  /** merchandise − discount + freight = Σ payment parts. */
  total: number;
}

export interface FraudRequest {
  /** The cart's number: the middle part of every order code split from it. */
  cartNumber: string;
  /**
   * The checkout moment. Rules measure time (account age) against this, never against the
   * clock, so the same request always gets the same verdict.
   */
  placedAt: Date;
  currency: 'BRL';
  totals: FraudTotals;
  payments: FraudPaymentPart[];
  buyer: FraudBuyer;
  delivery: FraudAddress;
  billing: FraudAddress;
  /** Every line of the cart, from every seller. */
  items: FraudItem[];
  /** How many distinct sellers the items belong to. */
  distinctSellers: number;
}

export interface FraudReason {
  /** Stable, machine-readable (a rule code, a provider status, `PROVIDER_UNAVAILABLE`…). */
  code: string;
  message: string;
}

export interface FraudVerdict {
  outcome: FraudOutcome;
  /** 0–100 integer, higher is riskier. */
  score: number;
  reasons: FraudReason[];
  /** Which analyzer answered: `rules`, `clearsale`. */
  provider: string;
  /** The provider's reference for this analysis (ClearSale: the order code it knows). */
  providerRef?: string;
}

export interface FraudAnalyzer {
  readonly provider: string;
  /**
   * Analyses one cart. Resolves with a verdict whenever the analysis could be attempted; a
   * provider that cannot be reached yields `REVIEW`, never `APPROVED` (see the adapter).
   * Rejects only on a malformed request, which is a bug in the caller.
   */
  analyze(request: FraudRequest): Promise<FraudVerdict>;
}

/** Outcomes ordered by severity: combining partial verdicts keeps the most severe one. */
export const OUTCOME_SEVERITY: Record<FraudOutcome, number> = { APPROVED: 0, REVIEW: 1, REJECTED: 2 };

export function countDistinctSellers(items: readonly FraudItem[]): number {
  return new Set(items.map((i) => i.seller.id)).size;
}

/**
 * Checks that a request adds up before any analyzer sees it. An inconsistent request is a
 * programming error in the checkout (the figures were frozen from the same cart), so it
 * throws instead of producing a verdict that would be about numbers nobody will charge.
 */
export function assertConsistentFraudRequest(request: FraudRequest): void {
  const problems: string[] = [];
  const { totals } = request;
  const amounts = { ...totals, ...Object.fromEntries(request.payments.map((p, i) => [`payments[${i}].amount`, p.amount])) };
  for (const [name, value] of Object.entries(amounts)) {
    if (!Number.isSafeInteger(value) || value < 0) problems.push(`${name} must be a non-negative integer of centavos, got ${value}`);
  }
  if (request.items.length === 0) problems.push('a cart without items cannot be analysed');
  request.items.forEach((item, i) => {
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) problems.push(`items[${i}].quantity must be a positive integer`);
    if (!Number.isSafeInteger(item.unitPrice) || item.unitPrice < 0) problems.push(`items[${i}].unitPrice must be integer centavos`);
  });
  const merchandise = request.items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);
  if (merchandise !== totals.merchandise) problems.push(`items sum to ${merchandise}, merchandise says ${totals.merchandise}`);
  if (totals.merchandise - totals.discount + totals.freight !== totals.total) {
    problems.push(`merchandise − discount + freight is ${totals.merchandise - totals.discount + totals.freight}, total says ${totals.total}`);
  }
  const paid = request.payments.reduce((sum, p) => sum + p.amount, 0);
  if (request.payments.length === 0) problems.push('a cart without payment parts cannot be analysed');
  else if (paid !== totals.total) problems.push(`payment parts sum to ${paid}, total says ${totals.total}`);
  request.payments.forEach((p, i) => {
    if ((p.method === 'CREDIT_CARD') !== (p.card !== undefined)) problems.push(`payments[${i}]: card data goes with CREDIT_CARD and only with it`);
  });
  const sellers = countDistinctSellers(request.items);
  if (sellers !== request.distinctSellers) problems.push(`items belong to ${sellers} sellers, distinctSellers says ${request.distinctSellers}`);
  if (problems.length) throw new Error(`inconsistent fraud request for cart ${request.cartNumber}: ${problems.join('; ')}`);
}

