import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { Shop, daysAgo } from './helpers/shop.js';
import { ASAAS_API_KEY, ASAAS_WEBHOOK_TOKEN, startFakeAsaas, type FakeAsaas } from './doubles/fake-asaas.js';
import { PayBalanceDocument, PayFailDocument, PayPayoutDocument, PayRefreshDocument, PayRunDocument, PayUpdateSettingsDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { addDays, dateIn, isoWeekday } from '../src/shared/time/index.js';
import { BankAccountType, Seller } from '../src/modules/sellers/sellers.entity.js';
import {
  AsaasTransferProvider,
  Payout,
  PayoutRun,
  TransferRejectedError,
  TransferUncertainError,
  TransferWebhookError,
  loadPayoutsConfig,
  pixKeyType,
  reconcileTransfers,
  type TransferRequest,
} from '../src/modules/payouts/index.js';

/**
 * The Asaas transfer adapter against a local server that answers with Asaas's documented
 * shapes: unit-level first (requests, errors, time-outs, lookups, webhooks), then through the
 * app with PAYOUT_PROVIDER=asaas (webhook and polling outcomes, a lost answer settled by
 * lookup, a refused and a failed transfer returning the money).
 */

let fake: FakeAsaas;
const SP = 'America/Sao_Paulo';
const today = () => dateIn(new Date(), SP);

const destination = { pixKey: 'financeiro@loja.example', bankCode: '341', branch: '0001', account: '12345-6', accountType: 'CHECKING', holderName: 'Loja Teste', holderDocument: '11222333000181' };
const request = (over: Partial<TransferRequest> = {}): TransferRequest => ({ payoutId: randomUUID(), amount: { amount: 123_45, currency: 'BRL' }, destination, description: 'Repasse 2026-12-02', createdOn: today(), ...over });

beforeAll(async () => {
  fake = await startFakeAsaas();
});
afterAll(async () => fake?.close());

describe('the Asaas adapter', () => {
  const asaas = (timeoutMs = 2_000, apiKey = ASAAS_API_KEY) => new AsaasTransferProvider({ apiUrl: `${fake.api.url}/v3`, apiKey, webhookToken: ASAAS_WEBHOOK_TOKEN, timeoutMs });

  it('sends a Pix transfer with its documented body and the access_token header, keeping our payout id as externalReference', async () => {
    const req = request();
    const snap = await asaas().send(req);
    const sent = fake.api.requests.at(-1)!;
    expect([sent.method, sent.path, sent.headers['access_token'], sent.headers['content-type']]).toEqual(['POST', '/v3/transfers', ASAAS_API_KEY, 'application/json']);
    expect(JSON.parse(sent.body)).toEqual({ value: 123.45, description: 'Repasse 2026-12-02', externalReference: req.payoutId, operationType: 'PIX', pixAddressKey: 'financeiro@loja.example', pixAddressKeyType: 'EMAIL' });
    expect(snap).toMatchObject({ outcome: 'PROCESSING', externalReference: req.payoutId, providerStatus: 'PENDING', endToEndId: null });
    expect(fake.transfers.get(snap.transferId!)?.value).toBe(123.45);
  });

  it('sends to a bank account without a Pix key (Asaas picks Pix or TED), splitting the check digit', async () => {
    await asaas().send(request({ destination: { ...destination, pixKey: null } }));
    expect(JSON.parse(fake.api.requests.at(-1)!.body)).toMatchObject({
      value: 123.45,
      bankAccount: { bank: { code: '341' }, ownerName: 'Loja Teste', cpfCnpj: '11222333000181', agency: '0001', account: '12345', accountDigit: '6', bankAccountType: 'CONTA_CORRENTE' },
    });
    expect(JSON.parse(fake.api.requests.at(-1)!.body).operationType).toBeUndefined();
    await expect(asaas().send(request({ destination: { ...destination, pixKey: null, accountType: 'PAYMENT' } }))).rejects.toThrow(TransferRejectedError);
  });

  it("turns Asaas's refusals into TransferRejectedError with its description, and lost answers into TransferUncertainError", async () => {
    const before = fake.api.requests.length;
    await expect(asaas().send(request({ destination: { ...destination, pixKey: 'inexistente@x.example' } }))).rejects.toThrow(/A chave Pix informada não foi encontrada/);
    await expect(asaas(2_000, 'wrong').send(request())).rejects.toThrow(TransferRejectedError);
    fake.api.handle = (r) => ({ ...fake.answer(r), delayMs: 400 });
    const slow = request();
    try {
      await expect(asaas(100).send(slow)).rejects.toThrow(TransferUncertainError);
    } finally {
      fake.api.handle = fake.answer;
    }
    // The request did reach Asaas: a lookup by external reference finds the transfer, so it is never sent again.
    const found = await asaas().lookup({ payoutId: slow.payoutId, transferId: null, createdOn: today() });
    expect(found).toMatchObject({ externalReference: slow.payoutId, outcome: 'PROCESSING' });
    expect(fake.api.requests.slice(before).filter((r) => r.method === 'POST' && JSON.parse(r.body).externalReference === slow.payoutId)).toHaveLength(1);
    fake.api.handle = () => ({ status: 503, json: { errors: [{ code: 'unavailable', description: 'Serviço indisponível' }] } });
    try {
      await expect(asaas().send(request())).rejects.toThrow(TransferUncertainError);
    } finally {
      fake.api.handle = fake.answer;
    }
  });

  it('looks transfers up by id, or by external reference through the pages of the list', async () => {
    for (let i = 0; i < 120; i++) await asaas().send(request());
    const last = request();
    const sent = await asaas().send(last);
    expect(await asaas().lookup({ payoutId: last.payoutId, transferId: sent.transferId, createdOn: today() })).toMatchObject({ transferId: sent.transferId });
    const listed = fake.api.requests.length;
    expect(await asaas().lookup({ payoutId: last.payoutId, transferId: null, createdOn: today() })).toMatchObject({ transferId: sent.transferId });
    expect(fake.api.requests.slice(listed).map((r) => r.query.get('offset'))).toEqual(['0', '100']);
    expect(await asaas().lookup({ payoutId: randomUUID(), transferId: null, createdOn: today() })).toBeNull();
    expect(await asaas().lookup({ payoutId: randomUUID(), transferId: randomUUID(), createdOn: today() })).toBeNull();
  });

  it('reads TRANSFER_* webhooks only with the configured asaas-access-token', async () => {
    const sent = await asaas().send(request());
    const hook = fake.complete(sent.transferId!);
    const event = await asaas().parseWebhook({ headers: hook.headers, rawBody: hook.rawBody });
    expect(event).toMatchObject({ type: 'TRANSFER', snapshot: { outcome: 'DONE', transferId: sent.transferId } });
    if (event.type === 'TRANSFER') expect(event.snapshot.endToEndId).toMatch(/^E/);
    await expect(asaas().parseWebhook({ headers: { 'asaas-access-token': 'nope' }, rawBody: hook.rawBody })).rejects.toThrow(TransferWebhookError);
    await expect(asaas().parseWebhook({ headers: {}, rawBody: hook.rawBody })).rejects.toThrow(TransferWebhookError);
    await expect(asaas().parseWebhook({ headers: hook.headers, rawBody: 'not json' })).rejects.toThrow(TransferWebhookError);
    expect(await asaas().parseWebhook({ headers: hook.headers, rawBody: JSON.stringify({ event: 'PAYMENT_RECEIVED', payment: {} }) })).toMatchObject({ type: 'IGNORED' });
  });

  it('names the Pix key type Asaas wants', () => {
    expect(['52998224725', '11.222.333/0001-81', 'a@b.example', '+5511987654321', '123e4567-e89b-12d3-a456-426614174000', '12ABC34501DE35', 'what'].map((k) => pixKeyType(k)?.type ?? null)).toEqual(['CPF', 'CNPJ', 'EMAIL', 'PHONE', 'EVP', 'CNPJ', null]);
  });

  it('is configured at start: a bad value stops start-up naming the variable', () => {
    expect(() => loadPayoutsConfig({ PAYOUT_PROVIDER: 'stripe' })).toThrow(/PAYOUT_PROVIDER/);
    expect(() => loadPayoutsConfig({ PAYOUT_PROVIDER: 'asaas' })).toThrow(/ASAAS_API_KEY[\s\S]*ASAAS_WEBHOOK_TOKEN/);
    expect(() => loadPayoutsConfig({ PAYOUT_PROVIDER: 'asaas', ASAAS_API_KEY: 'k', ASAAS_WEBHOOK_TOKEN: 'short' })).toThrow(/ASAAS_WEBHOOK_TOKEN/);
    expect(() => loadPayoutsConfig({ PAYOUT_TIMEOUT_MS: 'soon' })).toThrow(/PAYOUT_TIMEOUT_MS/);
    expect(loadPayoutsConfig({}).PAYOUT_PROVIDER).toBe('manual');
  });
});

describe('payouts through Asaas', () => {
  let t: TestApp;
  let f: Factory;
  let c: CatalogFactory;
  let shop: Shop;
  let operator: string;
  const NET = 8_500;

  beforeAll(async () => {
    t = await startTestApp({
      PAYOUT_PROVIDER: 'asaas',
      ASAAS_API_URL: `${fake.api.url}/v3`,
      ASAAS_API_KEY,
      ASAAS_WEBHOOK_TOKEN,
      PAYOUT_TIMEOUT_MS: '300',
      PAYOUT_JOB_POLL_MS: '3600000',
      EVENTS_POLL_MS: '3600000',
    });
    f = new Factory(t);
    c = new CatalogFactory(f);
    await f.setMarketplace(true);
    const op = await f.operator(UserRole.OWNER);
    operator = op.token;
    shop = new Shop(t, f, operator, op.user);
    await shop.shippingTable();
  });
  afterAll(async () => t?.stop());

  async function sellerWithOrder(code: string, pixKey: string) {
    const s = await f.seller({ code });
    await c.product(s, { sellerCode: 'P', skus: [{ code: 'S1', price: 10_000, stock: 100, weight: 500 }] });
    const em = f.em();
    const row = await em.findOneOrFail(Seller, { id: s.id });
    row.bankData = { bankCode: '341', branch: '0001', account: '12345-6', accountType: BankAccountType.CHECKING, holderName: `Loja ${code}`, holderDocument: s.document!, pixKey };
    await em.flush();
    const placed = await shop.place([[`${code}-S1`, 1]]);
    await shop.fulfil(placed.orders[0]!.id, daysAgo(25), daysAgo(20));
    await shop.receivables([placed.orders[0]!.id], ['SCHEDULED']);
    return s;
  }

  const hookUrl = () => t.url.replace('/graphql', '/webhooks/transfers/asaas');
  const post = (hook: { headers: Record<string, string>; rawBody: string }) => fetch(hookUrl(), { method: 'POST', headers: hook.headers, body: hook.rawBody });
  const payoutOf = async (sellerId: string) => f.em().findOneOrFail(Payout, { seller: sellerId }, { orderBy: { createdAt: 'desc' } });
  const run = async (periodEnd: string) => {
    const res = await t.request(PayRunDocument, { input: { periodEnd, idempotencyKey: randomUUID() } }, operator);
    expect(res.data?.runPayouts.userErrors).toEqual([]);
  };

  it('sends the transfer when the payout is made; the TRANSFER_DONE webhook marks it PAID (once)', async () => {
    const s = await sellerWithOrder('ASOK', 'ok@loja.example');
    await run(addDays(today(), -2));
    const payout = await payoutOf(s.id);
    expect([payout.status, payout.provider, payout.transferState]).toEqual(['PROCESSING', 'asaas', 'SENT']);
    const transfer = fake.byReference(payout.id)!;
    expect([transfer.id, transfer.value]).toEqual([payout.transferId, NET / 100]);
    const hook = fake.complete(transfer.id);
    expect((await post({ ...hook, headers: { ...hook.headers, 'asaas-access-token': 'forged' } })).status).toBe(401);
    expect((await payoutOf(s.id)).status).toBe('PROCESSING');
    const res = await post(hook);
    expect([res.status, await res.json()]).toEqual([200, { result: 'APPLIED' }]);
    expect(await post(hook).then((r) => r.status)).toBe(200);
    const paid = await t.request(PayPayoutDocument, { id: payout.id }, operator);
    expect(paid.data?.payout).toMatchObject({ status: 'PAID', endToEndId: transfer.endToEndIdentifier });
    expect((await t.request(PayBalanceDocument, { sellerId: s.id }, operator)).data?.sellerBalance.paid.amount).toBe(NET);
  });

  it('a TRANSFER_FAILED returns the money to the available balance with Asaas\'s reason', async () => {
    const s = await sellerWithOrder('ASFAIL', 'fail@loja.example');
    await run(addDays(today(), -2));
    const payout = await payoutOf(s.id);
    await post(fake.fail(payout.transferId!, 'Conta de destino encerrada'));
    const failed = await t.request(PayPayoutDocument, { id: payout.id }, operator);
    expect(failed.data?.payout).toMatchObject({ status: 'FAILED', failureReason: 'Conta de destino encerrada' });
    const b = (await t.request(PayBalanceDocument, { sellerId: s.id }, operator)).data!.sellerBalance;
    expect([b.available.amount, b.processing.amount, b.total.amount]).toEqual([NET, 0, NET]);
  });

  it('a refused transfer fails the payout at once with the reason; the money stays available', async () => {
    const s = await sellerWithOrder('ASREF', 'inexistente@loja.example');
    await run(addDays(today(), -2));
    const payout = await payoutOf(s.id);
    expect([payout.status, payout.failureReason]).toEqual(['FAILED', 'Asaas refused POST /transfers: A chave Pix informada não foi encontrada.']);
    expect((await t.request(PayBalanceDocument, { sellerId: s.id }, operator)).data?.sellerBalance.available.amount).toBe(NET);
  });

  it('a time-out is settled by looking the transfer up, never by sending it again; polling brings the outcome', async () => {
    const s = await sellerWithOrder('ASSLOW', 'slow@loja.example');
    fake.api.handle = (r) => (r.method === 'POST' ? { ...fake.answer(r), delayMs: 800 } : fake.answer(r));
    try {
      await run(addDays(today(), -2));
    } finally {
      fake.api.handle = fake.answer;
    }
    const payout = await payoutOf(s.id);
    expect([payout.status, payout.transferState, payout.transferId ?? null]).toEqual(['PROCESSING', 'UNCERTAIN', null]);
    await new Promise((r) => setTimeout(r, 900));
    await reconcileTransfers(t.app.runtime);
    const found = await payoutOf(s.id);
    const transfer = fake.byReference(payout.id)!;
    expect([found.transferState, found.transferId]).toEqual(['SENT', transfer.id]);
    const posts = fake.api.requests.filter((r) => r.method === 'POST' && JSON.parse(r.body).externalReference === payout.id);
    expect(posts).toHaveLength(1);
    fake.complete(transfer.id); // no webhook: the job's polling (or refreshPayout) finds it done
    const refreshed = await t.request(PayRefreshDocument, { input: { payoutId: payout.id } }, operator);
    expect(refreshed.data?.refreshPayout.payout).toMatchObject({ status: 'PAID', transferId: transfer.id });
  });

  it('a lost answer of a payout made on a São Paulo evening is found by looking from its store-zone date, not its UTC date', async () => {
    const s = await sellerWithOrder('ASEVE', 'evening@loja.example');
    fake.api.handle = (r) => (r.method === 'POST' ? { ...fake.answer(r), delayMs: 800 } : fake.answer(r));
    try {
      await run(addDays(today(), -2));
    } finally {
      fake.api.handle = fake.answer;
    }
    const payout = await payoutOf(s.id);
    expect(payout.transferState).toBe('UNCERTAIN');
    await new Promise((r) => setTimeout(r, 900));
    // Made at 22:30 in São Paulo on day D (01:30 UTC on D + 1); Asaas dates the transfer D.
    const day = addDays(today(), -10);
    await f.em().execute(`update payout set created_at = ? where id = ?`, [new Date(`${addDays(day, 1)}T01:30:00Z`), payout.id]);
    fake.byReference(payout.id)!.dateCreated = day;
    await reconcileTransfers(t.app.runtime);
    const found = await payoutOf(s.id);
    expect([found.transferState, found.transferId]).toEqual(['SENT', fake.byReference(payout.id)!.id]);
    const lists = fake.api.requests.filter((r) => r.method === 'GET' && r.path === '/v3/transfers');
    expect(lists.at(-1)!.query.get('dateCreated[ge]')).toBe(addDays(day, -1));
  });

  it('an answer lost before Asaas had it: the operator may fail it only once a lookup finds nothing', async () => {
    const s = await sellerWithOrder('ASLOST', 'lost@loja.example');
    fake.api.handle = (r) => (r.method === 'POST' ? { status: 502, json: { errors: [{ code: 'bad_gateway', description: 'Bad gateway' }] } } : fake.answer(r));
    try {
      await run(addDays(today(), -2));
    } finally {
      fake.api.handle = fake.answer;
    }
    const payout = await payoutOf(s.id);
    expect(payout.transferState).toBe('UNCERTAIN');
    await reconcileTransfers(t.app.runtime);
    expect((await payoutOf(s.id)).transferState).toBe('UNCERTAIN');
    const failed = await t.request(PayFailDocument, { input: { payoutId: payout.id, reason: 'Never reached Asaas (checked in its panel)' } }, operator);
    expect(failed.data?.failPayout.payout?.status).toBe('FAILED');
    // A payout Asaas has cannot be failed by hand: its outcome comes from Asaas.
    const other = await sellerWithOrder('ASHAS', 'has@loja.example');
    await run(addDays(today(), -2));
    const sent = await payoutOf(other.id);
    const refused = await t.request(PayFailDocument, { input: { payoutId: sent.id, reason: 'try' } }, operator);
    expect(refused.data?.failPayout.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
  });

  it('an adapter error while asking Asaas (unreadable answer) is a typed PAYMENT_UNAVAILABLE for failPayout and refreshPayout, never a 500 (issue 12)', async () => {
    const s = await sellerWithOrder('ASGARB', 'garb@loja.example');
    fake.api.handle = (r) => (r.method === 'POST' ? { status: 502, json: { errors: [{ code: 'bad_gateway', description: 'Bad gateway' }] } } : fake.answer(r));
    try {
      await run(addDays(today(), -2));
    } finally {
      fake.api.handle = fake.answer;
    }
    const payout = await payoutOf(s.id);
    expect(payout.transferState).toBe('UNCERTAIN');
    // Look-ups now answer something the adapter cannot read.
    fake.api.handle = (r) => (r.method === 'GET' ? { status: 200, json: { unexpected: true } } : fake.answer(r));
    try {
      const refreshed = await t.request(PayRefreshDocument, { input: { payoutId: payout.id } }, operator);
      expect(refreshed.errors).toBeUndefined();
      expect(refreshed.data?.refreshPayout.userErrors.map((e) => e.code)).toEqual(['PAYMENT_UNAVAILABLE']);
      const failed = await t.request(PayFailDocument, { input: { payoutId: payout.id, reason: 'Checked in the panel' } }, operator);
      expect(failed.errors).toBeUndefined();
      expect(failed.data?.failPayout.userErrors.map((e) => e.code)).toEqual(['PAYMENT_UNAVAILABLE']);
    } finally {
      fake.api.handle = fake.answer;
    }
    expect((await payoutOf(s.id)).status).toBe('PROCESSING');
  });

  it('the payout job pays the latest period end of the calendar once, whichever instance gets there', async () => {
    const s = await sellerWithOrder('ASCAL', 'cal@loja.example');
    await t.request(PayUpdateSettingsDocument, { input: { payoutFrequency: 'WEEKLY', payoutWeekday: isoWeekday(today()) } }, operator);
    try {
      await Promise.all([t.app.payouts!.runOnce(), t.app.payouts!.runOnce()]);
      await t.app.payouts!.runOnce();
      const runs = await f.em().find(PayoutRun, { idempotencyKey: `calendar:${today()}` });
      expect(runs).toHaveLength(1);
      const payouts = await f.em().find(Payout, { seller: s.id });
      expect(payouts.map((p) => [p.periodEnd, p.amountCents, p.status])).toEqual([[today(), NET, 'PROCESSING']]);
    } finally {
      await t.request(PayUpdateSettingsDocument, { input: { payoutWeekday: 3 } }, operator);
    }
  });
});
