import { randomUUID } from 'node:crypto';
import { startFakeProvider, type FakeProvider, type FakeReply, type RecordedRequest } from './fake-provider.js';

/**
 * A small Cielo for this module's tests and the checkout's: two local servers (transactional
 * and query hosts, as Cielo splits them) sharing one set of sales. It checks requests the way
 * the API E-commerce documents them — MerchantId/MerchantKey headers, POST /1/sales/ with the
 * amount in centavos (a card with Capture false, or a Pix QR code), PUT
 * /1/sales/{PaymentId}/capture?amount= and /void?amount=, GET /1/sales?merchantOrderId= and
 * /1/sales/{PaymentId} on the query host — and answers in Cielo's shapes.
 */

export const CIELO_MERCHANT_ID = '8937bd5b-9796-494d-9fe5-f76b3e4da633';
export const CIELO_MERCHANT_KEY = 'XKGHUBSBKIRXKAVPSKWLVXYCLVJUGTNZLIHPUSYV';

export interface CieloSale {
  merchantOrderId: string;
  type: 'CreditCard' | 'Pix';
  amount: number;
  installments: number;
  /** Cielo's Status: 1 authorized, 2 paid, 3 denied, 10 voided, 11 refunded, 12 pending (Pix). */
  status: number;
  captured: number;
  voided: number;
}

export interface FakeCieloOptions {
  /** The credentials it accepts; Cielo's documentation sandbox pair unless given. */
  merchantId?: string;
  merchantKey?: string;
}

export interface FakeCielo {
  api: FakeProvider;
  query: FakeProvider;
  /** Every sale Cielo holds, cards and Pix, by PaymentId, in the order they were made. */
  sales: Map<string, CieloSale>;
  /** Set by a test to change how a card authorization (POST /1/sales/) is answered; the sale is kept either way. */
  authorizeReply: ((sale: CieloSale, paymentId: string) => FakeReply) | undefined;
  /** Delay of the card authorization's answer: Cielo makes the sale at once, the client may have given up by then. */
  authorizeDelayMs: number;
  /** The transactional host's documented behaviour, for a test that wraps or restores `api.handle`. */
  answerApi(req: RecordedRequest): FakeReply;
  /** Back to a fresh Cielo: no sales, no hooks, the documented handlers, no recorded requests. */
  reset(): void;
  close(): Promise<void>;
}

const paymentJson = (id: string, s: CieloSale) => ({
  PaymentId: id,
  Type: s.type,
  Amount: s.amount,
  CapturedAmount: s.captured || undefined,
  VoidedAmount: s.voided || undefined,
  Installments: s.installments,
  Status: s.status,
});

