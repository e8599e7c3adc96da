import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { ShipContingencyDocument, ShipCreateRuleDocument, ShipCreateTableDocument, ShipDeleteRuleDocument, ShipDeleteTableDocument, ShipImportRowsDocument, ShipQuotePreviewDocument, ShipRulesDocument, ShipSettingsDocument, ShipTableDocument, ShipTablesDocument, ShipUpdateRuleDocument, ShipUpdateSettingsDocument, ShipUpdateTableDocument, type CreateShippingTableInput } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { ShippingTableEntity } from '../src/modules/shipping/shipping.entity.js';
import { quoteForCart, type CartQuoteRequest } from '../src/modules/shipping/index.js';
import { AppError } from '../src/shared/errors/index.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

/*
 * Regions used by the quote tests (tables are store-wide, so each test owns its CEPs):
 *   01000-000…19999-999  São Paulo: PAC, SEDEX and a scheduled method
 *   20000-000…29999-999  Rio: no table row; a free-shipping rule from R$ 199
 *   30000-000…30999-999  Belo Horizonte: a custom-freight rule
 *   everything           the contingency table, up to 30 kg
 *   9xxxx                CRUD tests' own tables, inactive so they never quote
 */

let t: TestApp;
let f: Factory;
let alfa: Seller;
let owner: string;
let admin: string;
let support: string;
let hanging: Server;
let hangingHits = 0;
let contingencyId: string;

const errs = (e: { code: string; field?: string[] | null }[] | undefined) => (e ?? []).map((x) => [x.code, x.field?.join('.')]);

const row = (from: string, to: string, wFrom: number, wTo: number, priceCents: number, days: number) => ({
  postalCodeFrom: from,
  postalCodeTo: to,
  weightFromGrams: wFrom,
  weightToGrams: wTo,
  priceCents,
  days,
});

async function createTable(input: CreateShippingTableInput, token = admin) {
  const res = await t.request(ShipCreateTableDocument, { input }, token);
  expect(res.errors).toBeUndefined();
  expect(res.data?.createShippingTable.userErrors).toEqual([]);
  return res.data!.createShippingTable.shippingTable!;
}

const storedRows = async (id: string) => (await f.em().findOneOrFail(ShippingTableEntity, { id })).rows;

beforeAll(async () => {
  // A carrier that accepts the connection and never answers: every live quote times out.
  hanging = createServer(() => {
    hangingHits += 1;
  });
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  const port = (hanging.address() as AddressInfo).port;
  t = await startTestApp({
    FREIGHT_CARRIER_URL: `http://127.0.0.1:${port}`,
    FREIGHT_CARRIER_TOKEN: 'test-token',
    FREIGHT_CARRIER_NAME: 'Frenet',
    FREIGHT_CARRIER_TIMEOUT_MS: '300',
  });
  f = new Factory(t);
  await f.setMarketplace(true);
  alfa = await f.seller({ code: 'SHIPA', name: 'Alfa' });
  owner = (await f.operator(UserRole.OWNER)).token;
  admin = (await f.operator(UserRole.ADMIN)).token;
  support = (await f.operator(UserRole.SUPPORT)).token;
  contingencyId = (
    await createTable({
      name: 'Contingência',
      carrier: 'Transportadora Reserva',
      method: 'Normal',
      contingency: true,
      rows: [row('00000-000', '99999-999', 0, 30_000, 5990, 10)],
    })
  ).id;
});

afterAll(async () => {
  await t?.stop();
  hanging?.closeAllConnections();
  await new Promise((resolve) => hanging?.close(resolve));
});

