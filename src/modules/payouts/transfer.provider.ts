import { ServiceKey, type Runtime } from '../../shared/runtime/index.js';
import type { Money } from '../../shared/money/index.js';
import type { PayoutDestination } from './payouts.entity.js';

/**
 * The payout-provider extension point: how a payout's money reaches the seller. The built-in
 * manual provider leaves it to the operator (who confirms each payout with the bank or Pix
 * end-to-end reference); the Asaas adapter sends it through Asaas's transfer API.
 *
 * A transfer must never be sent twice. Every request carries the payout id as the provider's
 * external reference; an answer that never came (timeout, dropped connection) is settled by
 * looking the transfer up (`lookup`), never by sending it again.
 */

export interface TransferRequest {
  /** Our payout id: the external reference the provider keeps and returns. */
  payoutId: string;
  amount: Money;
  destination: PayoutDestination;
  description: string;
  /** The date the payout was created, in the store's time zone (YYYY-MM-DD). */
  createdOn: string;
}

export type TransferOutcome = 'PROCESSING' | 'DONE' | 'FAILED';

/** What the provider says about a transfer now. */
export interface TransferSnapshot {
  /** The provider's transfer id; null for the manual provider. */
  transferId: string | null;
  /** Our payout id, as the provider echoes it. */
  externalReference: string | null;
  outcome: TransferOutcome;
  /** Pix end-to-end id (or bank reference) once done. */
  endToEndId: string | null;
  failureReason: string | null;
  /** The provider's own status word, for support. */
  providerStatus: string;
}

export interface TransferWebhookRequest {
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  rawBody: string;
}

export type TransferWebhookEvent = { type: 'TRANSFER'; eventId: string; snapshot: TransferSnapshot } | { type: 'IGNORED'; reason: string };

export interface TransferProvider {
  /** Stored on each payout (manual, asaas). */
  readonly name: string;
  /** True when the operator confirms payouts by hand (no API to call or poll). */
  readonly manual: boolean;
  /** Asks for the transfer. Throws TransferRejectedError (nothing was sent) or TransferUncertainError (maybe sent). */
  send(request: TransferRequest): Promise<TransferSnapshot>;
  /**
   * The transfer by its id, or by our external reference when its id is unknown; null when the
   * provider has none. `createdOn`: the first date (YYYY-MM-DD) a search by creation date covers
   * — the payout's store-zone date less a day's margin (transfers.service).
   */
  lookup(request: { payoutId: string; transferId: string | null; createdOn: string }): Promise<TransferSnapshot | null>;
  /** Verifies a notification (throws TransferWebhookError when it is not proven authentic) and reads it. */
  parseWebhook?(request: TransferWebhookRequest): Promise<TransferWebhookEvent>;
}

export abstract class TransferError extends Error {
  constructor(
    readonly provider: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The provider refused the request: nothing was sent; the payout fails with this reason. */
export class TransferRejectedError extends TransferError {
  constructor(
    provider: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(provider, message);
  }
}

/** No answer (timeout, connection dropped, 5xx): the transfer may or may not exist; look it up. */
export class TransferUncertainError extends TransferError {}

/** A webhook that is not proven to come from the provider. */
export class TransferWebhookError extends TransferError {}

/** The slot src/app fills with the provider chosen by PAYOUT_PROVIDER. */
export const TRANSFER_PROVIDER = new ServiceKey<TransferProvider>('payouts.transferProvider');

export const transferProvider = (runtime: Runtime) => runtime.services.get(TRANSFER_PROVIDER);

/**
 * The built-in provider: nothing is sent anywhere. Each payout stays PROCESSING until
 * operator staff confirm it (confirmPayout, with the bank's or the Pix end-to-end reference)
 * or record that it failed (failPayout).
 */
export class ManualTransferProvider implements TransferProvider {
  readonly name = 'manual';
  readonly manual = true;

  async send(request: TransferRequest): Promise<TransferSnapshot> {
    return { transferId: null, externalReference: request.payoutId, outcome: 'PROCESSING', endToEndId: null, failureReason: null, providerStatus: 'AWAITING_OPERATOR' };
  }

  async lookup(): Promise<TransferSnapshot | null> {
    return null;
  }
}
