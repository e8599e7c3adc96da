import { randomUUID } from 'node:crypto';
import { startFakeProvider, type FakeProvider, type FakeReply, type RecordedRequest } from './fake-provider.js';

/**
 * A small Asaas on 127.0.0.1 for the payout tests: checks the `access_token` header, keeps the
 * transfers it is asked for (to a Pix key or a bank account) with Asaas's JSON shapes —
 * `{ object: "transfer", id, status, value, netValue, transferFee, dateCreated,
 * endToEndIdentifier, failReason, externalReference, operationType, … }` — answers
 * GET /v3/transfers/{id} and the paginated list (`{ object: "list", hasMore, totalCount,
 * limit, offset, data }`, filtered by dateCreated[ge]), and errors as `{ errors: [{ code,
 * description }] }`. Tests move transfers on (done, failed) and get the TRANSFER_* webhook
 * Asaas would post.
 */

export const ASAAS_API_KEY = '$aact_hmlg_000TestApiKeyForPayouts';
export const ASAAS_WEBHOOK_TOKEN = 'whsec-asaas-payout-token-0123456789';

export interface AsaasTransfer {
  object: 'transfer';
  id: string;
  dateCreated: string;
  status: 'PENDING' | 'BANK_PROCESSING' | 'DONE' | 'CANCELLED' | 'FAILED';
  effectiveDate: string | null;
  endToEndIdentifier: string | null;
  type: 'BANK_ACCOUNT';
  value: number;
  netValue: number;
  transferFee: number;
  scheduleDate: string;
  authorized: boolean;
  failReason: string | null;
  transactionReceiptUrl: string | null;
  externalReference: string | null;
  operationType: 'PIX' | 'TED';
  description: string | null;
  bankAccount: Record<string, unknown>;
}

export interface FakeAsaas {
  api: FakeProvider;
  transfers: Map<string, AsaasTransfer>;
  /** What the documented API answers (tests wrap `api.handle` to add delays or outages). */
  answer(req: RecordedRequest): FakeReply;
  /** The transfer reached the seller: DONE with an end-to-end id; returns Asaas's webhook. */
  complete(id: string): { headers: Record<string, string>; rawBody: string };
  /** The bank refused it: FAILED with a reason; returns the webhook. */
  fail(id: string, reason: string): { headers: Record<string, string>; rawBody: string };
  /** A transfer by its external reference. */
  byReference(ref: string): AsaasTransfer | undefined;
  close(): Promise<void>;
}

const error = (status: number, code: string, description: string): FakeReply => ({ status, json: { errors: [{ code, description }] } });
const today = () => new Date().toISOString().slice(0, 10);

export async function startFakeAsaas(): Promise<FakeAsaas> {
  const transfers = new Map<string, AsaasTransfer>();
  const api = await startFakeProvider();

  function create(req: RecordedRequest): FakeReply {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(req.body) as Record<string, unknown>;
    } catch {
      return error(400, 'invalid_object', 'JSON inválido.');
    }
    if (typeof body.value !== 'number' || body.value <= 0) return error(400, 'invalid_value', 'O valor da transferência deve ser informado.');
    const pix = typeof body.pixAddressKey === 'string';
    const bank = body.bankAccount as Record<string, unknown> | undefined;
    if (pix && !['CPF', 'CNPJ', 'EMAIL', 'PHONE', 'EVP'].includes(String(body.pixAddressKeyType))) return error(400, 'invalid_pixAddressKeyType', 'Tipo de chave Pix inválido.');
    if (!pix && !bank) return error(400, 'invalid_action', 'Informe a chave Pix ou a conta bancária de destino.');
    if (pix && String(body.pixAddressKey).startsWith('inexistente')) return error(400, 'invalid_action', 'A chave Pix informada não foi encontrada.');
    const id = randomUUID();
    const transfer: AsaasTransfer = {
      object: 'transfer',
      id,
      dateCreated: today(),
      status: 'PENDING',
      effectiveDate: null,
      endToEndIdentifier: null,
      type: 'BANK_ACCOUNT',
      value: body.value,
      netValue: body.value,
      transferFee: 0,
      scheduleDate: today(),
      authorized: true,
      failReason: null,
      transactionReceiptUrl: null,
      externalReference: typeof body.externalReference === 'string' ? body.externalReference : null,
      operationType: pix || body.operationType === 'PIX' ? 'PIX' : 'TED',
      description: typeof body.description === 'string' ? body.description : null,
      bankAccount: pix ? { bank: { ispb: '00000000', code: null, name: null }, pixAddressKey: body.pixAddressKey } : { ...bank, accountName: null, agencyDigit: null },
    };
    transfers.set(id, transfer);
    return { status: 200, json: transfer };
  }

  function answer(req: RecordedRequest): FakeReply {
    if (req.headers['access_token'] !== ASAAS_API_KEY) return error(401, 'invalid_access_token', 'A chave de API fornecida é inválida');
    if (req.method === 'POST' && req.path === '/v3/transfers') return create(req);
    const one = /^\/v3\/transfers\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && one) {
      const t = transfers.get(decodeURIComponent(one[1]!));
      return t ? { status: 200, json: t } : error(404, 'not_found', 'Transferência não encontrada.');
    }
    if (req.method === 'GET' && req.path === '/v3/transfers') {
      const since = req.query.get('dateCreated[ge]');
      const offset = Number(req.query.get('offset') ?? 0);
      const limit = Math.min(Number(req.query.get('limit') ?? 10), 100);
      const all = [...transfers.values()].filter((t) => !since || t.dateCreated >= since);
      return { status: 200, json: { object: 'list', hasMore: offset + limit < all.length, totalCount: all.length, limit, offset, data: all.slice(offset, offset + limit) } };
    }
    return error(404, 'not_found', 'Recurso não encontrado.');
  }
  api.handle = answer;

  const webhook = (event: string, t: AsaasTransfer) => ({
    headers: { 'content-type': 'application/json', 'asaas-access-token': ASAAS_WEBHOOK_TOKEN },
    rawBody: JSON.stringify({ id: `evt_${randomUUID().replace(/-/g, '')}&${Date.now()}`, event, dateCreated: new Date().toISOString().replace('T', ' ').slice(0, 19), account: { id: randomUUID(), ownerId: null }, transfer: t }),
  });

  return {
    api,
    transfers,
    answer,
    complete(id) {
      const t = transfers.get(id)!;
      t.status = 'DONE';
      t.effectiveDate = today();
      t.endToEndIdentifier = `E19540550${Date.now()}${Math.random().toString(36).slice(2, 8)}`.slice(0, 32);
      return webhook('TRANSFER_DONE', t);
    },
    fail(id, reason) {
      const t = transfers.get(id)!;
      t.status = 'FAILED';
      t.failReason = reason;
      return webhook('TRANSFER_FAILED', t);
    },
    byReference: (ref) => [...transfers.values()].find((t) => t.externalReference === ref),
    close: () => api.close(),
  };
}