describe('who may manage shipping', () => {
  const actors: [string, { read: 'ok' | string; write: 'ok' | string }, () => Promise<string | undefined>][] = [
    ['anonymous', { read: 'UNAUTHENTICATED', write: 'UNAUTHENTICATED' }, async () => undefined],
    ['customer', { read: 'FORBIDDEN', write: 'FORBIDDEN' }, async () => (await f.customer()).token],
    ['guest seller OWNER', { read: 'FORBIDDEN', write: 'FORBIDDEN' }, async () => (await f.user({ seller: alfa, role: UserRole.OWNER })).token],
    ['admin-linked integration', { read: 'FORBIDDEN', write: 'FORBIDDEN' }, async () => (await f.integration()).token],
    ['operator SUPPORT', { read: 'ok', write: 'FORBIDDEN' }, async () => support],
    ['operator AGENT', { read: 'ok', write: 'FORBIDDEN' }, async () => (await f.operator(UserRole.AGENT)).token],
    ['operator ADMIN', { read: 'ok', write: 'ok' }, async () => admin],
    ['operator OWNER', { read: 'ok', write: 'ok' }, async () => owner],
  ];

  it.each(actors)('%s', async (label, expected, tokenOf) => {
    const token = await tokenOf();
    const reads = [
      await t.request(ShipTablesDocument, {}, token),
      await t.request(ShipTableDocument, { id: contingencyId }, token),
      await t.request(ShipContingencyDocument, {}, token),
      await t.request(ShipRulesDocument, {}, token),
      await t.request(ShipSettingsDocument, {}, token),
      await t.request(ShipQuotePreviewDocument, { input: { destinationPostalCode: '99999-999', weightGrams: 100 } }, token),
    ];
    for (const res of reads) {
      if (expected.read === 'ok') expect(res.errors, label).toBeUndefined();
      else expect(codes(res), label).toContain(expected.read);
    }
    // Nothing leaks through a denied read.
    if (expected.read !== 'ok') expect(JSON.stringify(reads.map((r) => r.data))).not.toContain('Contingência');

    const suffix = label.replace(/\W+/g, '-');
    const table = await t.request(ShipCreateTableDocument, { input: { name: `T ${suffix}`, carrier: 'Authz', method: suffix, active: false } }, token);
    const rule = await t.request(
      ShipCreateRuleDocument,
      { input: { kind: 'FREE_SHIPPING', name: `R ${suffix}`, active: false, postalCodeRanges: [{ from: '99990-000', to: '99990-001' }] } },
      token,
    );
    const settings = await t.request(ShipUpdateSettingsDocument, { input: { carrierTimeoutMs: 10_000 } }, token);
    const update = await t.request(ShipUpdateTableDocument, { id: contingencyId, input: { name: 'Contingência' } }, token);
    const imported = await t.request(ShipImportRowsDocument, { tableId: contingencyId, csv: 'nonsense', mode: 'APPEND' }, token);
    const deleted = await t.request(ShipDeleteTableDocument, { id: '00000000-0000-0000-0000-000000000000' }, token);
    if (expected.write === 'ok') {
      expect(table.data?.createShippingTable.userErrors).toEqual([]);
      expect(rule.data?.createFreightRule.userErrors).toEqual([]);
      expect(settings.data?.updateShippingSettings.userErrors).toEqual([]);
      expect(update.data?.updateShippingTable.userErrors).toEqual([]);
      expect(errs(imported.data?.importShippingTableRows.userErrors)[0]?.[0]).toBe('BAD_USER_INPUT');
      expect(errs(deleted.data?.deleteShippingTable.userErrors)).toEqual([['NOT_FOUND', 'id']]);
    } else {
      for (const res of [table, rule, settings, update, imported, deleted]) {
        expect(codes(res), label).toEqual([expected.write]);
        expect(res.data).toBeNull();
      }
      expect(await f.em().count(ShippingTableEntity, { method: suffix })).toBe(0);
    }
  });
});

