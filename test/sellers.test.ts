import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp, type GraphQLResponse } from './helpers/app.js';
import { Factory, validCnpj } from './helpers/factories.js';
import { ApproveSellerDocument, CreateSellerDocument, CreateSellerUserDocument, MarketplaceSettingsDocument, SellerBankDataDocument, SellerPrivateViewDocument, SellerPublicViewDocument, SellersDocument, SellerUsersDocument, SuspendSellerDocument, UpdateMarketplaceSettingsDocument, UpdateSellerBankDataDocument, UpdateSellerDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Seller, SellerStatus } from '../src/modules/sellers/sellers.entity.js';
import { User } from '../src/modules/auth/auth.entity.js';

let t: TestApp;
let f: Factory;

/** Every kind of caller the design names, with the seller each one belongs to. */
type Actor =
  | 'anonymous'
  | 'customer'
  | 'operatorOwner'
  | 'operatorAdmin'
  | 'operatorSupport'
  | 'operatorAgent'
  | 'aOwner'
  | 'aCatalog'
  | 'aFinance'
  | 'bOwner'
  | 'unlinkedIntegration'
  | 'adminIntegration'
  | 'aIntegration'
  | 'bIntegration';
const ACTORS: Actor[] = [
  'anonymous',
  'customer',
  'operatorOwner',
  'operatorAdmin',
  'operatorSupport',
  'operatorAgent',
  'aOwner',
  'aCatalog',
  'aFinance',
  'bOwner',
  'unlinkedIntegration',
  'adminIntegration',
  'aIntegration',
  'bIntegration',
];
let tokens: Record<Actor, string | undefined>;
let sellerA: Seller;
let sellerB: Seller;

const BANK = {
  bankCode: '341',
  branch: '0001',
  account: '12345-6',
  accountType: 'CHECKING' as const,
  holderName: 'Alfa Ltda',
  holderDocument: '11.222.333/0001-81',
  pixKey: 'financeiro@alfa.example',
};

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  await f.setMarketplace(true);
  sellerA = await f.seller({ code: 'ALFA' });
  sellerB = await f.seller({ code: 'BETA' });
  tokens = {
    anonymous: undefined,
    customer: (await f.customer()).token,
    operatorOwner: (await f.operator(UserRole.OWNER)).token,
    operatorAdmin: (await f.operator(UserRole.ADMIN)).token,
    operatorSupport: (await f.operator(UserRole.SUPPORT)).token,
    operatorAgent: (await f.operator(UserRole.AGENT)).token,
    aOwner: (await f.user({ seller: sellerA, role: UserRole.OWNER })).token,
    aCatalog: (await f.user({ seller: sellerA, role: UserRole.CATALOG })).token,
    aFinance: (await f.user({ seller: sellerA, role: UserRole.FINANCE })).token,
    bOwner: (await f.user({ seller: sellerB, role: UserRole.OWNER })).token,
    unlinkedIntegration: (await f.integration()).token,
    adminIntegration: (await f.integration({ seller: await f.adminSeller() })).token,
    aIntegration: (await f.integration({ seller: sellerA })).token,
    bIntegration: (await f.integration({ seller: sellerB })).token,
  };
  // Bank data exists for A so reads have something to leak.
  const res = await t.request(UpdateSellerBankDataDocument, { sellerId: sellerA.id, input: BANK }, tokens.operatorOwner);
  expect(res.data?.updateSellerBankData.userErrors).toEqual([]);
});
afterAll(async () => t?.stop());

/** "ok" when the field came back, otherwise the error code that replaced it. */
function outcome(res: GraphQLResponse<unknown>, present: boolean): string {
  if (present) return 'ok';
  return codes(res)[0] ?? 'null';
}

