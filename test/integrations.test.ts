import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { buildSchema, GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type GraphQLResponse, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { IntegrationCreateDocument, IntegrationCreateSellerUserDocument, IntegrationListDocument, IntegrationRevokeDocument, IntegrationSellerBankDataDocument, IntegrationSellerPrivateDocument, IntegrationSellerUsersDocument, IntegrationTypeFieldsDocument, IntegrationUpdatePermissionsDocument, IntegrationUpdateSellerDocument, IntegrationViewerDocument, type IntegrationCreateMutationVariables, type IntegrationListQuery } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Integration } from '../src/modules/integrations/integrations.entity.js';
import { Seller } from '../src/modules/sellers/sellers.entity.js';

/**
 * ERP integrations: tokens shown once and stored hashed, the attribute-write permission,
 * revocation, what a token may see, and who manages integrations — all over HTTP.
 */

let t: TestApp;
let f: Factory;
let admin: Seller;
let sellerA: Seller;
let sellerB: Seller;
type Actor = 'opOwner' | 'opAdmin' | 'opSupport' | 'opAgent' | 'customer' | 'aOwner' | 'aCatalog' | 'aFinance' | 'bOwner' | 'unlinked' | 'guestA';
/** Bearer tokens of every actor, filled in beforeAll. */
const tokens = {} as Record<Actor, string>;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Fails with the response in the message, so a surprise is readable. */
function ok<T>(res: GraphQLResponse<T>): T {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  expect(res.status).toBe(200);
  return res.data!;
}

type CreateInput = IntegrationCreateMutationVariables['input'];

function create(input: CreateInput, token: string | undefined) {
  return t.request(IntegrationCreateDocument, { input }, token);
}

/** Creates through the API and insists it worked; returns the integration and its token. */
async function created(input: CreateInput, token = tokens.opOwner) {
  const payload = ok(await create(input, token)).createIntegration;
  expect(payload.userErrors).toEqual([]);
  expect(payload.integration).not.toBeNull();
  expect(payload.token).not.toBeNull();
  return { integration: payload.integration!, token: payload.token! };
}

async function dbRow(id: string): Promise<Integration> {
  return f.em().findOneOrFail(Integration, { id });
}

/** Every integration id the database holds for a scope, in the listing's order. */
async function dbIds(where: object = {}): Promise<string[]> {
  const rows = await f.em().find(Integration, where, { orderBy: { createdAt: 'asc', id: 'asc' } });
  return rows.map((r) => r.id);
}

beforeAll(async () => {
  t = await startTestApp({ INTROSPECTION: 'true' }); // the "served schema" check below introspects
  f = new Factory(t);
  await f.setMarketplace(true);
  admin = await f.adminSeller();
  await f.em().nativeUpdate(Seller, { id: admin.id }, { email: 'ops@store.example', document: '11222333000181' });
  sellerA = await f.seller({ code: 'ALFA' });
  sellerB = await f.seller({ code: 'BETA' });
  await f.em().nativeUpdate(Seller, { id: sellerA.id }, { email: 'alfa@alfa.example' });
  tokens.opOwner = (await f.operator(UserRole.OWNER)).token;
  tokens.opAdmin = (await f.operator(UserRole.ADMIN)).token;
  tokens.opSupport = (await f.operator(UserRole.SUPPORT)).token;
  tokens.opAgent = (await f.operator(UserRole.AGENT)).token;
  tokens.customer = (await f.customer()).token;
  tokens.aOwner = (await f.user({ seller: sellerA, role: UserRole.OWNER })).token;
  tokens.aCatalog = (await f.user({ seller: sellerA, role: UserRole.CATALOG })).token;
  tokens.aFinance = (await f.user({ seller: sellerA, role: UserRole.FINANCE })).token;
  tokens.bOwner = (await f.user({ seller: sellerB, role: UserRole.OWNER })).token;
  tokens.unlinked = (await f.integration()).token;
  tokens.guestA = (await f.integration({ seller: sellerA })).token;
});
afterAll(async () => t?.stop());

