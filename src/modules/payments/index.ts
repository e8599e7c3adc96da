// The provider extension point: what a card or Pix provider implements, and its errors.
export {
  ProviderNetworkError,
  ProviderTimeoutError,
  ProviderRejectedError,
  PaymentProviderError,
  PaymentConfigError,
  WebhookVerificationError,
  cardToken,
  type CardBrand,
  type CardToken,
  type Buyer,
  type WebhookRequest,
  type ProviderName,
  type PaymentProviderBase,
  type CardPaymentProvider,
  type PixPaymentProvider,
} from './payments.provider.js';
export { loadPaymentsConfig, createPaymentProviders, PAYMENT_PROVIDERS, paymentProviders, type PaymentsConfig, type PaymentProviders } from './payments.config.js';
export { splitPayment, splitRefund, PAYMENT_COMBINATIONS, type PaymentPart, type PaymentPartInput, type PaymentPartMethod } from './payments.split.js';
export { SandboxPaymentProvider, SANDBOX_SIGNATURE_HEADER, type SignedWebhook } from './sandbox.provider.js';
export { CieloPaymentProvider, CIELO_PRODUCTION, CIELO_SANDBOX } from './cielo.provider.js';
export { MercadoPagoPixProvider, MERCADOPAGO_API_URL } from './mercadopago.provider.js';
export { centsToDecimalString, decimalToCents } from './decimal.js';
export { paymentRoutes } from './payments.routes.js';

export { giveBackAbandoned, nothingLeftStanding, paymentReleaseRecovery } from './payments.recovery.js';
export { ProviderCall, ProviderCallKind, ProviderCallStatus } from './provider-call.entity.js';
export { journaledCall, withClaim, type CallSpec, type CallOutcome, type AbandonedCalls } from './provider-calls.js';
export { authorizePayment, abandonAuthorization, type CheckoutPaymentPart, type AuthorizedPart, type PaymentAuthorization } from './payments.authorize.js';
export { recordTransaction } from './payments.record.js';
export { RELEASE_SCOPE, captureTransaction, lockCartTransaction, releasePayment, type LockedTransaction, type ReleaseAction, type ReleaseResult } from './payments.service.js';
export { applyPaymentEvent, confirmBankDeposit, expireUnpaidTransactions, type EventOutcome } from './confirmation.service.js';
export { PAYMENT_LIFECYCLE, type PaymentLifecycle, type PaymentConfirmation } from './payments.lifecycle.js';
export { PAYMENT_CHARGEBACKS, enterChargeback, type ChargebackNotice, type OperatorChargebackInput, type PaymentChargebacks } from './payments.chargebacks.js';
export { PAYMENT_MANAGER_ROLES } from './payments.access.js';
export { createGiftCard, findGiftCardByCode, hashGiftCardCode } from './giftcards.service.js';
export { paymentSettings, runtimePaymentSettings, PAYMENT_SETTINGS, LEASE_TIMEOUTS, type PaymentSettings } from './payments.settings.js';
export { PaymentTransaction, PaymentTransactionPart, PaymentEventRecord, PaymentOperation, GiftCard, PaymentTransactionStatus, PaymentPartStatus } from './payments.entity.js';
export { PaymentTransactionType, PaymentTransactionPartType, toPaymentTransactionType } from './payments.types.js';
export { transactionByCartId } from './payments.loaders.js';

import { GiftCard, PaymentEventRecord, PaymentOperation, PaymentTransaction, PaymentTransactionPart } from './payments.entity.js';
import { ProviderCall as ProviderCallEntity } from './provider-call.entity.js';
import { SandboxPaymentRow, SandboxRequestRow } from './sandbox.store.js';
import { PaymentResolver } from './payments.resolver.js';
import { paymentRules as rules } from './payments.rules.js';

// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const paymentResolvers = [PaymentResolver] as const;
export const paymentRules: Record<string, Record<string, unknown>> = rules;
export const paymentEntities = [PaymentTransaction, PaymentTransactionPart, PaymentEventRecord, PaymentOperation, GiftCard, ProviderCallEntity, SandboxPaymentRow, SandboxRequestRow] as const;

// Used by other modules.
export { PaymentPartMethodEnum, PixProviderEnum } from './payments.types.js';
export { PROVIDERS, PROVIDER_NAMES, type CardProviderName, type PixProviderName } from './providers.js';
