import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { PortalCreateFaqDocument, PortalFaqDocument, PortalUpdateFaqDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';

let t: TestApp;
let f: Factory;

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  await f.setMarketplace(true);
});

afterAll(async () => {
  await t?.stop();
});

describe('help (FAQ)', () => {
  it('operator staff write drafts and publish them; seller users read published ones and search by text', async () => {
    const staff = await f.operator(UserRole.SUPPORT);
    const seller = await f.user({ seller: await f.seller(), role: UserRole.CATALOG });
    const draft = await t.request(PortalCreateFaqDocument, { input: { topic: 'Repasses', title: 'Quando recebo meus repasses?', body: 'Os repasses são feitos toda quarta-feira.' } }, staff.token);
    expect(draft.data?.createFaqArticle.article).toMatchObject({ topic: 'Repasses', status: 'DRAFT' });
    const id = draft.data!.createFaqArticle.article!.id;
    await t.request(PortalCreateFaqDocument, { input: { topic: 'Pedidos', title: 'Como faturar um pedido', body: 'Envie a nota fiscal.', status: 'PUBLISHED' } }, staff.token);

    expect((await t.request(PortalFaqDocument, {}, seller.token)).data?.faqArticles.edges.map((e) => e.node.title)).toEqual(['Como faturar um pedido']);
    expect((await t.request(PortalFaqDocument, {}, staff.token)).data?.faqArticles.edges).toHaveLength(2);

    expect((await t.request(PortalUpdateFaqDocument, { id, input: { status: 'PUBLISHED' } }, staff.token)).data?.updateFaqArticle.article?.status).toBe('PUBLISHED');
    // Portuguese full-text search: "repasse" finds "repasses".
    const found = await t.request(PortalFaqDocument, { filter: { text: 'repasse' } }, seller.token);
    expect(found.data?.faqArticles.edges.map((e) => e.node.id)).toEqual([id]);
    expect((await t.request(PortalFaqDocument, { filter: { topic: 'Pedidos' } }, seller.token)).data?.faqArticles.edges.map((e) => e.node.topic)).toEqual(['Pedidos']);
  });

  it('only operator writers write; customers and the storefront read nothing', async () => {
    const seller = await f.user({ seller: await f.seller(), role: UserRole.OWNER });
    expect(codes(await t.request(PortalCreateFaqDocument, { input: { topic: 'x', title: 'y', body: 'z' } }, seller.token))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(PortalFaqDocument, {}, (await f.customer()).token))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(PortalFaqDocument, {}))).toEqual(['UNAUTHENTICATED']);
    const staff = await f.operator(UserRole.ADMIN);
    const bad = await t.request(PortalCreateFaqDocument, { input: { topic: '', title: 'y', body: 'z' } }, staff.token);
    expect(bad.data?.createFaqArticle.userErrors.map((e) => e.field)).toEqual([['input', 'topic']]);
    expect((await t.request(PortalUpdateFaqDocument, { id: 'nope', input: { status: 'PUBLISHED' } }, staff.token)).data?.updateFaqArticle.userErrors[0]?.code).toBe('NOT_FOUND');
  });
});
