import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import {
  CreateSellerDocument,
  SellerPrivateViewDocument,
  SellersDocument,
} from './generated/graphql.js';
import { UserRole } from '../src/modules/auth/auth.entity.js';

let t: TestApp;
let f: Factory;

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
});
afterAll(async () => t?.stop());

describe('smoke', () => {
  it('lists the admin seller to anyone', async () => {
    const res = await t.request(SellersDocument, {});
    expect(res.errors).toBeUndefined();
    expect(res.data!.sellers.edges.map((e) => e.node.isAdmin)).toEqual([true]);
  });

  it('refuses guest sellers while the switch is off', async () => {
    const { token } = await f.operator(UserRole.OWNER);
    const res = await t.request(CreateSellerDocument, { input: { name: 'X', concatenationCode: 'XX', document: '11222333000181' } }, token);
    expect(res.data!.createSeller.userErrors.map((e) => e.code)).toEqual(['MARKETPLACE_DISABLED']);
  });

  it('hides private fields from the storefront', async () => {
    const s = await f.seller();
    await f.setMarketplace(true);
    const res = await t.request(SellerPrivateViewDocument, { id: s.id });
    expect(codes(res)).toContain('UNAUTHENTICATED');
    expect(res.data!.seller!.document).toBeNull();
  });
});
