// Step 1 of the payment transaction (payments.service.ts has the rest): authorize, before the
// checkout's database transaction.
import type { Runtime } from '../../shared/runtime/index.js';
import { AppError, ErrorCode, Validation } from '../../shared/errors/index.js';
import type { InstallmentRule, Money } from '../../shared/money/index.js';
import type { Lease } from '../../shared/idempotency/index.js';
import { findGiftCardByCode } from './giftcards.service.js';
import type { GiftCard } from './payments.entity.js';
import { CARD_BRANDS, CardDataRefusedError, ProviderNetworkError, ProviderRejectedError, ProviderTimeoutError, cardToken, type AuthorizeCardInput, type AuthorizeCardResult, type Buyer, type CardBrand, type CardTokenKind, type CreatePixResult, type DeclineReason, type ProviderName } from './payments.provider.js';
import { ProviderCallKind, ProviderCallStatus } from './provider-call.entity.js';
import { journaledCall, markAuthorizationVoided, voidAuthorization, withClaim } from './provider-calls.js';
import { runtimePaymentSettings } from './payments.settings.js';
import { splitPayment, type PaymentPartMethod } from './payments.split.js';
import { paymentProviders } from './payments.config.js';
import { MAX_IDEMPOTENCY_KEY, cardProviderFor, providerKey } from './payments.service.js';

export interface CheckoutPaymentPart {
  method: PaymentPartMethod;
  amount: Money;
  installments?: number;
  card?: { token: string; brand: CardBrand; tokenKind?: CardTokenKind; bin?: string; last4?: string; holderName?: string };
  /** VOUCHER parts: the gift card's code. */
  giftCardCode?: string;
  /** PIX parts: which of the store's Pix providers (`pixOffered`); the default one when left out. */
  pixProvider?: string;
}

/** One part after authorizePayment: what the provider gave us, and what recordTransaction stores. */
export interface AuthorizedPart {
  index: number;
  method: PaymentPartMethod;
  amount: Money;
  installments: number;
  /** AUTHORIZED: a card authorization, or a gift card whose balance covers the part (debited by recordTransaction). PENDING: waits for the buyer. */
  status: 'AUTHORIZED' | 'PENDING';
  provider: ProviderName | null;
  providerRef: string | null;
  authorizationCode: string | null;
  card: { brand: CardBrand; bin: string | null; last4: string | null } | null;
  pix: { qrCode: string; qrCodeImageBase64: string | null; ticketUrl: string | null; expiresAt: Date } | null;
  deposit: { reference: string; expiresAt: Date } | null;
  giftCard: { id: string; last4: string } | null;
  /** Input path of this part, for errors found later (a gift card emptied meanwhile). */
  field: string[];
}

export interface PaymentAuthorization {
  outcome: 'AUTHORIZED' | 'PENDING';
  parts: AuthorizedPart[];
  /** When unpaid Pix/deposit parts expire; null when nothing waits for the buyer. */
  expiresAt: Date | null;
}


const DECLINE_TEXT: Record<DeclineReason, string> = {
  INSUFFICIENT_FUNDS: 'insufficient funds',
  SUSPECTED_FRAUD: 'refused by the issuer as suspected fraud',
  EXPIRED_CARD: 'the card has expired',
  BLOCKED_CARD: 'the card is blocked',
  INVALID_CARD: 'the card data is not valid',
  INVALID_INSTALLMENTS: 'the issuer does not accept this number of installments',
  ISSUER_UNAVAILABLE: 'the issuer did not answer',
  PROCESSING_ERROR: 'the issuer could not process it',
  DO_NOT_HONOR: 'not authorized by the issuer',
};

const TOKEN_KINDS: readonly CardTokenKind[] = ['PAYMENT_TOKEN', 'CARD_TOKEN'];
const DEFAULT_PARTS_FIELD = ['input', 'payment', 'parts'];
// -------------------------------------------------------------------------------------
// Step 1: authorize (before the checkout's database transaction)

/**
 * Validates the parts (card installments against `installments`, the store's rule that the
 * checkout reads from its settings), checks gift-card balances (read only), authorizes card
 * parts and then creates Pix charges. Cards go first so that a declined card leaves no Pix charge behind;
 * whatever was authorized before a failure is voided before the error is thrown.
 */