describe('createIntegration: the token is shown once and works as a bearer token', () => {
  it('unlinked: acts for the admin seller; only the SHA-256 of the token is stored', async () => {
    const { integration, token } = await created({ name: '  Store ERP  ' });
    expect(integration.name).toBe('Store ERP');
    expect(integration.seller).toBeNull();
    expect(integration.canWriteAttributes).toBe(true);
    expect(integration.revokedAt).toBeNull();
    expect(token).toMatch(/^mki_[A-Za-z0-9_-]{40,}$/);
    expect(token.startsWith(integration.tokenPrefix)).toBe(true);
    expect(integration.tokenPrefix.length).toBeLessThan(token.length / 2);
    // The prefix shown and stored is a handle before the secret, none of it (issue 12): 256 random bits (43 characters) follow.
    expect(integration.tokenPrefix).toMatch(/^mki_[A-Za-z0-9_-]{8}$/);
    expect(token.slice(integration.tokenPrefix.length)).toMatch(/^_[A-Za-z0-9_-]{43}$/);

    const viewer = ok(await t.request(IntegrationViewerDocument, {}, token)).viewer;
    expect(viewer).toEqual({
      kind: 'INTEGRATION',
      seller: { id: admin.id, isAdmin: true },
      integration: { id: integration.id, name: 'Store ERP', canWriteAttributes: true },
    });

    // The row holds the hash, never the token or its secret part.
    const rows = await f.em().getConnection().execute('select * from integration where id = ?', [integration.id]);
    expect(rows).toHaveLength(1);
    const row = rows[0] as Record<string, unknown>;
    expect(row.token_hash).toBe(sha256(token));
    const secret = token.slice(integration.tokenPrefix.length);
    for (const value of Object.values(row)) expect(String(value)).not.toContain(secret);

    // Using the token records when it was last used (shown to managers, not the secret).
    expect((await dbRow(integration.id)).lastUsedAt).toBeInstanceOf(Date);
  });

  it('admin-linked: linked to the admin seller, acts for it', async () => {
    const { integration, token } = await created({ name: 'Admin ERP', sellerId: admin.id });
    expect(integration.seller).toEqual({ id: admin.id, isAdmin: true });
    expect(integration.canWriteAttributes).toBe(true);
    const viewer = ok(await t.request(IntegrationViewerDocument, {}, token)).viewer;
    expect(viewer.kind).toBe('INTEGRATION');
    expect(viewer.seller).toEqual({ id: admin.id, isAdmin: true });
    expect(viewer.integration).toEqual({ id: integration.id, name: 'Admin ERP', canWriteAttributes: true });
    expect((await dbRow(integration.id)).tokenHash).toBe(sha256(token));
  });

  it('guest-linked: acts for its seller only', async () => {
    const { integration, token } = await created({ name: 'Alfa ERP', sellerId: sellerA.id });
    expect(integration.seller).toEqual({ id: sellerA.id, isAdmin: false });
    expect(integration.canWriteAttributes).toBe(false);
    const viewer = ok(await t.request(IntegrationViewerDocument, {}, token)).viewer;
    expect(viewer).toEqual({
      kind: 'INTEGRATION',
      seller: { id: sellerA.id, isAdmin: false },
      integration: { id: integration.id, name: 'Alfa ERP', canWriteAttributes: false },
    });
  });

  it('a seller owner creates for its own seller, with or without naming it', async () => {
    const implicit = await created({ name: 'Alfa ERP 2' }, tokens.aOwner);
    expect(implicit.integration.seller).toEqual({ id: sellerA.id, isAdmin: false });
    expect(implicit.integration.canWriteAttributes).toBe(false);
    const explicit = await created({ name: 'Alfa ERP 3', sellerId: sellerA.id }, tokens.aOwner);
    expect(explicit.integration.seller?.id).toBe(sellerA.id);
    const viewer = ok(await t.request(IntegrationViewerDocument, {}, implicit.token)).viewer;
    expect(viewer.seller?.id).toBe(sellerA.id);
  });

  it("a seller owner naming another seller (guest or admin) is FORBIDDEN and creates nothing", async () => {
    const before = await f.em().count(Integration, {});
    for (const sellerId of [sellerB.id, admin.id]) {
      const res = await create({ name: 'Sneaky ERP', sellerId }, tokens.aOwner);
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data?.createIntegration ?? null).toBeNull();
    }
    expect(await f.em().count(Integration, {})).toBe(before);
  });

  it('refuses bad input as userErrors and creates nothing', async () => {
    const before = await f.em().count(Integration, {});
    const blank = ok(await create({ name: '   ' }, tokens.opOwner)).createIntegration;
    expect(blank.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'name']]]);
    expect(blank.token).toBeNull();
    const unknown = ok(await create({ name: 'X', sellerId: '00000000-0000-4000-8000-000000000000' }, tokens.opOwner)).createIntegration;
    expect(unknown.userErrors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'sellerId']]]);
    const malformed = ok(await create({ name: 'X', sellerId: 'not-a-uuid' }, tokens.opOwner)).createIntegration;
    expect(malformed.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    expect(await f.em().count(Integration, {})).toBe(before);
  });

  it('an unknown or malformed integration token is HTTP 401', async () => {
    for (const token of ['mki_nope', `mki_${'a'.repeat(43)}`]) {
      const res = await t.request(IntegrationViewerDocument, {}, token);
      expect(res.status).toBe(401);
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    }
  });
});

