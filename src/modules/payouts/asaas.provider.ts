import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { centsToDecimalString, decimalToCents } from '../payments/index.js';
import type { PayoutDestination } from './payouts.entity.js';
import { transferRequest, type FetchLike, type TransferHttpResponse } from './transfer-http.js';
import { getPixKeyInfo } from '@brazilian-utils/brazilian-utils';
import {
  TransferRejectedError,
  TransferUncertainError,
  TransferWebhookError,
  type TransferOutcome,
  type TransferProvider,
  type TransferRequest,
  type TransferSnapshot,
  type TransferWebhookEvent,
  type TransferWebhookRequest,
} from './transfer.provider.js';

/**
 * Asaas transfers (https://docs.asaas.com, "Transferir para conta de outra instituição ou
 * chave Pix"):
 *   POST /v3/transfers        { value, operationType: "PIX", pixAddressKey, pixAddressKeyType,
 *                               description, externalReference } or { value, bankAccount: {…}, … }
 *   GET  /v3/transfers/{id}   the transfer; GET /v3/transfers?dateCreated[ge]=… the list
 * Authentication: the `access_token` header. Statuses: PENDING, BANK_PROCESSING, DONE,
 * CANCELLED, FAILED (with `failReason`). Webhooks post { id, event: TRANSFER_*, transfer }
 * with the token configured for them in the `asaas-access-token` header.
 *
 * Asaas publishes no idempotency header for transfers. What keeps a payout from being paid
 * twice: `externalReference` carries our payout id (kept and returned by Asaas), a request
 * whose answer was lost is looked up by that reference in the transfer list (never sent
 * again), and the caller claims the payout in the database before sending.
 */

export const ASAAS_PRODUCTION = 'https://api.asaas.com/v3';
export const ASAAS_SANDBOX = 'https://api-sandbox.asaas.com/v3';

export interface AsaasOptions {
  apiUrl: string;
  apiKey: string;
  /** The authentication token registered for the webhook (sent back in `asaas-access-token`). */
  webhookToken: string;
  timeoutMs: number;
  fetch?: FetchLike;
}

const transferSchema = z.object({
  id: z.string(),
  status: z.string(),
  value: z.union([z.number(), z.string()]),
  dateCreated: z.string().nullish(),
  endToEndIdentifier: z.string().nullish(),
  failReason: z.string().nullish(),
  externalReference: z.string().nullish(),
  operationType: z.string().nullish(),
});
type AsaasTransfer = z.infer<typeof transferSchema>;

const listSchema = z.object({ hasMore: z.boolean(), data: z.array(transferSchema) });
const errorSchema = z.object({ errors: z.array(z.object({ code: z.string().nullish(), description: z.string().nullish() })).min(1) });
const webhookSchema = z.object({ id: z.string().nullish(), event: z.string(), transfer: transferSchema.nullish() });

const OUTCOMES: Record<string, TransferOutcome> = { PENDING: 'PROCESSING', BANK_PROCESSING: 'PROCESSING', DONE: 'DONE', CANCELLED: 'FAILED', FAILED: 'FAILED' };

const EVP = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Asaas's pixAddressKeyType for a Pix key: CPF, CNPJ, EMAIL, PHONE or EVP (random key). */
/** Asaas's pixAddressKeyType for a key (the library reads every DICT form), or null. */
export function pixKeyType(key: string): { type: 'CPF' | 'CNPJ' | 'EMAIL' | 'PHONE' | 'EVP'; value: string } | null {
  const info = getPixKeyInfo(key);
  return info ? { type: info.type.toUpperCase() as 'CPF' | 'CNPJ' | 'EMAIL' | 'PHONE' | 'EVP', value: info.value } : null;
}

const ACCOUNT_TYPES: Record<string, string> = { CHECKING: 'CONTA_CORRENTE', SAVINGS: 'CONTA_POUPANCA' };

export class AsaasTransferProvider implements TransferProvider {
  readonly name = 'asaas';
  readonly manual = false;

  constructor(private readonly options: AsaasOptions) {}

  async send(request: TransferRequest): Promise<TransferSnapshot> {
    if (request.amount.currency !== 'BRL') throw new TransferRejectedError(this.name, `Asaas transfers reais only, not ${request.amount.currency}.`);
    const body = { value: Number(centsToDecimalString(request.amount.amount)), description: request.description, externalReference: request.payoutId, ...this.target(request.destination) };
    const response = await this.call('POST', '/transfers', 'POST /transfers', JSON.stringify(body));
    if (response.status === 200 || response.status === 201) return this.snapshot(this.parse(transferSchema, response, 'POST /transfers'));
    throw this.refusal(response, 'POST /transfers');
  }