export async function authorizePayment(
  runtime: Runtime,
  input: {
    reference: string;
    idempotencyKey: string;
    total: Money;
    parts: CheckoutPaymentPart[];
    buyer: Buyer;
    field?: string[];
    installments?: InstallmentRule;
    /** The caller's idempotency claim: renewed before each provider call, and named in the provider-call journal. */
    lease?: Lease | null;
  },
): Promise<PaymentAuthorization> {
  return withClaim(input.lease ?? null, () => authorize(runtime, input));
}

async function authorize(runtime: Runtime, input: Parameters<typeof authorizePayment>[1]): Promise<PaymentAuthorization> {
  const base = input.field ?? DEFAULT_PARTS_FIELD;
  if (!input.idempotencyKey || input.idempotencyKey.length > MAX_IDEMPOTENCY_KEY) {
    throw new Error(`authorizePayment needs an idempotency key of 1–${MAX_IDEMPOTENCY_KEY} characters`);
  }
  // The split's problems and the parts' own are reported together, so one round trip shows all of them.
  const v = new Validation();
  let split: ReturnType<typeof splitPayment> = [];
  try {
    split = splitPayment(input.total, input.parts, base, input.installments);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    for (const e of err.errors) v.add(e.code, e.message, e.field ?? [...base]);
  }
  v.check(input.total.currency === 'BRL', 'The store takes payments in BRL only.', [...base]);
  const at = (i: number, ...rest: string[]) => [...base, String(i), ...rest];
  input.parts.forEach((part, i) => {
    if (part.method === 'CARD') {
      if (!part.card) {
        v.add(ErrorCode.BAD_USER_INPUT, 'Card parts need the card token from the payment form.', at(i, 'card'));
      } else {
        try {
          cardToken(part.card.token);
        } catch (err) {
          if (!(err instanceof CardDataRefusedError)) throw err;
          v.add(ErrorCode.BAD_USER_INPUT, err.message, at(i, 'card', 'token'));
        }
        v.check(CARD_BRANDS.includes(part.card.brand), `The card brand must be one of ${CARD_BRANDS.join(', ')}.`, at(i, 'card', 'brand'));
        v.check(part.card.tokenKind === undefined || TOKEN_KINDS.includes(part.card.tokenKind), 'Unknown card token kind.', at(i, 'card', 'tokenKind'));
        v.check(part.card.bin === undefined || /^\d{6,8}$/.test(part.card.bin), 'The card BIN is its first 6 to 8 digits.', at(i, 'card', 'bin'));
        v.check(part.card.last4 === undefined || /^\d{4}$/.test(part.card.last4), 'The last four digits of the card, please.', at(i, 'card', 'last4'));
      }
    } else {
      v.check(part.card === undefined, 'Only card parts carry a card.', at(i, 'card'));
    }
    if (part.method === 'PIX') {
      v.check(
        part.pixProvider === undefined || paymentProviders(runtime).pixBy(part.pixProvider) !== undefined,
        `The store takes Pix through ${paymentProviders(runtime).pixOffered.join(' or ')}.`,
        at(i, 'pixProvider'),
      );
    } else {
      v.check(part.pixProvider === undefined, 'Only Pix parts name a Pix provider.', at(i, 'pixProvider'));
    }
    if (part.method === 'VOUCHER') {
      v.check(Boolean(part.giftCardCode?.trim()), 'Enter the gift card code.', at(i, 'giftCardCode'));
    } else {
      v.check(part.giftCardCode === undefined, 'Only gift card parts carry a gift card code.', at(i, 'giftCardCode'));
    }
  });
  v.throwIfAny();

  // Gift cards: read only here; recordTransaction locks and debits them.
  const giftCards = new Map<number, GiftCard>();
  const em = runtime.orm.em.fork();
  for (const [i, part] of input.parts.entries()) {
    if (part.method !== 'VOUCHER') continue;
    const card = await findGiftCardByCode(em, part.giftCardCode!);
    if (!card) v.add(ErrorCode.BAD_USER_INPUT, 'No active gift card has this code.', at(i, 'giftCardCode'));
    else if (card.currency !== part.amount.currency) v.add(ErrorCode.BAD_USER_INPUT, `This gift card holds ${card.currency}.`, at(i, 'giftCardCode'));
    else if (card.balanceCents < part.amount.amount) {
      v.add(ErrorCode.BAD_USER_INPUT, `The gift card ending in ${card.last4} has ${card.balanceCents} centavos left, less than ${part.amount.amount}.`, at(i, 'giftCardCode'));
    } else giftCards.set(i, card);
  }
  v.throwIfAny();

  const settings = runtimePaymentSettings(runtime);
  const now = Date.now();
  const pixExpiresAt = new Date(now + settings.PAYMENT_EXPIRY_MINUTES * 60_000);
  const depositExpiresAt = new Date(now + settings.PAYMENT_DEPOSIT_EXPIRY_MINUTES * 60_000);
  const blank = (i: number): AuthorizedPart => ({
    index: i,
    method: split[i]!.method,
    amount: split[i]!.amount,
    installments: split[i]!.installments,
    status: 'AUTHORIZED',
    provider: null,
    providerRef: null,
    authorizationCode: null,
    card: null,
    pix: null,
    deposit: null,
    giftCard: null,
    field: at(i),
  });
  const parts: AuthorizedPart[] = input.parts.map((_, i) => blank(i));
  const secured: AuthorizedPart[] = [];
  let current = 0;
  /** The card request whose answer we are waiting for: after a time-out its outcome is unknown. */
  let inFlightCard: AuthorizeCardInput | undefined;
  try {
    for (const [i, part] of input.parts.entries()) {
      if (part.method !== 'CARD') continue;
      current = i;
      const card = part.card!;
      const provider = paymentProviders(runtime).card;
      inFlightCard = {
        amount: part.amount,
        installments: split[i]!.installments,
        cardToken: cardToken(card.token),
        tokenKind: card.tokenKind,
        cardBrand: card.brand,
        reference: `${input.reference}-${i + 1}`,
        idempotencyKey: providerKey(input.idempotencyKey, 'auth', i),
        buyer: input.buyer,
      };
      const request = inFlightCard;
      const result = await journaledCall(
        runtime,
        { provider: provider.name, kind: ProviderCallKind.AUTHORIZE_CARD, providerKey: request.idempotencyKey, reference: request.reference, amount: part.amount },
        (memory) => provider.authorizeCard({ ...request, memory }),
        { outcome: (r: AuthorizeCardResult) => ({ status: r.status === 'AUTHORIZED' ? ProviderCallStatus.DONE : ProviderCallStatus.REFUSED, providerRef: r.providerRef ?? null }) },
      );
      inFlightCard = undefined;
      if (result.status === 'DECLINED') {
        const which = input.parts.filter((p) => p.method === 'CARD').length > 1 ? `Card ${i + 1}` : 'The card';
        throw new AppError(ErrorCode.PAYMENT_DECLINED, `${which} was declined: ${DECLINE_TEXT[result.reason]}. Try another card or payment method.`, at(i));
      }
      Object.assign(parts[i]!, {
        provider: provider.name,
        providerRef: result.providerRef,
        authorizationCode: result.authorizationCode ?? null,
        card: { brand: card.brand, bin: card.bin ?? null, last4: card.last4 ?? null },
      });
      secured.push(parts[i]!);
    }
    for (const [i, part] of input.parts.entries()) {
      if (part.method !== 'PIX') continue;
      current = i;
      const provider = part.pixProvider ? paymentProviders(runtime).pixBy(part.pixProvider)! : paymentProviders(runtime).pix;
      const pix = { amount: part.amount, reference: `${input.reference}-${i + 1}`, idempotencyKey: providerKey(input.idempotencyKey, 'pix', i), buyer: input.buyer, expiresAt: pixExpiresAt };
      const charge = await journaledCall(
        runtime,
        { provider: provider.name, kind: ProviderCallKind.CREATE_PIX, providerKey: pix.idempotencyKey, reference: pix.reference, amount: part.amount },
        (memory) => provider.createPix({ ...pix, memory }),
        {
          outcome: (r: CreatePixResult) => ({ status: ProviderCallStatus.DONE, providerRef: r.providerRef }),
          revive: (stored) => ({ ...(stored as CreatePixResult), expiresAt: new Date((stored as CreatePixResult).expiresAt) }),
        },
      );
      Object.assign(parts[i]!, {
        status: 'PENDING',
        provider: provider.name,
        providerRef: charge.providerRef,
        pix: { qrCode: charge.qrCode, qrCodeImageBase64: charge.qrCodeImageBase64 ?? null, ticketUrl: charge.ticketUrl ?? null, expiresAt: charge.expiresAt },
      });
    }
  } catch (err) {
    await abandonAuthorization(runtime, { outcome: 'AUTHORIZED', parts: secured, expiresAt: null });
    if (err instanceof AppError) throw err;
    if (err instanceof ProviderTimeoutError || err instanceof ProviderNetworkError) {
      runtime.logger.warn({ err, reference: input.reference, part: current }, 'payment provider unavailable at checkout');
      if (inFlightCard) await voidUnknownAuthorization(runtime, inFlightCard);
      throw new AppError(ErrorCode.PAYMENT_UNAVAILABLE, 'The payment provider did not answer in time; nothing was charged. Please try again.', at(current));
    }
    if (err instanceof ProviderRejectedError) {
      // A refusal of the request itself (not a decline) usually means configuration: log it loudly.
      runtime.logger.error({ err, reference: input.reference, part: current }, 'payment provider rejected a checkout request');
      throw new AppError(ErrorCode.PAYMENT_DECLINED, `The payment provider refused this payment: ${err.message}`, at(current));
    }
    throw err;
  }

  for (const [i, part] of input.parts.entries()) {
    if (part.method === 'VOUCHER') {
      const card = giftCards.get(i)!;
      parts[i]!.giftCard = { id: card.id, last4: card.last4 };
    } else if (part.method === 'BANK_DEPOSIT') {
      Object.assign(parts[i]!, { status: 'PENDING', deposit: { reference: depositReference(input.reference, i), expiresAt: depositExpiresAt } });
    }
  }
  const expiries = parts.map((p) => p.pix?.expiresAt ?? p.deposit?.expiresAt).filter((d): d is Date => d !== undefined);
  return {
    outcome: parts.some((p) => p.status === 'PENDING') ? 'PENDING' : 'AUTHORIZED',
    parts,
    expiresAt: expiries.length ? new Date(Math.max(...expiries.map((d) => d.getTime()))) : null,
  };
}