describe('the attribute-write permission', () => {
  it('defaults on and is editable at creation for unlinked and admin-linked integrations', async () => {
    for (const sellerId of [null, admin.id]) {
      expect((await created({ name: 'D', sellerId })).integration.canWriteAttributes).toBe(true);
      expect((await created({ name: 'On', sellerId, canWriteAttributes: true })).integration.canWriteAttributes).toBe(true);
      expect((await created({ name: 'Off', sellerId, canWriteAttributes: false })).integration.canWriteAttributes).toBe(false);
    }
  });

  it('is forced off for guest-linked integrations; asking for it at creation is FORBIDDEN and creates nothing', async () => {
    expect((await created({ name: 'G', sellerId: sellerB.id })).integration.canWriteAttributes).toBe(false);
    expect((await created({ name: 'G off', sellerId: sellerB.id, canWriteAttributes: false })).integration.canWriteAttributes).toBe(false);
    const before = await f.em().count(Integration, {});
    for (const [token, sellerId] of [
      [tokens.opOwner, sellerB.id],
      [tokens.bOwner, sellerB.id],
      [tokens.bOwner, null],
    ] as const) {
      const res = await create({ name: 'Attribute writer', sellerId, canWriteAttributes: true }, token);
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data?.createIntegration ?? null).toBeNull();
    }
    expect(await f.em().count(Integration, {})).toBe(before);
  });

  it('is turned off and on again for unlinked and admin-linked integrations; the token sees the change', async () => {
    for (const sellerId of [null, admin.id]) {
      const { integration, token } = await created({ name: 'Toggle', sellerId });
      for (const value of [false, true, false]) {
        const res = ok(await t.request(IntegrationUpdatePermissionsDocument, { input: { id: integration.id, canWriteAttributes: value } }, tokens.opAdmin));
        expect(res.updateIntegrationPermissions.userErrors).toEqual([]);
        expect(res.updateIntegrationPermissions.integration).toEqual({ id: integration.id, canWriteAttributes: value });
        expect((await dbRow(integration.id)).canWriteAttributes).toBe(value);
        const viewer = ok(await t.request(IntegrationViewerDocument, {}, token)).viewer;
        expect(viewer.integration?.canWriteAttributes).toBe(value);
      }
    }
  });

  it('cannot be turned on for a guest-linked integration (FORBIDDEN, value unchanged) but may be set off', async () => {
    const { integration } = await created({ name: 'Beta ERP', sellerId: sellerB.id });
    for (const token of [tokens.opOwner, tokens.bOwner]) {
      const res = await t.request(IntegrationUpdatePermissionsDocument, { input: { id: integration.id, canWriteAttributes: true } }, token);
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data?.updateIntegrationPermissions ?? null).toBeNull();
      expect((await dbRow(integration.id)).canWriteAttributes).toBe(false);
    }
    const off = ok(await t.request(IntegrationUpdatePermissionsDocument, { input: { id: integration.id, canWriteAttributes: false } }, tokens.bOwner));
    expect(off.updateIntegrationPermissions.userErrors).toEqual([]);
    expect(off.updateIntegrationPermissions.integration?.canWriteAttributes).toBe(false);
  });

  it("a seller owner cannot change another seller's or the store's integrations", async () => {
    const beta = await created({ name: 'Beta ERP', sellerId: sellerB.id });
    const store = await created({ name: 'Store ERP' });
    for (const [target, value] of [
      [beta.integration.id, false],
      [store.integration.id, false],
    ] as const) {
      const before = (await dbRow(target)).canWriteAttributes;
      const res = await t.request(IntegrationUpdatePermissionsDocument, { input: { id: target, canWriteAttributes: value } }, tokens.aOwner);
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect((await dbRow(target)).canWriteAttributes).toBe(before);
    }
    expect((await dbRow(store.integration.id)).canWriteAttributes).toBe(true);
  });
});