function expected(allowed: Actor[]): Record<Actor, string> {
  return Object.fromEntries(
    ACTORS.map((a) => [a, allowed.includes(a) ? 'ok' : a === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN']),
  ) as Record<Actor, string>;
}

async function matrix(run: (token: string | undefined) => Promise<string>): Promise<Record<Actor, string>> {
  const out = {} as Record<Actor, string>;
  for (const actor of ACTORS) out[actor] = await run(tokens[actor]);
  return out;
}

const sellerCount = () => f.em().count(Seller, {});

describe('role matrix', () => {
  it("reads a seller's private profile: staff, the seller's own users and its integration", async () => {
    const got = await matrix(async (token) => {
      const res = await t.request(SellerPrivateViewDocument, { id: sellerA.id }, token);
      return outcome(res, res.data?.seller?.document === sellerA.document);
    });
    expect(got).toEqual(
      expected(['operatorOwner', 'operatorAdmin', 'operatorSupport', 'operatorAgent', 'aOwner', 'aCatalog', 'aFinance', 'aIntegration']),
    );
  });

  it('reads bank data: operator owner/admin and the seller\'s owner/finance only', async () => {
    const got = await matrix(async (token) => {
      const res = await t.request(SellerBankDataDocument, { id: sellerA.id }, token);
      return outcome(res, res.data?.seller?.bankData?.account === '12345-6');
    });
    expect(got).toEqual(expected(['operatorOwner', 'operatorAdmin', 'aOwner', 'aFinance']));
  });

  it("lists a seller's users: operator owner/admin and the seller's owner", async () => {
    const got = await matrix(async (token) => {
      const res = await t.request(SellerUsersDocument, { id: sellerA.id }, token);
      return outcome(res, (res.data?.seller?.users?.totalCount ?? 0) >= 3);
    });
    expect(got).toEqual(expected(['operatorOwner', 'operatorAdmin', 'aOwner']));
  });

  it('public seller view is readable by everyone, the storefront included', async () => {
    const got = await matrix(async (token) => {
      const res = await t.request(SellerPublicViewDocument, { id: sellerA.id }, token);
      return outcome(res, res.data?.seller?.returnPolicy === '7 days.' && !res.errors);
    });
    expect(got).toEqual(expected(ACTORS));
  });

  it('toggles the marketplace: operator owner/admin only', async () => {
    const got = await matrix(async (token) => {
      const res = await t.request(UpdateMarketplaceSettingsDocument, { input: { usesMarketplace: true } }, token);
      return outcome(res, res.data?.updateMarketplaceSettings.marketplaceSettings?.usesMarketplace === true);
    });
    expect(got).toEqual(expected(['operatorOwner', 'operatorAdmin']));
  });

  it('creates guest sellers: operator owner/admin only', async () => {
    let n = 0;
    const got = await matrix(async (token) => {
      n += 1;
      const before = await sellerCount();
      const res = await t.request(
        CreateSellerDocument,
        { input: { name: `New ${n}`, concatenationCode: `NEW${n}`, document: validCnpj() } },
        token,
      );
      const created = !!res.data?.createSeller?.seller;
      expect(await sellerCount()).toBe(before + (created ? 1 : 0));
      return outcome(res, created);
    });
    expect(got).toEqual(expected(['operatorOwner', 'operatorAdmin']));
  });

  it("updates seller A: operator owner/admin and A's owner; B's owner is FORBIDDEN", async () => {
    const got = await matrix(async (token) => {
      const res = await t.request(UpdateSellerDocument, { id: sellerA.id, input: { notes: 'Updated notes' } }, token);
      return outcome(res, res.data?.updateSeller?.seller?.notes === 'Updated notes');
    });
    expect(got).toEqual(expected(['operatorOwner', 'operatorAdmin', 'aOwner']));
  });

  it("changes A's bank data: operator owner/admin and A's owner/finance", async () => {
    const got = await matrix(async (token) => {
      const res = await t.request(UpdateSellerBankDataDocument, { sellerId: sellerA.id, input: BANK }, token);
      return outcome(res, res.data?.updateSellerBankData?.seller?.id === sellerA.id);
    });
    expect(got).toEqual(expected(['operatorOwner', 'operatorAdmin', 'aOwner', 'aFinance']));
  });

  it('adds users to seller A: operator owner/admin and A\'s owner', async () => {
    let n = 0;
    const got = await matrix(async (token) => {
      n += 1;
      const res = await t.request(
        CreateSellerUserDocument,
        { input: { sellerId: sellerA.id, email: `matrix${n}@alfa.example`, name: 'New', role: 'SERVICE', password: 'long-enough-password' } },
        token,
      );
      return outcome(res, res.data?.createSellerUser?.user?.role === 'SERVICE');
    });
    expect(got).toEqual(expected(['operatorOwner', 'operatorAdmin', 'aOwner']));
  });

  it('approves and suspends: operator owner/admin only', async () => {
    const target = await f.seller({ status: SellerStatus.PENDING });
    const got = await matrix(async (token) => {
      const res = await t.request(ApproveSellerDocument, { id: target.id }, token);
      return outcome(res, res.data?.approveSeller?.seller?.status === 'ACTIVE');
    });
    expect(got).toEqual(expected(['operatorOwner', 'operatorAdmin']));
  });

  it("a seller user naming another seller's id is FORBIDDEN, never widened", async () => {
    const res = await t.request(UpdateSellerDocument, { id: sellerB.id, input: { notes: 'hijack' } }, tokens.aOwner);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    const b = await f.em().findOneOrFail(Seller, { id: sellerB.id });
    expect(b.notes).not.toBe('hijack');
    const users = await t.request(
      CreateSellerUserDocument,
      { input: { sellerId: sellerB.id, email: 'intruder@beta.example', name: 'X', role: 'OWNER', password: 'long-enough-password' } },
      tokens.aOwner,
    );
    expect(codes(users)).toEqual(['FORBIDDEN']);
    expect(await f.em().count(User, { email: 'intruder@beta.example' })).toBe(0);
  });

  it('a seller owner cannot change identity fields of its own seller', async () => {
    const res = await t.request(UpdateSellerDocument, { id: sellerA.id, input: { concatenationCode: 'ZZZ', document: validCnpj() } }, tokens.aOwner);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    const a = await f.em().findOneOrFail(Seller, { id: sellerA.id });
    expect(a.concatenationCode).toBe('ALFA');
  });

  it('store settings that are the operator\'s are hidden from the storefront', async () => {
    const anon = await t.request(MarketplaceSettingsDocument, {});
    expect(anon.data?.marketplaceSettings.usesMarketplace).toBe(true);
    expect(anon.data?.marketplaceSettings.defaultCommissionBps).toBeNull();
    expect(codes(anon)).toContain('UNAUTHENTICATED');
    const staff = await t.request(MarketplaceSettingsDocument, {}, tokens.operatorSupport);
    expect(staff.errors).toBeUndefined();
    expect(staff.data?.marketplaceSettings.defaultCommissionBps).toBe(1500);
  });
});

describe('bad input changes nothing', () => {
  const create = (input: Record<string, unknown>) =>
    t.request(CreateSellerDocument, { input: { name: 'Gamma', concatenationCode: 'GAMMA', document: validCnpj(), ...input } }, tokens.operatorOwner);

  it('refuses an invalid CNPJ or CPF, naming the field', async () => {
    for (const document of ['11.222.333/0001-82', '123', '529.982.247-26', 'Q0SLFMBD7VX438', '00000000000000']) {
      const before = await sellerCount();
      const res = await create({ document });
      expect(res.data?.createSeller.userErrors).toEqual([
        { code: 'BAD_USER_INPUT', field: ['input', 'document'], message: expect.stringMatching(/CNPJ or CPF/) },
      ]);
      expect(res.data?.createSeller.seller).toBeNull();
      expect(await sellerCount()).toBe(before);
    }
  });

  it('accepts a masked numeric CNPJ, an alphanumeric CNPJ and a CPF, stored normalised', async () => {
    const cases = [
      ['CNPJA', 'q0.slf.mbd/7vx4-39', 'Q0SLFMBD7VX439', 'CNPJ'],
      ['CPF1', '529.982.247-25', '52998224725', 'CPF'],
    ] as const;
    for (const [code, document, stored, type] of cases) {
      const res = await create({ concatenationCode: code, document });
      expect(res.data?.createSeller.userErrors).toEqual([]);
      expect(res.data?.createSeller.seller).toMatchObject({ document: stored, documentType: type, status: 'PENDING' });
    }
  });

  it('refuses malformed concatenation codes', async () => {
    for (const code of ['A', 'abc', 'TOOLONGCODE1', 'A-B', 'ÁB', '']) {
      const before = await sellerCount();
      const res = await create({ concatenationCode: code });
      expect(res.data?.createSeller.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'concatenationCode']]]);
      expect(await sellerCount()).toBe(before);
    }
  });

  it('refuses a duplicate concatenation code or document with CONFLICT', async () => {
    const before = await sellerCount();
    const dupCode = await create({ concatenationCode: 'ALFA' });
    expect(dupCode.data?.createSeller.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['input', 'concatenationCode']]]);
    const dupDoc = await create({ concatenationCode: 'OTHER', document: sellerB.document });
    expect(dupDoc.data?.createSeller.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['input', 'document']]]);
    const rename = await t.request(UpdateSellerDocument, { id: sellerB.id, input: { concatenationCode: 'ALFA' } }, tokens.operatorOwner);
    expect(rename.data?.updateSeller.userErrors[0]?.code).toBe('CONFLICT');
    expect(await sellerCount()).toBe(before);
    expect((await f.em().findOneOrFail(Seller, { id: sellerB.id })).concatenationCode).toBe('BETA');
  });

  it('a refused createSeller or updateSeller never even tries to write (no half-built row before the checks)', async () => {
    // A trigger turns any write to the seller table into an error, so an INSERT issued before
    // the uniqueness checks (then rolled back) shows up as an internal error instead of a CONFLICT.
    const sql = (q: string) => f.em().getConnection().execute(q);
    await sql(`create function "${t.schema}".refuse_seller_writes() returns trigger language plpgsql as $$ begin raise exception 'write attempted'; end $$`);
    await sql(`create trigger refuse_seller_writes before insert or update on "${t.schema}".seller for each row execute function "${t.schema}".refuse_seller_writes()`);
    try {
      const dupCode = await create({ concatenationCode: 'ALFA' });
      expect(dupCode.errors).toBeUndefined();
      expect(dupCode.data?.createSeller.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
      const dupDoc = await create({ concatenationCode: 'OTHER', document: sellerB.document });
      expect(dupDoc.errors).toBeUndefined();
      expect(dupDoc.data?.createSeller.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
      const rename = await t.request(UpdateSellerDocument, { id: sellerB.id, input: { concatenationCode: 'ALFA' } }, tokens.operatorOwner);
      expect(rename.errors).toBeUndefined();
      expect(rename.data?.updateSeller.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
    } finally {
      await sql(`drop trigger refuse_seller_writes on "${t.schema}".seller`);
      await sql(`drop function "${t.schema}".refuse_seller_writes()`);
    }
  });

  it('reports every problem of one input at once', async () => {
    const res = await create({ name: '', concatenationCode: 'x', document: '1' });
    expect(res.data?.createSeller.userErrors.map((e) => e.field?.join('.')).sort()).toEqual([
      'input.concatenationCode',
      'input.document',
      'input.name',
    ]);
  });

  it('refuses guest sellers while the marketplace switch is off', async () => {
    await f.setMarketplace(false);
    try {
      const before = await sellerCount();
      const res = await create({});
      expect(res.data?.createSeller.userErrors.map((e) => e.code)).toEqual(['MARKETPLACE_DISABLED']);
      expect(await sellerCount()).toBe(before);
    } finally {
      await f.setMarketplace(true);
    }
  });

  it("a suspended seller's users can read but not act", async () => {
    const s = await f.seller({ code: 'SUSP' });
    const { token } = await f.user({ seller: s, role: UserRole.OWNER });
    const suspended = await t.request(SuspendSellerDocument, { id: s.id, reason: 'Chargebacks' }, tokens.operatorAdmin);
    expect(suspended.data?.suspendSeller.seller).toMatchObject({ status: 'SUSPENDED', suspensionReason: 'Chargebacks' });

    const read = await t.request(SellerPrivateViewDocument, { id: s.id }, token);
    expect(read.data?.seller?.document).toBe(s.document);
    const write = await t.request(UpdateSellerDocument, { id: s.id, input: { notes: 'still here' } }, token);
    expect(codes(write)).toEqual(['FORBIDDEN']);
    const addUser = await t.request(
      CreateSellerUserDocument,
      { input: { sellerId: s.id, email: 'new@susp.example', name: 'X', role: 'CATALOG', password: 'long-enough-password' } },
      token,
    );
    expect(codes(addUser)).toEqual(['FORBIDDEN']);
    const row = await f.em().findOneOrFail(Seller, { id: s.id });
    expect(row.notes).toBe('Public notes.');
    expect(await f.em().count(User, { email: 'new@susp.example' })).toBe(0);

    const again = await t.request(SuspendSellerDocument, { id: s.id, reason: 'again' }, tokens.operatorAdmin);
    expect(again.data?.suspendSeller.userErrors.map((e) => e.code)).toEqual(['CONFLICT']);
    const back = await t.request(ApproveSellerDocument, { id: s.id }, tokens.operatorAdmin);
    expect(back.data?.approveSeller.seller?.status).toBe('ACTIVE');
    expect((await t.request(UpdateSellerDocument, { id: s.id, input: { notes: 'back' } }, token)).data?.updateSeller.seller?.notes).toBe('back');
  });

  it('a CATALOG user reading bank data gets FORBIDDEN and no data', async () => {
    const res = await t.request(SellerBankDataDocument, { id: sellerA.id }, tokens.aCatalog);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.data?.seller?.bankData).toBeNull();
    expect(JSON.stringify(res)).not.toContain('12345');
  });

  it('refuses bad bank data and keeps the old', async () => {
    const res = await t.request(
      UpdateSellerBankDataDocument,
      { sellerId: sellerA.id, input: { ...BANK, account: 'abc', holderDocument: '123', bankCode: '1' } },
      tokens.aOwner,
    );
    expect(res.data?.updateSellerBankData.userErrors.map((e) => e.field?.at(-1)).sort()).toEqual(['account', 'bankCode', 'holderDocument']);
    const row = await f.em().findOneOrFail(Seller, { id: sellerA.id });
    expect(row.bankData?.account).toBe('12345-6');
  });

  it('refuses a malformed Pix key without echoing it, keeps the old, and stores a good one normalised', async () => {
    const bad = await t.request(UpdateSellerBankDataDocument, { sellerId: sellerA.id, input: { ...BANK, pixKey: 'not a pix key' } }, tokens.aOwner);
    expect(bad.data?.updateSellerBankData.userErrors.map((e) => [e.code, e.field?.at(-1)])).toEqual([['BAD_USER_INPUT', 'pixKey']]);
    expect(JSON.stringify(bad)).not.toContain('not a pix key');
    expect((await f.em().findOneOrFail(Seller, { id: sellerA.id })).bankData?.pixKey).toBe(BANK.pixKey);
    // A CNPJ key typed with punctuation is kept as the digits a transfer provider expects.
    const good = await t.request(UpdateSellerBankDataDocument, { sellerId: sellerA.id, input: { ...BANK, pixKey: '11.222.333/0001-81' } }, tokens.aOwner);
    expect(good.data?.updateSellerBankData.userErrors).toEqual([]);
    expect((await f.em().findOneOrFail(Seller, { id: sellerA.id })).bankData?.pixKey).toBe('11222333000181');
    expect((await t.request(UpdateSellerBankDataDocument, { sellerId: sellerA.id, input: BANK }, tokens.aOwner)).data?.updateSellerBankData.userErrors).toEqual([]);
  });

  it('refuses roles that do not fit the seller', async () => {
    const guest = await t.request(
      CreateSellerUserDocument,
      { input: { sellerId: sellerA.id, email: 'agent@alfa.example', name: 'X', role: 'AGENT', password: 'long-enough-password' } },
      tokens.operatorOwner,
    );
    expect(guest.data?.createSellerUser.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'role']]]);
    const admin = await f.adminSeller();
    const staff = await t.request(
      CreateSellerUserDocument,
      { input: { sellerId: admin.id, email: 'fin@store.example', name: 'X', role: 'FINANCE', password: 'long-enough-password' } },
      tokens.operatorOwner,
    );
    expect(staff.data?.createSellerUser.userErrors[0]?.field).toEqual(['input', 'role']);
    // Only an operator owner makes operator admins.
    const promote = await t.request(
      CreateSellerUserDocument,
      { input: { sellerId: admin.id, email: 'adm@store.example', name: 'X', role: 'ADMIN', password: 'long-enough-password' } },
      tokens.operatorAdmin,
    );
    expect(codes(promote)).toEqual(['FORBIDDEN']);
  });

  it('the admin seller cannot be suspended', async () => {
    const admin = await f.adminSeller();
    const res = await t.request(SuspendSellerDocument, { id: admin.id, reason: 'test' }, tokens.operatorOwner);
    expect(res.data?.suspendSeller.userErrors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('unknown ids are NOT_FOUND in the payload', async () => {
    const res = await t.request(ApproveSellerDocument, { id: '00000000-0000-0000-0000-000000000000' }, tokens.operatorOwner);
    expect(res.data?.approveSeller.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
  });
});

describe('listing and lookup', () => {
  it('the storefront lists the admin seller and active guest sellers, only while the marketplace is on', async () => {
    const pending = await f.seller({ code: 'PEND', status: SellerStatus.PENDING });
    const names = async (token?: string) =>
      (await t.request(SellersDocument, { first: 100 }, token)).data!.sellers.edges.map((e) => e.node.concatenationCode);
    const anon = await names();
    expect(anon).toContain('ALFA');
    expect(anon).not.toContain('PEND');
    expect(anon[0]).toBeNull(); // the admin seller first
    const { token } = await f.user({ seller: pending, role: UserRole.OWNER });
    expect(await names(token)).toContain('PEND');
    expect(await names(tokens.operatorSupport)).toContain('PEND');

    await f.setMarketplace(false);
    try {
      expect(await names()).toEqual([null]);
    } finally {
      await f.setMarketplace(true);
    }
  });

  it('pages with first/after and reports totalCount', async () => {
    const all = (await t.request(SellersDocument, { first: 100 }, tokens.operatorOwner)).data!.sellers;
    const seen: string[] = [];
    let after: string | null | undefined = undefined;
    for (let i = 0; i < 50; i++) {
      const page: GraphQLResponse<{ sellers: typeof all }> = await t.request(SellersDocument, { first: 2, after }, tokens.operatorOwner);
      expect(page.data!.sellers.totalCount).toBe(all.totalCount);
      seen.push(...page.data!.sellers.edges.map((e) => e.node.id));
      if (!page.data!.sellers.pageInfo.hasNextPage) break;
      after = page.data!.sellers.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.edges.map((e) => e.node.id));
    expect(new Set(seen).size).toBe(all.totalCount);
  });

  it('refuses page sizes out of range and foreign cursors', async () => {
    const big = await t.request(SellersDocument, { first: 101 });
    expect(codes(big)).toEqual(['BAD_USER_INPUT']);
    const bad = await t.request(SellersDocument, { first: 2, after: 'not-a-cursor' });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    // Right shape, wrong value types: refused by PostgreSQL, still reported as the cursor's fault.
    const tampered = Buffer.from(JSON.stringify([true, 'x', 'not-a-uuid'])).toString('base64url');
    const res = await t.request(SellersDocument, { first: 2, after: tampered });
    expect(res.errors?.map((e) => [e.extensions?.code, e.extensions?.field])).toEqual([['BAD_USER_INPUT', ['after']]]);
  });

  it('filters by status and search', async () => {
    const res = await t.request(SellersDocument, { first: 100, filter: { search: 'alf' } }, tokens.operatorOwner);
    expect(res.data!.sellers.edges.map((e) => e.node.concatenationCode)).toEqual(['ALFA']);
    const pending = await t.request(SellersDocument, { first: 100, filter: { status: 'PENDING' } }, tokens.operatorOwner);
    expect(pending.data!.sellers.edges.every((e) => e.node.status === 'PENDING')).toBe(true);
  });

  it('finds a seller by concatenation code or id; unknown ones are null', async () => {
    const byCode = await t.request(SellerPublicViewDocument, { code: 'BETA' });
    expect(byCode.data?.seller?.id).toBe(sellerB.id);
    const missing = await t.request(SellerPublicViewDocument, { code: 'NOPE' });
    expect(missing.data?.seller).toBeNull();
    const both = await t.request(SellerPublicViewDocument, { id: sellerB.id, code: 'BETA' });
    expect(codes(both)).toEqual(['BAD_USER_INPUT']);
  });

  it("pages a seller's users", async () => {
    const res = await t.request(SellerUsersDocument, { id: sellerA.id, first: 1 }, tokens.operatorOwner);
    const users = res.data!.seller!.users!;
    expect(users.edges).toHaveLength(1);
    expect(users.pageInfo.hasNextPage).toBe(true);
    const next = await t.request(SellerUsersDocument, { id: sellerA.id, first: 100, after: users.pageInfo.endCursor }, tokens.operatorOwner);
    expect(next.data!.seller!.users!.edges.length).toBe(users.totalCount - 1);
  });
});