/** What the buyer writes on the deposit: the cart's reference, so the operator finds the cart. */
function depositReference(reference: string, index: number): string {
  return `${reference}-${index + 1}`.slice(0, 60);
}

/**
 * A card authorization that timed out may still have happened at the provider, holding the
 * buyer's limit for days while the shopper retries (under a new provider key). The provider is
 * asked what became of that request — a look-up only (`findAuthorization`: Cielo finds the sale
 * by its MerchantOrderId), never a second authorization — and what it finds is voided. When the
 * provider still cannot answer, the journal keeps the call STARTED and the recovery of the
 * checkout's claim looks again later.
 */
async function voidUnknownAuthorization(runtime: Runtime, request: AuthorizeCardInput): Promise<void> {
  const provider = paymentProviders(runtime).card;
  try {
    const outcome = await provider.findAuthorization({ reference: request.reference, idempotencyKey: request.idempotencyKey });
    if (outcome?.status === 'AUTHORIZED') {
      await voidAuthorization(provider, outcome.providerRef, outcome.amount);
      await journalOutcome(runtime, provider.name, request.idempotencyKey, ProviderCallStatus.VOIDED, outcome.providerRef);
    } else {
      await journalOutcome(runtime, provider.name, request.idempotencyKey, ProviderCallStatus.ABSENT, outcome?.providerRef ?? null);
    }
  } catch (err) {
    runtime.logger.warn(
      { err, provider: provider.name, idempotencyKey: request.idempotencyKey, reference: request.reference },
      'a timed-out card authorization could not be checked yet; the recovery of its checkout looks again',
    );
  }
}