describe('revokeIntegration', () => {
  it('ends the token at once (HTTP 401); revoking twice is a CONFLICT', async () => {
    const { integration, token } = await created({ name: 'Short-lived', sellerId: sellerA.id });
    expect(ok(await t.request(IntegrationViewerDocument, {}, token)).viewer.kind).toBe('INTEGRATION');

    const first = ok(await t.request(IntegrationRevokeDocument, { id: integration.id }, tokens.aOwner)).revokeIntegration;
    expect(first.userErrors).toEqual([]);
    expect(first.integration?.id).toBe(integration.id);
    expect(first.integration?.revokedAt).not.toBeNull();
    expect((await dbRow(integration.id)).revokedAt).toBeInstanceOf(Date);

    const after = await t.request(IntegrationViewerDocument, {}, token);
    expect(after.status).toBe(401);
    expect(codes(after)).toEqual(['UNAUTHENTICATED']);

    const second = ok(await t.request(IntegrationRevokeDocument, { id: integration.id }, tokens.opOwner)).revokeIntegration;
    expect(second.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['id']]]);
    expect(second.integration).toBeNull();
  });

  it("a seller owner cannot revoke another seller's or an unlinked integration; the tokens keep working", async () => {
    const beta = await created({ name: 'Beta ERP', sellerId: sellerB.id });
    const store = await created({ name: 'Store ERP' });
    for (const target of [beta, store]) {
      const res = await t.request(IntegrationRevokeDocument, { id: target.integration.id }, tokens.aOwner);
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect((await dbRow(target.integration.id)).revokedAt).toBeNull();
      expect(ok(await t.request(IntegrationViewerDocument, {}, target.token)).viewer.kind).toBe('INTEGRATION');
    }
  });

  it('an unknown id is NOT_FOUND', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = ok(await t.request(IntegrationRevokeDocument, { id }, tokens.opOwner)).revokeIntegration;
      expect(res.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    }
  });
});

