import type { Runtime } from '../../shared/runtime/index.js';
import { NeedsAttentionError, type ClaimRecovery, type Lease } from '../../shared/idempotency/index.js';
import { movedMoney, unsettledAuthorizations, voidAbandonedCalls, type AbandonedCalls } from './provider-calls.js';
import { RELEASE_SCOPE, cardProviderFor } from './payments.service.js';
import { runtimePaymentSettings } from './payments.settings.js';

/**
 * What the payments layer does for idempotency claims whose holder stopped mid-way (issue 18):
 * give back what the stopped attempts authorized, and decide whether a key may be freed.
 */

/**
 * Voids, through the provider and once, the authorizations earlier attempts of `lease`'s
 * claim made and no committed operation recorded (checkout calls it when it takes a key over,
 * and its recovery). Throws when a provider cannot be reached.
 */
export function giveBackAbandoned(runtime: Runtime, lease: Lease): Promise<AbandonedCalls> {
  return voidAbandonedCalls(runtime, lease, (name) => cardProviderFor(runtime, name));
}

/** True when the claim may be released: no authorization of its attempts is left standing. */
export async function nothingLeftStanding(runtime: Runtime, lease: Lease): Promise<boolean> {
  return (await unsettledAuthorizations(runtime, lease.id)) === 0;
}

/**
 * Recovery of payment releases (cancellations, refunds) nobody replays. A release whose
 * transaction rolled back left nothing in our books; if it made no refund the key is simply
 * freed. If a refund went out (or may have), the money is back with the buyer while the order
 * is not cancelled in our books: that is not for a machine to guess — the key is listed for
 * operators, and its replay (the same request, the same key) completes it without refunding
 * again (the provider-call journal answers).
 */
export function paymentReleaseRecovery(runtime: Runtime): ClaimRecovery {
  return {
    scope: RELEASE_SCOPE,
    leaseMs: runtimePaymentSettings(runtime).leaseMs,
    async recover(lease) {
      if (await movedMoney(runtime, lease.id)) {
        await lease.expire();
        throw new NeedsAttentionError(
          `A refund was sent under payment release key ${lease.key} but the release did not commit: replay the cancellation with the same idempotency key to record it (nothing is refunded twice), or settle it by hand.`,
        );
      }
      await lease.release();
      return 'RELEASED';
    },
  };
}