export async function startFakeCielo(options: FakeCieloOptions = {}): Promise<FakeCielo> {
  const merchantId = options.merchantId ?? CIELO_MERCHANT_ID;
  const merchantKey = options.merchantKey ?? CIELO_MERCHANT_KEY;
  const sales = new Map<string, CieloSale>();
  const authenticated = (req: RecordedRequest) => req.headers['merchantid'] === merchantId && req.headers['merchantkey'] === merchantKey;
  const unauthorized: FakeReply = { status: 401, json: [{ Code: 132, Message: 'MerchantKey is invalid' }] };

  function createSale(req: RecordedRequest): FakeReply {
    const body = JSON.parse(req.body) as {
      MerchantOrderId: string;
      Payment: { Type: string; Amount: unknown; Installments?: number; Capture?: boolean; CreditCard?: Record<string, string> };
    };
    const p = body.Payment;
    if (!/^[A-Za-z0-9]{1,25}$/.test(body.MerchantOrderId)) return { status: 400, json: [{ Code: 107, Message: 'OrderId is invalid' }] };
    if (typeof p.Amount !== 'number' || !Number.isInteger(p.Amount) || p.Amount <= 0) return { status: 400, json: [{ Code: 108, Message: 'Amount must be greater or equal to zero' }] };
    const id = randomUUID();
    if (p.Type === 'Pix') {
      sales.set(id, { merchantOrderId: body.MerchantOrderId, type: 'Pix', amount: p.Amount, installments: 1, status: 12, captured: 0, voided: 0 });
      return {
        status: 201,
        json: {
          MerchantOrderId: body.MerchantOrderId,
          Payment: { PaymentId: id, Type: 'Pix', Amount: p.Amount, Status: 12, ReturnCode: '0', ReturnMessage: 'Pix gerado com sucesso', QrCodeString: `00020101021226900014br.gov.bcb.pix${id}`, QrCodeBase64Image: 'iVBORw0KGgo=' },
        },
      };
    }
    if (p.Type !== 'CreditCard' || p.Capture !== false || !p.CreditCard?.['Brand']) return { status: 400, json: [{ Code: 102, Message: 'Payment Type is required' }] };
    if ('CardNumber' in p.CreditCard) return { status: 400, json: [{ Code: 999, Message: 'test: card numbers must never be sent' }] };
    const sale: CieloSale = { merchantOrderId: body.MerchantOrderId, type: 'CreditCard', amount: p.Amount, installments: p.Installments ?? 1, status: 1, captured: 0, voided: 0 };
    const reply = fake.authorizeReply?.(sale, id) ?? {
      status: 201,
      json: { MerchantOrderId: body.MerchantOrderId, Payment: { ...paymentJson(id, sale), ReturnCode: '4', ReturnMessage: 'Operation Successful', AuthorizationCode: '123456' } },
    };
    sales.set(id, sale);
    return { ...reply, delayMs: fake.authorizeDelayMs };
  }

  function captureOrVoid(saleId: string, operation: string, amount: number): FakeReply {
    const sale = sales.get(saleId);
    if (!sale) return { status: 404, json: [{ Code: 309, Message: 'Transaction not found' }] };
    if (operation === 'capture') {
      if (sale.status !== 1) return { status: 200, json: { Status: sale.status, ReasonCode: 6, ReasonMessage: 'InvalidTransactionType', ReturnCode: '841', ReturnMessage: 'The transaction status does not allow capture' } };
      if (amount > sale.amount) return { status: 200, json: { Status: 1, ReasonCode: 19, ReasonMessage: 'InvalidAmount', ReturnCode: '842', ReturnMessage: 'The capture amount must be equal to or less than the transaction amount' } };
      sale.status = 2;
      sale.captured = amount;
      return { status: 200, json: { Status: 2, ReasonCode: 0, ReasonMessage: 'Successful', ProviderReturnCode: '6', ReturnCode: '6', ReturnMessage: 'Operation Successful' } };
    }
    // Before capture only the whole authorization can be voided; after it (or once a Pix is paid), what is left, in parts.
    if (sale.status === 1 && amount === sale.amount) {
      sale.status = 10;
      sale.voided = amount;
      return { status: 200, json: { Status: 10, ReasonCode: 0, ReasonMessage: 'Successful', ReturnCode: '9', ReturnMessage: 'Operation Successful' } };
    }
    const paid = sale.type === 'Pix' ? sale.amount : sale.captured;
    if (sale.status === 2 && amount > 0 && amount <= paid - sale.voided) {
      sale.voided += amount;
      if (sale.voided === paid) sale.status = sale.type === 'Pix' ? 11 : 10;
      return { status: 200, json: { Status: sale.status, ReasonCode: 0, ReasonMessage: 'Successful', ReturnCode: '6', ReturnMessage: 'Operation Successful' } };
    }
    return { status: 200, json: { Status: sale.status, ReasonCode: 7, ReasonMessage: 'Denied', ReturnCode: '72', ReturnMessage: 'Cancellation not allowed' } };
  }

  function answerApi(req: RecordedRequest): FakeReply {
    if (!authenticated(req)) return unauthorized;
    if (req.method === 'POST' && req.url === '/1/sales/') return createSale(req);
    const op = /^\/1\/sales\/([^/]+)\/(capture|void)$/.exec(req.path);
    if (req.method === 'PUT' && op) return captureOrVoid(op[1]!, op[2]!, Number(req.query.get('amount')));
    return { status: 404, json: [{ Code: 0, Message: 'not found' }] };
  }

  function answerQuery(req: RecordedRequest): FakeReply {
    if (!authenticated(req)) return unauthorized;
    if (req.method === 'GET' && req.path === '/1/sales') {
      const wanted = req.query.get('merchantOrderId');
      const found = [...sales].filter(([, s]) => s.merchantOrderId === wanted).map(([id]) => ({ PaymentId: id, ReceveidDate: '2026-03-01 12:00:00' }));
      return found.length ? { status: 200, json: { ReasonCode: 0, ReasonMessage: 'Successful', Payments: found } } : { status: 404, json: [] };
    }
    const m = /^\/1\/sales\/([^/]+)$/.exec(req.path);
    if (req.method === 'GET' && m) {
      const sale = sales.get(m[1]!);
      return sale ? { status: 200, json: { MerchantOrderId: sale.merchantOrderId, Payment: paymentJson(m[1]!, sale) } } : { status: 404, json: [{ Code: 0, Message: 'not found' }] };
    }
    return { status: 404, json: [] };
  }

  const api = await startFakeProvider(answerApi);
  const query = await startFakeProvider(answerQuery);
  const fake: FakeCielo = {
    api,
    query,
    sales,
    authorizeReply: undefined,
    authorizeDelayMs: 0,
    answerApi,
    reset() {
      sales.clear();
      fake.authorizeReply = undefined;
      fake.authorizeDelayMs = 0;
      api.handle = answerApi;
      query.handle = answerQuery;
      api.requests.length = 0;
      query.requests.length = 0;
    },
    async close() {
      await api.close();
      await query.close();
    },
  };
  return fake;
}