describe('shipping tables', () => {
  it('creates, reads, updates (replacing rows) and deletes a table', async () => {
    const created = await createTable({
      name: 'Jadlog .Package',
      carrier: 'Jadlog',
      method: '.Package',
      active: false,
      rows: [row('91000000', '91999-999', 1001, 2000, 2390, 4), row('90000-000', '90999-999', 0, 1000, 1590, 3)],
    });
    expect(created).toMatchObject({ carrier: 'Jadlog', method: '.Package', scheduled: false, active: false, contingency: false, rowCount: 2 });
    // Stored sorted by CEP, shown formatted, priced as Money.
    expect(created.rows.edges.map((e) => e.node)).toEqual([
      { postalCodeFrom: '90000-000', postalCodeTo: '90999-999', weightFromGrams: 0, weightToGrams: 1000, price: { amount: 1590, currency: 'BRL' }, days: 3 },
      { postalCodeFrom: '91000-000', postalCodeTo: '91999-999', weightFromGrams: 1001, weightToGrams: 2000, price: { amount: 2390, currency: 'BRL' }, days: 4 },
    ]);

    const read = await t.request(ShipTableDocument, { id: created.id }, support);
    expect(read.data?.shippingTable?.name).toBe('Jadlog .Package');

    const listed = await t.request(ShipTablesDocument, { search: 'jadlog' }, support);
    expect(listed.data?.shippingTables.edges.map((e) => e.node.id)).toEqual([created.id]);
    const first = await t.request(ShipTablesDocument, { first: 1 }, support);
    expect(first.data?.shippingTables.edges[0]?.node.contingency).toBe(true);

    const updated = await t.request(
      ShipUpdateTableDocument,
      { id: created.id, input: { name: 'Jadlog Rodo', method: '.Com', scheduled: true, rows: [row('92000-000', '92999-999', 0, 5000, 3100, 6)] } },
      admin,
    );
    expect(updated.data?.updateShippingTable.userErrors).toEqual([]);
    expect(updated.data?.updateShippingTable.shippingTable).toMatchObject({ name: 'Jadlog Rodo', method: '.Com', scheduled: true, active: false, rowCount: 1 });

    // Only the name: rows stay.
    const renamed = await t.request(ShipUpdateTableDocument, { id: created.id, input: { name: 'Jadlog' } }, admin);
    expect(renamed.data?.updateShippingTable.shippingTable?.rowCount).toBe(1);

    const deleted = await t.request(ShipDeleteTableDocument, { id: created.id }, owner);
    expect(deleted.data?.deleteShippingTable).toEqual({ deletedShippingTable: { id: created.id, name: 'Jadlog' }, userErrors: [] });
    expect((await t.request(ShipTableDocument, { id: created.id }, support)).data?.shippingTable).toBeNull();
    expect((await t.request(ShipTableDocument, { id: 'not-a-uuid' }, support)).data?.shippingTable).toBeNull();
  });

  it('reports every input problem with its field path and saves nothing', async () => {
    const res = await t.request(
      ShipCreateTableDocument,
      {
        input: {
          name: ' ',
          carrier: 'Azul',
          method: 'Amanhã',
          active: false,
          rows: [row('93000-000', '93999-999', 0, 1000, 1000, 2), row('9300-000', '93999-999', 0, 1000, 1000, 2), row('94000-000', '94999-999', 2000, 1000, -5, 2)],
        },
      },
      admin,
    );
    expect(res.data?.createShippingTable.shippingTable).toBeNull();
    expect(errs(res.data?.createShippingTable.userErrors)).toEqual([
      ['BAD_USER_INPUT', 'input.name'],
      ['BAD_USER_INPUT', 'input.rows.1.postalCodeFrom'],
      ['BAD_USER_INPUT', 'input.rows.2'],
      ['BAD_USER_INPUT', 'input.rows.2'],
    ]);
    expect(await f.em().count(ShippingTableEntity, { carrier: 'Azul' })).toBe(0);
  });

  it('refuses rows that overlap (ranges are inclusive, so a shared edge overlaps)', async () => {
    const res = await t.request(
      ShipCreateTableDocument,
      {
        input: {
          name: 'Overlapping',
          carrier: 'Azul',
          method: 'Overlap',
          active: false,
          rows: [row('95000-000', '95999-999', 0, 1000, 1000, 2), row('95500-000', '96999-999', 1000, 2000, 1500, 2)],
        },
      },
      admin,
    );
    expect(errs(res.data?.createShippingTable.userErrors)).toEqual([['BAD_USER_INPUT', 'input.rows.1']]);
    expect(res.data?.createShippingTable.userErrors[0]?.message).toMatch(/overlaps row 0/);
  });

  it('keeps one table per carrier and method, one contingency table, never a scheduled one', async () => {
    await createTable({ name: 'Loggi A', carrier: 'Loggi', method: 'Expresso', active: false });
    const twin = await t.request(ShipCreateTableDocument, { input: { name: 'Loggi B', carrier: 'Loggi', method: 'Expresso' } }, admin);
    expect(errs(twin.data?.createShippingTable.userErrors)).toEqual([['CONFLICT', 'input.method']]);

    const second = await t.request(ShipCreateTableDocument, { input: { name: 'Outra', carrier: 'X', method: 'Y', contingency: true } }, admin);
    expect(errs(second.data?.createShippingTable.userErrors)).toEqual([['CONFLICT', 'input.contingency']]);

    const scheduled = await t.request(ShipUpdateTableDocument, { id: contingencyId, input: { scheduled: true } }, admin);
    expect(errs(scheduled.data?.updateShippingTable.userErrors)).toEqual([['BAD_USER_INPUT', 'input.scheduled']]);

    const contingency = await t.request(ShipContingencyDocument, {}, support);
    expect(contingency.data?.contingencyShippingTable?.id).toBe(contingencyId);
  });

  it('pages with cursors and refuses a bad page size', async () => {
    const page1 = await t.request(ShipTablesDocument, { first: 1 }, support);
    expect(page1.data?.shippingTables.pageInfo.hasNextPage).toBe(true);
    const page2 = await t.request(ShipTablesDocument, { first: 1, after: page1.data!.shippingTables.pageInfo.endCursor }, support);
    expect(page2.data?.shippingTables.edges[0]?.node.id).not.toBe(page1.data?.shippingTables.edges[0]?.node.id);
    expect(codes(await t.request(ShipTablesDocument, { first: 1000 }, support))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('CSV import', () => {
  let tableId: string;
  beforeAll(async () => {
    tableId = (
      await createTable({ name: 'Braspress', carrier: 'Braspress', method: 'Rodoviário', active: false, rows: [row('97000-000', '97099-999', 0, 1000, 1000, 5)] })
    ).id;
  });

  it('reports a bad line by its physical line number and changes nothing', async () => {
    const before = await storedRows(tableId);
    const csv = [
      'cep_from;cep_to;weight_from_g;weight_to_g;price;days',
      '97100-000;97199-999;0;1000;12,90;3',
      '',
      '97200-000;97299-999;0;1000;doze;3',
      '97300-000;973;0;1000;12,90;3',
    ].join('\n');
    const res = await t.request(ShipImportRowsDocument, { tableId, csv, mode: 'REPLACE' }, admin);
    const payload = res.data!.importShippingTableRows;
    expect(payload.shippingTable).toBeNull();
    expect(errs(payload.userErrors)).toEqual([
      ['BAD_USER_INPUT', 'csv.4.price'],
      ['BAD_USER_INPUT', 'csv.5.cep_to'],
    ]);
    expect(payload.userErrors[0]!.message).toMatch(/^Line 4: price "doze"/);
    expect(await storedRows(tableId)).toEqual(before);
  });

  it('refuses a file whose rows overlap each other, naming both lines', async () => {
    const csv = 'cep_from,cep_to,weight_from_g,weight_to_g,price_cents,days\n97100-000,97199-999,0,1000,1290,3\n97150-000,97250-000,500,2000,1990,4\n';
    const res = await t.request(ShipImportRowsDocument, { tableId, csv, mode: 'REPLACE' }, admin);
    expect(errs(res.data?.importShippingTableRows.userErrors)).toEqual([['BAD_USER_INPUT', 'csv.3']]);
    expect(res.data?.importShippingTableRows.userErrors[0]?.message).toMatch(/Line 3: Overlaps line 2/);
  });

  it('APPEND refuses rows overlapping the rows already there (CONFLICT) and changes nothing', async () => {
    const before = await storedRows(tableId);
    const csv = 'cep_from,cep_to,weight_from_g,weight_to_g,price,days\n97500-000,97599-999,0,1000,"9,90",2\n97050-000,97060-000,1000,3000,20,4\n';
    const res = await t.request(ShipImportRowsDocument, { tableId, csv, mode: 'APPEND' }, admin);
    expect(errs(res.data?.importShippingTableRows.userErrors)).toEqual([['CONFLICT', 'csv.3']]);
    expect(res.data?.importShippingTableRows.userErrors[0]?.message).toMatch(/97000-000–97099-999, 0–1000 g/);
    expect(await storedRows(tableId)).toEqual(before);
  });

  it('APPEND adds rows; REPLACE swaps them all', async () => {
    const append = await t.request(
      ShipImportRowsDocument,
      { tableId, csv: 'cep_from,cep_to,weight_from_g,weight_to_g,price,days\n97000-000,97099-999,1001,2000,"15,50",5\n', mode: 'APPEND' },
      admin,
    );
    expect(append.data?.importShippingTableRows.userErrors).toEqual([]);
    expect(append.data?.importShippingTableRows.shippingTable?.rowCount).toBe(2);
    expect((await storedRows(tableId))[1]).toEqual({
      postalCodeFrom: '97000000',
      postalCodeTo: '97099999',
      weightFromGrams: 1001,
      weightToGrams: 2000,
      priceCents: 1550,
      days: 5,
    });

    const replace = await t.request(
      ShipImportRowsDocument,
      { tableId, csv: 'days;price;cep_to;cep_from;weight_to_g;weight_from_g\n7;12;98999-999;98000-000;500;0\n', mode: 'REPLACE' },
      admin,
    );
    expect(replace.data?.importShippingTableRows.userErrors).toEqual([]);
    expect(await storedRows(tableId)).toEqual([
      { postalCodeFrom: '98000000', postalCodeTo: '98999999', weightFromGrams: 0, weightToGrams: 500, priceCents: 1200, days: 7 },
    ]);
  });

  it('refuses an empty file, a header-only file and an unknown table', async () => {
    const empty = await t.request(ShipImportRowsDocument, { tableId, csv: '', mode: 'REPLACE' }, admin);
    expect(errs(empty.data?.importShippingTableRows.userErrors)).toEqual([['BAD_USER_INPUT', 'csv.1']]);
    const header = await t.request(ShipImportRowsDocument, { tableId, csv: 'cep_from,cep_to,weight_from_g,weight_to_g,price,days\n', mode: 'REPLACE' }, admin);
    expect(errs(header.data?.importShippingTableRows.userErrors)).toEqual([['BAD_USER_INPUT', 'csv']]);
    const unknown = await t.request(ShipImportRowsDocument, { tableId: '00000000-0000-0000-0000-000000000000', csv: 'x', mode: 'REPLACE' }, admin);
    expect(errs(unknown.data?.importShippingTableRows.userErrors)).toEqual([['NOT_FOUND', 'tableId']]);
  });
});

describe('freight rules and settings', () => {
  it('creates, updates (null clears a condition) and deletes a free-shipping rule', async () => {
    const created = await t.request(
      ShipCreateRuleDocument,
      { input: { kind: 'FREE_SHIPPING', name: 'Frete grátis Sul', active: false, position: 5, minMerchandiseCents: 29_900, postalCodeRanges: [{ from: '80000000', to: '99999-999' }], methods: ['PAC', 'PAC'] } },
      admin,
    );
    expect(created.data?.createFreightRule.userErrors).toEqual([]);
    const rule = created.data!.createFreightRule.freightRule!;
    expect(rule).toMatchObject({
      kind: 'FREE_SHIPPING',
      minMerchandise: { amount: 29_900, currency: 'BRL' },
      postalCodeRanges: [{ from: '80000-000', to: '99999-999' }],
      methods: ['PAC'],
      carrier: null,
      price: null,
    });

    const updated = await t.request(ShipUpdateRuleDocument, { id: rule.id, input: { minMerchandiseCents: null, methods: null, position: 2 } }, admin);
    expect(updated.data?.updateFreightRule.userErrors).toEqual([]);
    expect(updated.data?.updateFreightRule.freightRule).toMatchObject({ minMerchandise: null, methods: null, position: 2, name: 'Frete grátis Sul' });

    const listed = await t.request(ShipRulesDocument, { kind: 'FREE_SHIPPING' }, support);
    expect(listed.data?.freightRules.edges.map((e) => e.node.id)).toContain(rule.id);

    const deleted = await t.request(ShipDeleteRuleDocument, { id: rule.id }, admin);
    expect(deleted.data?.deleteFreightRule).toEqual({ deletedFreightRule: { id: rule.id }, userErrors: [] });
  });

  it("validates each kind's fields and refuses fields of the other kind", async () => {
    const custom = await t.request(ShipCreateRuleDocument, { input: { kind: 'CUSTOM_FREIGHT', name: 'Motoboy', minMerchandiseCents: 100, priceCents: -1 } }, admin);
    expect(errs(custom.data?.createFreightRule.userErrors)).toEqual([
      ['BAD_USER_INPUT', 'input.postalCodeRanges'],
      ['BAD_USER_INPUT', 'input.carrier'],
      ['BAD_USER_INPUT', 'input.method'],
      ['BAD_USER_INPUT', 'input.priceCents'],
      ['BAD_USER_INPUT', 'input.days'],
      ['BAD_USER_INPUT', 'input.minMerchandiseCents'],
    ]);
    const free = await t.request(
      ShipCreateRuleDocument,
      { input: { kind: 'FREE_SHIPPING', name: 'Grátis', carrier: 'Loja', postalCodeRanges: [{ from: '20000-000', to: '1000-000' }, { from: '30000-000', to: '20000-000' }] } },
      admin,
    );
    expect(errs(free.data?.createFreightRule.userErrors)).toEqual([
      ['BAD_USER_INPUT', 'input.postalCodeRanges.0.to'],
      ['BAD_USER_INPUT', 'input.postalCodeRanges.1.to'],
      ['BAD_USER_INPUT', 'input.carrier'],
    ]);
    const noName = await t.request(ShipCreateRuleDocument, { input: { kind: 'FREE_SHIPPING' } }, admin);
    expect(errs(noName.data?.createFreightRule.userErrors)).toEqual([['BAD_USER_INPUT', 'input.name']]);
    const missing = await t.request(ShipUpdateRuleDocument, { id: '00000000-0000-0000-0000-000000000000', input: { name: 'x' } }, admin);
    expect(errs(missing.data?.updateFreightRule.userErrors)).toEqual([['NOT_FOUND', 'id']]);
  });

  it('starts with a default origin, and refuses a bad one', async () => {
    const read = await t.request(ShipSettingsDocument, {}, support);
    expect(read.data?.shippingSettings).toEqual({ originPostalCode: '01310-100', carrierTimeoutMs: 10_000 });
    const bad = await t.request(ShipUpdateSettingsDocument, { input: { originPostalCode: '0131-100', carrierTimeoutMs: 5 } }, admin);
    expect(errs(bad.data?.updateShippingSettings.userErrors)).toEqual([
      ['BAD_USER_INPUT', 'input.originPostalCode'],
      ['BAD_USER_INPUT', 'input.carrierTimeoutMs'],
    ]);
    const good = await t.request(ShipUpdateSettingsDocument, { input: { originPostalCode: '04538132' } }, admin);
    expect(good.data?.updateShippingSettings.shippingSettings).toEqual({ originPostalCode: '04538-132', carrierTimeoutMs: 10_000 });
    await t.request(ShipUpdateSettingsDocument, { input: { originPostalCode: '01310-100' } }, admin);
  });
});

describe('quoteForCart', () => {
  const SP = '01310-200';
  const RJ = '20040-020';
  const BH = '30110-000';
  const quote = (request: Partial<CartQuoteRequest>, field?: string[]) =>
    quoteForCart(t.app.runtime, f.em(), { destinationPostalCode: SP, weightGrams: 800, merchandiseCents: 10_000, hasGuestSellerItems: false, ...request }, field);

  beforeAll(async () => {
    await createTable({
      name: 'Correios PAC',
      carrier: 'Correios',
      method: 'PAC',
      rows: [row('01000-000', '19999-999', 0, 1000, 1290, 5), row('01000-000', '19999-999', 1001, 5000, 2190, 6)],
    });
    await createTable({ name: 'Correios SEDEX', carrier: 'Correios', method: 'SEDEX', rows: [row('01000-000', '19999-999', 0, 5000, 3500, 2)] });
    await createTable({ name: 'Agendada', carrier: 'Loja', method: 'Agendada', scheduled: true, rows: [row('01000-000', '19999-999', 0, 30_000, 4000, 3)] });
    const free = await t.request(
      ShipCreateRuleDocument,
      { input: { kind: 'FREE_SHIPPING', name: 'Rio a partir de R$ 199', minMerchandiseCents: 19_900, postalCodeRanges: [{ from: '20000-000', to: '29999-999' }] } },
      admin,
    );
    expect(free.data?.createFreightRule.userErrors).toEqual([]);
    const custom = await t.request(
      ShipCreateRuleDocument,
      { input: { kind: 'CUSTOM_FREIGHT', name: 'Entrega própria BH', postalCodeRanges: [{ from: '30000-000', to: '30999-999' }], carrier: 'Loja', method: 'Entrega própria', priceCents: 990, days: 1 } },
      admin,
    );
    expect(custom.data?.createFreightRule.userErrors).toEqual([]);
  });

  it("picks each table's row for the cart's whole weight, cheapest first", async () => {
    const light = await quote({ weightGrams: 1000 });
    expect(light.options.map((o) => [o.carrier, o.method, o.priceCents, o.days, o.source])).toEqual([
      ['Correios', 'PAC', 1290, 5, 'TABLE'],
      ['Correios', 'SEDEX', 3500, 2, 'TABLE'],
      ['Loja', 'Agendada', 4000, 3, 'TABLE'],
    ]);
    const heavier = await quote({ weightGrams: 1001 });
    expect(heavier.options[0]).toMatchObject({ method: 'PAC', priceCents: 2190, days: 6 });
  });

  it('excludes scheduled methods when the cart holds a guest seller’s items', async () => {
    const q = await quote({ hasGuestSellerItems: true });
    expect(q.options.map((o) => o.method)).toEqual(['PAC', 'SEDEX']);
    expect(q.excluded).toEqual([{ carrier: 'Loja', method: 'Agendada', reason: 'SCHEDULED_DELIVERY_NOT_FOR_MARKETPLACE' }]);
  });

  it('falls back to the contingency table when no table has a row (source CONTINGENCY)', async () => {
    const q = await quote({ destinationPostalCode: '69900-000', weightGrams: 12_000 });
    expect(q.options).toEqual([{ carrier: 'Transportadora Reserva', method: 'Normal', priceCents: 5990, days: 10, scheduled: false, source: 'CONTINGENCY' }]);
    expect(q.failures.filter((x) => x.source === 'TABLE').map((x) => x.reason)).toEqual(['NO_MATCHING_ROW', 'NO_MATCHING_ROW', 'NO_MATCHING_ROW']);
  });

  it('a carrier that never answers times out, and the contingency table quotes', async () => {
    const hitsBefore = hangingHits;
    const started = Date.now();
    const q = await quote({ destinationPostalCode: '69900-000' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(hangingHits).toBe(hitsBefore + 1);
    expect(q.options.map((o) => o.source)).toEqual(['CONTINGENCY']);
    expect(q.failures).toContainEqual({ source: 'CARRIER', carrier: 'Frenet', reason: 'TIMEOUT', detail: expect.any(String) });

    // Operators see the same through the API, failures included.
    const preview = await t.request(ShipQuotePreviewDocument, { input: { destinationPostalCode: '69900000', weightGrams: 500 } }, support);
    expect(preview.data?.shippingQuotePreview.options).toEqual([
      { carrier: 'Transportadora Reserva', method: 'Normal', price: { amount: 5990, currency: 'BRL' }, days: 10, scheduled: false, source: 'CONTINGENCY', priceBeforeFreeShipping: null },
    ]);
    expect(preview.data?.shippingQuotePreview.failures.map((x) => [x.source, x.reason])).toContainEqual(['CARRIER', 'TIMEOUT']);
  });

  it('a free-shipping rule makes the cart free from its threshold on (source RULE)', async () => {
    const below = await quote({ destinationPostalCode: RJ, merchandiseCents: 19_899 });
    expect(below.options.map((o) => [o.priceCents, o.source])).toEqual([[5990, 'CONTINGENCY']]);
    const at = await quote({ destinationPostalCode: RJ, merchandiseCents: 19_900 });
    expect(at.options).toHaveLength(1);
    expect(at.options[0]).toMatchObject({ priceCents: 0, source: 'RULE', rule: { kind: 'FREE_SHIPPING' }, quoted: { source: 'CONTINGENCY', priceCents: 5990 } });
    // Outside its CEP ranges the rule does nothing, however large the cart.
    const sp = await quote({ merchandiseCents: 1_000_000 });
    expect(sp.options.every((o) => o.priceCents > 0)).toBe(true);
  });

  it('a custom-freight rule prices its region instead of tables and carriers', async () => {
    const q = await quote({ destinationPostalCode: BH, weightGrams: 20_000 });
    expect(q.options).toEqual([
      { carrier: 'Loja', method: 'Entrega própria', priceCents: 990, days: 1, scheduled: false, source: 'RULE', rule: { id: expect.any(String), kind: 'CUSTOM_FREIGHT' } },
    ]);
    expect(q.failures).toEqual([]);
  });

  it('inactive tables and rules do not quote', async () => {
    const tables = await t.request(ShipTablesDocument, { search: 'Correios SEDEX' }, support);
    const sedex = tables.data!.shippingTables.edges[0]!.node.id;
    await t.request(ShipUpdateTableDocument, { id: sedex, input: { active: false } }, admin);
    try {
      expect((await quote({})).options.map((o) => o.method)).toEqual(['PAC', 'Agendada']);
    } finally {
      await t.request(ShipUpdateTableDocument, { id: sedex, input: { active: true } }, admin);
    }
  });

  it('NO_FREIGHT_AVAILABLE when not even the contingency table ships it; a bad CEP is BAD_USER_INPUT', async () => {
    const field = ['input', 'address', 'postalCode'];
    const none = await quote({ destinationPostalCode: '69900-000', weightGrams: 50_000 }, field).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(AppError);
    expect((none as AppError).errors).toEqual([{ code: 'NO_FREIGHT_AVAILABLE', message: expect.any(String), field }]);

    const bad = await quote({ destinationPostalCode: '6990-000' }, field).catch((e: unknown) => e);
    expect((bad as AppError).errors).toEqual([{ code: 'BAD_USER_INPUT', message: expect.any(String), field }]);

    const preview = await t.request(ShipQuotePreviewDocument, { input: { destinationPostalCode: '69900-000', weightGrams: 50_000 } }, admin);
    expect(codes(preview)).toEqual(['NO_FREIGHT_AVAILABLE']);
  });
});