  async lookup(request: { payoutId: string; transferId: string | null; createdOn: string }): Promise<TransferSnapshot | null> {
    if (request.transferId) {
      const response = await this.call('GET', `/transfers/${encodeURIComponent(request.transferId)}`, 'GET /transfers/{id}');
      if (response.status === 404) return null;
      if (response.status !== 200) throw this.refusal(response, 'GET /transfers/{id}');
      return this.snapshot(this.parse(transferSchema, response, 'GET /transfers/{id}'));
    }
    // The list cannot be filtered by external reference: page through what was created since.
    for (let offset = 0; offset < 10_000; offset += 100) {
      const query = `dateCreated%5Bge%5D=${request.createdOn}&offset=${offset}&limit=100`;
      const response = await this.call('GET', `/transfers?${query}`, 'GET /transfers');
      if (response.status !== 200) throw this.refusal(response, 'GET /transfers');
      const page = this.parse(listSchema, response, 'GET /transfers');
      const found = page.data.find((t) => t.externalReference === request.payoutId);
      if (found) return this.snapshot(found);
      if (!page.hasMore) return null;
    }
    throw new TransferUncertainError(this.name, 'asaas: too many transfers to search for the external reference');
  }

  async parseWebhook(request: TransferWebhookRequest): Promise<TransferWebhookEvent> {
    const raw = request.headers['asaas-access-token'];
    const token = typeof raw === 'string' ? raw : raw?.[0];
    if (!token) throw new TransferWebhookError(this.name, 'missing asaas-access-token header');
    const a = Buffer.from(token);
    const b = Buffer.from(this.options.webhookToken);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new TransferWebhookError(this.name, 'asaas-access-token does not match');
    let body: z.infer<typeof webhookSchema>;
    try {
      body = webhookSchema.parse(JSON.parse(request.rawBody));
    } catch {
      throw new TransferWebhookError(this.name, 'not an Asaas notification');
    }
    if (!body.event.startsWith('TRANSFER_') || !body.transfer) return { type: 'IGNORED', reason: `event ${body.event}` };
    const snapshot = this.snapshot(body.transfer);
    return { type: 'TRANSFER', eventId: body.id ?? `${body.event}:${body.transfer.id}:${body.transfer.status}`, snapshot };
  }

  // -------------------------------------------------------------------------------------

  private target(d: PayoutDestination): Record<string, unknown> {
    if (d.pixKey) {
      // Bank data never goes into a message: failure reasons are read more widely than bank data.
      const key = pixKeyType(d.pixKey);
      if (!key) throw new TransferRejectedError(this.name, "The seller's Pix key is not a CPF, CNPJ, e-mail, phone (+55…) or random key: correct the bank data.");
      return { operationType: 'PIX', pixAddressKey: key.value, pixAddressKeyType: key.type };
    }
    const bankAccountType = ACCOUNT_TYPES[d.accountType];
    if (!bankAccountType) throw new TransferRejectedError(this.name, 'A payment account receives through its Pix key: add one to the bank data.');
    const account = /^(\d+)-?([0-9Xx])$/.exec(d.account.replace(/\s/g, ''));
    if (!account) throw new TransferRejectedError(this.name, "The seller's account number needs its check digit (e.g. 12345-6): correct the bank data.");
    // Without operationType Asaas sends a Pix when the bank takes Pix, else a TED.
    return {
      bankAccount: {
        bank: { code: d.bankCode },
        ownerName: d.holderName,
        cpfCnpj: d.holderDocument,
        agency: d.branch.replace(/-.*$/, ''),
        account: account[1],
        accountDigit: account[2]!.toUpperCase(),
        bankAccountType,
      },
    };
  }

  private snapshot(t: AsaasTransfer): TransferSnapshot {
    const outcome = OUTCOMES[t.status] ?? 'PROCESSING';
    // The value is checked to be whole centavos (decimalToCents refuses more places).
    decimalToCents(t.value);
    return {
      transferId: t.id,
      externalReference: t.externalReference ?? null,
      outcome,
      endToEndId: t.endToEndIdentifier ?? null,
      failureReason: outcome === 'FAILED' ? (t.failReason ?? `Asaas status ${t.status}`) : null,
      providerStatus: t.status,
    };
  }

  private refusal(response: TransferHttpResponse, operation: string): TransferRejectedError {
    const parsed = errorSchema.safeParse(response.json);
    const first = parsed.success ? parsed.data.errors[0] : undefined;
    const why = first?.description ?? first?.code ?? `HTTP ${response.status}`;
    return new TransferRejectedError(this.name, `Asaas refused ${operation}: ${why}`, response.status);
  }

  private parse<T>(schema: z.ZodType<T>, response: TransferHttpResponse, operation: string): T {
    const parsed = schema.safeParse(response.json);
    // A 2xx we cannot read may still have moved money: uncertain, not refused.
    if (!parsed.success) throw new TransferUncertainError(this.name, `Asaas answered ${operation} with an unexpected body`);
    return parsed.data;
  }

  private call(method: 'GET' | 'POST', path: string, operation: string, body?: string): Promise<TransferHttpResponse> {
    return transferRequest({
      provider: this.name,
      operation,
      method,
      url: `${this.options.apiUrl.replace(/\/+$/, '')}${path}`,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'marketplace-api', access_token: this.options.apiKey },
      body,
      timeoutMs: this.options.timeoutMs,
      fetch: this.options.fetch,
    });
  }
}