describe('what an integration token may see and do', () => {
  it("guest-linked: its own seller's private fields, never another seller's", async () => {
    const own = ok(await t.request(IntegrationSellerPrivateDocument, { id: sellerA.id }, tokens.guestA)).seller;
    expect(own).toEqual({ id: sellerA.id, document: sellerA.document, email: 'alfa@alfa.example' });

    for (const other of [sellerB, admin]) {
      const res = await t.request(IntegrationSellerPrivateDocument, { id: other.id }, tokens.guestA);
      expect(codes(res)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
      expect(res.errors!.map((e) => e.path?.at(-1)).sort()).toEqual(['document', 'email']);
      expect(res.data?.seller).toEqual({ id: other.id, document: null, email: null });
    }
  });

  it('guest-linked: no bank data and no user list, even of its own seller', async () => {
    for (const s of [sellerA, sellerB]) {
      const bank = await t.request(IntegrationSellerBankDataDocument, { id: s.id }, tokens.guestA);
      expect(codes(bank)).toEqual(['FORBIDDEN']);
      expect(bank.data?.seller?.bankData).toBeNull();
      const users = await t.request(IntegrationSellerUsersDocument, { id: s.id }, tokens.guestA);
      expect(codes(users)).toEqual(['FORBIDDEN']);
      expect(users.data?.seller?.users).toBeNull();
    }
  });

  it('guest-linked: cannot manage integrations, sellers or users', async () => {
    const count = await f.em().count(Integration, {});
    expect(codes(await create({ name: 'Self-made' }, tokens.guestA))).toEqual(['FORBIDDEN']);
    expect(codes(await create({ name: 'Self-made', sellerId: sellerA.id, canWriteAttributes: false }, tokens.guestA))).toEqual(['FORBIDDEN']);
    expect(await f.em().count(Integration, {})).toBe(count);

    const target = await created({ name: 'Target', sellerId: sellerA.id });
    expect(codes(await t.request(IntegrationRevokeDocument, { id: target.integration.id }, tokens.guestA))).toEqual(['FORBIDDEN']);
    expect(
      codes(await t.request(IntegrationUpdatePermissionsDocument, { input: { id: target.integration.id, canWriteAttributes: false } }, tokens.guestA)),
    ).toEqual(['FORBIDDEN']);
    expect((await dbRow(target.integration.id)).revokedAt).toBeNull();

    const update = await t.request(IntegrationUpdateSellerDocument, { id: sellerA.id, input: { name: 'Renamed by ERP' } }, tokens.guestA);
    expect(codes(update)).toEqual(['FORBIDDEN']);
    expect((await f.em().findOneOrFail(Seller, { id: sellerA.id })).name).toBe(sellerA.name);

    const user = await t.request(
      IntegrationCreateSellerUserDocument,
      { input: { sellerId: sellerA.id, email: 'erp-made@alfa.example', name: 'ERP', role: 'OWNER', password: 'long enough password' } },
      tokens.guestA,
    );
    expect(codes(user)).toEqual(['FORBIDDEN']);
  });

  it("unlinked and admin-linked: the admin seller's private fields, not a guest seller's", async () => {
    const adminLinked = (await created({ name: 'Admin-linked reader', sellerId: admin.id })).token;
    for (const token of [tokens.unlinked, adminLinked]) {
      const own = ok(await t.request(IntegrationSellerPrivateDocument, { id: admin.id }, token)).seller;
      expect(own).toEqual({ id: admin.id, document: '11222333000181', email: 'ops@store.example' });
      const guest = await t.request(IntegrationSellerPrivateDocument, { id: sellerA.id }, token);
      expect(codes(guest)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
      expect(guest.data?.seller).toEqual({ id: sellerA.id, document: null, email: null });
      const bank = await t.request(IntegrationSellerBankDataDocument, { id: admin.id }, token);
      expect(codes(bank)).toEqual(['FORBIDDEN']);
    }
  });
});

describe('integrations listing', () => {
  /** Walks every page of a listing; checks the Relay page info as it goes. */
  async function walk(token: string, sellerId?: string, first = 4) {
    const ids: string[] = [];
    const sellers: (string | null)[] = [];
    let after: string | null = null;
    let totalCount = -1;
    for (let page = 0; page < 100; page += 1) {
      const res: GraphQLResponse<IntegrationListQuery> = await t.request(IntegrationListDocument, { first, after, sellerId }, token);
      const conn = ok(res).integrations;
      if (totalCount === -1) totalCount = conn.totalCount;
      expect(conn.totalCount).toBe(totalCount);
      expect(conn.edges.length).toBeLessThanOrEqual(first);
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      ids.push(...conn.edges.map((e) => e.node.id));
      sellers.push(...conn.edges.map((e) => e.node.seller?.id ?? null));
      if (!conn.pageInfo.hasNextPage) break;
      expect(conn.pageInfo.endCursor).toBe(conn.edges.at(-1)!.cursor);
      after = conn.pageInfo.endCursor;
    }
    expect(ids.length).toBe(totalCount);
    return { ids, sellers, totalCount };
  }

  beforeAll(async () => {
    // Enough rows of each kind for several pages, whatever the earlier tests left.
    await created({ name: 'List unlinked' });
    await created({ name: 'List admin', sellerId: admin.id });
    await created({ name: 'List A1', sellerId: sellerA.id });
    await created({ name: 'List A2' }, tokens.aOwner);
    await created({ name: 'List B' }, tokens.bOwner);
  });

  it('operator staff see every integration, page by page', async () => {
    const all = await dbIds();
    expect(all.length).toBeGreaterThan(6);
    for (const token of [tokens.opOwner, tokens.opAdmin]) {
      const { ids, totalCount } = await walk(token, undefined, token === tokens.opOwner ? 5 : 100);
      expect(totalCount).toBe(all.length);
      expect(ids).toEqual(all);
    }
    const firstPage = ok(await t.request(IntegrationListDocument, { first: 2 }, tokens.opOwner)).integrations;
    expect(firstPage.pageInfo.hasNextPage).toBe(true);
    expect(firstPage.pageInfo.startCursor).toBe(firstPage.edges[0]!.cursor);
  });

  it("a seller owner sees only its own seller's integrations", async () => {
    for (const [token, seller] of [
      [tokens.aOwner, sellerA],
      [tokens.bOwner, sellerB],
    ] as const) {
      const expected = await dbIds({ seller: seller.id });
      expect(expected.length).toBeGreaterThan(0);
      const { ids, sellers } = await walk(token);
      expect(ids).toEqual(expected);
      expect(new Set(sellers)).toEqual(new Set([seller.id]));
      // Naming itself changes nothing.
      expect((await walk(token, seller.id)).ids).toEqual(expected);
    }
  });

  it("a seller owner naming another seller is FORBIDDEN", async () => {
    for (const sellerId of [sellerB.id, admin.id]) {
      const res = await t.request(IntegrationListDocument, { sellerId }, tokens.aOwner);
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data).toBeNull();
    }
  });

  it("the admin seller's list holds the unlinked and admin-linked ones; a guest seller's only its own", async () => {
    const adminList = await walk(tokens.opOwner, admin.id);
    expect(adminList.ids).toEqual(await dbIds({ $or: [{ seller: null }, { seller: admin.id }] }));
    expect(adminList.sellers).toContain(null);
    expect(adminList.sellers).toContain(admin.id);
    expect(adminList.sellers.every((s) => s === null || s === admin.id)).toBe(true);

    const aList = await walk(tokens.opOwner, sellerA.id);
    expect(aList.ids).toEqual(await dbIds({ seller: sellerA.id }));
  });

  it('an operator naming an unknown seller gets NOT_FOUND, not a server error', async () => {
    for (const sellerId of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const res = await t.request(IntegrationListDocument, { sellerId }, tokens.opOwner);
      expect(codes(res)).toEqual(['NOT_FOUND']);
    }
  });

  it('a bad page size or cursor is BAD_USER_INPUT', async () => {
    expect(codes(await t.request(IntegrationListDocument, { first: 0 }, tokens.opOwner))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.request(IntegrationListDocument, { first: 101 }, tokens.opOwner))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.request(IntegrationListDocument, { after: 'not a cursor' }, tokens.opOwner))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('role matrix: createIntegration and integrations', () => {
  type CreateOutcome = 'UNAUTHENTICATED' | 'FORBIDDEN' | { sellerOf: 'none' | 'A' | 'B' };
  type ListOutcome = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'all' | 'A' | 'B';
  const matrix: [actor: Actor | 'anonymous', create: CreateOutcome, list: ListOutcome][] = [
    ['anonymous', 'UNAUTHENTICATED', 'UNAUTHENTICATED'],
    ['customer', 'FORBIDDEN', 'FORBIDDEN'],
    ['opOwner', { sellerOf: 'none' }, 'all'],
    ['opAdmin', { sellerOf: 'none' }, 'all'],
    ['opSupport', 'FORBIDDEN', 'FORBIDDEN'],
    ['opAgent', 'FORBIDDEN', 'FORBIDDEN'],
    ['aOwner', { sellerOf: 'A' }, 'A'],
    ['aCatalog', 'FORBIDDEN', 'FORBIDDEN'],
    ['aFinance', 'FORBIDDEN', 'FORBIDDEN'],
    ['bOwner', { sellerOf: 'B' }, 'B'],
    ['unlinked', 'FORBIDDEN', 'FORBIDDEN'],
    ['guestA', 'FORBIDDEN', 'FORBIDDEN'],
  ];
  const sellerId = (k: 'A' | 'B') => (k === 'A' ? sellerA.id : sellerB.id);

  it.each(matrix)('%s: createIntegration → %j, integrations → %j', async (actor, createOutcome, listOutcome) => {
    const token = actor === 'anonymous' ? undefined : tokens[actor];
    if (actor !== 'anonymous') expect(token).toBeDefined();

    const before = await f.em().count(Integration, {});
    const res = await t.request(IntegrationCreateDocument, { input: { name: `By ${actor}` } }, token);
    if (typeof createOutcome === 'string') {
      expect(codes(res)).toEqual([createOutcome]);
      expect(res.data?.createIntegration ?? null).toBeNull();
      expect(await f.em().count(Integration, {})).toBe(before);
    } else {
      const payload = ok(res).createIntegration;
      expect(payload.userErrors).toEqual([]);
      expect(payload.token).toMatch(/^mki_/);
      expect(payload.integration?.seller?.id ?? 'none').toBe(createOutcome.sellerOf === 'none' ? 'none' : sellerId(createOutcome.sellerOf));
      expect(await f.em().count(Integration, {})).toBe(before + 1);
    }

    const list = await t.request(IntegrationListDocument, { first: 100 }, token);
    if (listOutcome === 'UNAUTHENTICATED' || listOutcome === 'FORBIDDEN') {
      expect(codes(list)).toEqual([listOutcome]);
      expect(list.data).toBeNull();
    } else {
      const conn = ok(list).integrations;
      const expected = await dbIds(listOutcome === 'all' ? {} : { seller: sellerId(listOutcome) });
      expect(conn.totalCount).toBe(expected.length);
      expect(conn.edges.map((e) => e.node.id)).toEqual(expected.slice(0, 100));
    }
  });
});

describe('the Integration type never exposes the token or its hash', () => {
  const expectedFields = ['canWriteAttributes', 'createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'seller', 'tokenPrefix'];

  it('served schema (introspection over HTTP)', async () => {
    const res = await t.request(IntegrationTypeFieldsDocument, {});
    const fields = ok(res).__type!.fields!.map((x) => x.name).sort();
    expect(fields).toEqual(expectedFields);
  });

  it('printed schema: only createIntegration carries a token; no field anywhere carries a hash; only a new webhook subscription shows its secret', () => {
    const schema = buildSchema(readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8'));
    const integration = schema.getType('Integration') as GraphQLObjectType;
    expect(Object.keys(integration.getFields()).sort()).toEqual(expectedFields);
    const offenders: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
      for (const field of Object.keys(type.getFields())) {
        // The webhook signing secret is shown once, on creation, as the integration token is.
        if (/hash|secret/i.test(field) && `${type.name}.${field}` !== 'CreateWebhookSubscriptionPayload.secret') offenders.push(`${type.name}.${field}`);
      }
    }
    expect(offenders).toEqual([]);
    expect(Object.keys((schema.getType('CreateIntegrationPayload') as GraphQLObjectType).getFields())).toContain('token');
    expect(Object.keys((schema.getType('IntegrationPayload') as GraphQLObjectType).getFields())).not.toContain('token');
  });
});