async function journalOutcome(runtime: Runtime, provider: string, key: string, status: ProviderCallStatus, ref: string | null): Promise<void> {
  await runtime.orm.em
    .fork()
    .getConnection()
    .execute(`update provider_call set status = ?, provider_ref = coalesce(?, provider_ref), updated_at = now() where provider = ? and kind = 'AUTHORIZE_CARD' and provider_key = ?`, [status, ref, provider, key], 'run');
}

/**
 * Compensation when the checkout fails after authorizePayment: voids card authorizations (and
 * journals them VOIDED, so the recovery of the checkout's claim does not void them again).
 * Pix charges cannot be cancelled through the provider interface; the buyer never saw their
 * QR codes (the checkout failed) and they lapse at their expiry. Never throws: what could not
 * be voided now stays DONE in the journal, and the claim's recovery voids it later.
 */
export async function abandonAuthorization(runtime: Runtime, auth: PaymentAuthorization): Promise<void> {
  for (const part of auth.parts) {
    if (part.method !== 'CARD' || !part.providerRef || !part.provider) continue;
    try {
      await voidAuthorization(cardProviderFor(runtime, part.provider), part.providerRef, part.amount);
      await markAuthorizationVoided(runtime, part.provider, part.providerRef);
    } catch (err) {
      runtime.logger.error({ err, providerRef: part.providerRef }, 'could not void a card authorization of an abandoned checkout; the recovery of its claim retries');
    }
  }
}
