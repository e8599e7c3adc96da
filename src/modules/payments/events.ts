import type { PaymentEvent, PaymentSnapshot, ProviderName } from './payments.provider.js';

/**
 * Turns what the provider says about a payment now into the event the checkout acts on.
 * Used by providers whose notifications carry only an id (Cielo, Mercado Pago): the state
 * is always read back from the provider, never taken from the notification.
 */
export function eventFromSnapshot(provider: ProviderName, snap: PaymentSnapshot, eventId: string): PaymentEvent {
  const base = { provider, providerRef: snap.providerRef, method: snap.method, eventId };
  if (snap.state === 'CHARGED_BACK') return { ...base, type: 'PAYMENT_CHARGED_BACK', amount: snap.captured };
  if (snap.state === 'CHARGEBACK_REVERSED') return { ...base, type: 'PAYMENT_CHARGEBACK_REVERSED' };
  if (snap.refunded.amount > 0) return { ...base, type: 'PAYMENT_REFUNDED', refundedTotal: snap.refunded };
  if (snap.state === 'PAID') return { ...base, type: 'PAYMENT_CONFIRMED', amount: snap.captured };
  if (snap.state === 'DECLINED' || snap.state === 'CANCELLED') return { ...base, type: 'PAYMENT_FAILED', reason: snap.providerStatus };
  return { type: 'IGNORED', provider, reason: `status ${snap.providerStatus}`, providerRef: snap.providerRef, eventId };
}
