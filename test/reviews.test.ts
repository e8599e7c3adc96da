import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { ReviewsAddDocument, ReviewsAnswerDocument, ReviewsAskDocument, ReviewsDeleteDocument, ReviewsOfProductDocument, ReviewsProductListingDocument, ReviewsQuestionsOfProductDocument, ReviewsSkuProductDocument } from './generated/graphql.js';
import { User } from '../src/modules/auth/auth.entity.js';
import { UserRole } from '../src/shared/access/index.js';
import { KitComponent, Product, ProductStatus, Sku } from '../src/modules/catalog/catalog.entity.js';
import { AnswerSide, ProductQuestion, ProductReview } from '../src/modules/catalog/reviews.entity.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

let t: TestApp;
let f: Factory;
let c: CatalogFactory;
let alfa: Seller;
let beta: Seller;
let tok: {
  operator: string;
  support: string;
  agent: string;
  alfaOwner: string;
  alfaService: string;
  alfaFinance: string;
  betaOwner: string;
  alfaErp: string;
};
let maria: { user: User; token: string };
let joao: { user: User; token: string };

/** A customer whose name and e-mail the test chooses, so leaks can be searched for. */
async function customer(name: string, email: string) {
  const made = await f.user({ email });
  await f.em().nativeUpdate(User, { id: made.user.id }, { name });
  return made;
}

const review = (productId: string, rating = 5, extra: { title?: string; body?: string } = {}) => ({
  productId,
  rating,
  body: extra.body ?? 'Good value.',
  ...(extra.title ? { title: extra.title } : {}),
});
const reviewCount = (productId?: string) => f.em().count(ProductReview, productId ? { product: productId } : {});
const questionRow = (id: string) => f.em().findOneOrFail(ProductQuestion, { id });

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  c = new CatalogFactory(f);
  await f.setMarketplace(true);
  alfa = await f.seller({ code: 'ALFA', name: 'Alfa Modas' });
  beta = await f.seller({ code: 'BETA', name: 'Beta Eletrônicos' });
  tok = {
    operator: (await f.operator(UserRole.OWNER)).token,
    support: (await f.operator(UserRole.SUPPORT)).token,
    agent: (await f.operator(UserRole.AGENT)).token,
    alfaOwner: (await f.user({ seller: alfa, role: UserRole.OWNER, email: 'owner.secret@alfa.example' })).token,
    alfaService: (await f.user({ seller: alfa, role: UserRole.SERVICE, email: 'sac.secret@alfa.example' })).token,
    alfaFinance: (await f.user({ seller: alfa, role: UserRole.FINANCE })).token,
    betaOwner: (await f.user({ seller: beta, role: UserRole.OWNER })).token,
    alfaErp: (await f.integration({ seller: alfa })).token,
  };
  maria = await customer('  Maria   da Silva ', 'maria.private@mail.example');
  joao = await customer('João', 'joao.private@mail.example');
});
afterAll(async () => t?.stop());

describe('reviews belong to the product, shared across sellers', () => {
  it("a review on seller A's product reads the same for anonymous, seller B's users, seller A and the operator", async () => {
    const p = await c.product(alfa);
    const added = await t.request(ReviewsAddDocument, { input: review(p.id, 4, { title: 'Nice', body: 'Fits well.' }) }, maria.token);
    expect(added.data?.addProductReview.userErrors).toEqual([]);
    expect(added.data?.addProductReview.review).toMatchObject({ rating: 4, title: 'Nice', body: 'Fits well.', authorName: 'Maria S.', mine: true });

    const views = await Promise.all(
      [undefined, tok.betaOwner, tok.alfaOwner, tok.operator, joao.token, tok.alfaErp].map((token) => t.request(ReviewsOfProductDocument, { id: p.id }, token)),
    );
    const seen = views.map((v) => {
      expect(v.errors).toBeUndefined();
      return {
        rating: v.data?.product?.rating,
        reviews: v.data?.product?.reviews.edges.map((e) => ({ id: e.node.id, authorName: e.node.authorName, rating: e.node.rating, body: e.node.body })),
      };
    });
    expect(seen[0]).toEqual({ rating: { average: 4, count: 1 }, reviews: [{ id: added.data?.addProductReview.review?.id, authorName: 'Maria S.', rating: 4, body: 'Fits well.' }] });
    for (const s of seen) expect(s).toEqual(seen[0]);
    // `mine` is the only per-viewer field, and only the author gets true.
    expect(views.map((v) => v.data?.product?.reviews.edges[0]?.node.mine)).toEqual([false, false, false, false, false, false]);
  });

  it('questions and answers are shared the same way', async () => {
    const p = await c.product(alfa);
    const asked = await t.request(ReviewsAskDocument, { input: { productId: p.id, question: 'Does it shrink?' } }, joao.token);
    expect(asked.data?.askProductQuestion.question).toMatchObject({ question: 'Does it shrink?', authorName: 'João', answer: null, answeredBy: null });
    const id = asked.data!.askProductQuestion.question!.id;
    await t.request(ReviewsAnswerDocument, { input: { questionId: id, answer: 'No.' } }, tok.alfaService);
    const views = await Promise.all(
      [undefined, tok.betaOwner, tok.operator, maria.token].map((token) => t.request(ReviewsQuestionsOfProductDocument, { id: p.id }, token)),
    );
    for (const v of views) {
      expect(v.data?.product?.questions.totalCount).toBe(1);
      expect(v.data?.product?.questions.edges[0]?.node).toMatchObject({ id, question: 'Does it shrink?', answer: 'No.', answeredBy: 'Seller Alfa Modas' });
    }
  });
});

describe('who writes reviews and questions', () => {
  it('customers only: anonymous is UNAUTHENTICATED; seller users, staff and integrations are FORBIDDEN; nothing is written', async () => {
    const p = await c.product(alfa);
    const anon = await t.request(ReviewsAddDocument, { input: review(p.id) });
    expect(codes(anon)).toEqual(['UNAUTHENTICATED']);
    expect(anon.data).toBeNull();
    for (const token of [tok.alfaOwner, tok.betaOwner, tok.operator, tok.alfaErp]) {
      expect(codes(await t.request(ReviewsAddDocument, { input: review(p.id) }, token))).toEqual(['FORBIDDEN']);
      expect(codes(await t.request(ReviewsAskDocument, { input: { productId: p.id, question: 'Hi?' } }, token))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await t.request(ReviewsAskDocument, { input: { productId: p.id, question: 'Hi?' } }))).toEqual(['UNAUTHENTICATED']);
    expect(await reviewCount(p.id)).toBe(0);
    expect(await f.em().count(ProductQuestion, { product: p.id })).toBe(0);
  });

  it('one review per customer and product: the second is a CONFLICT and changes nothing', async () => {
    const p = await c.product(beta);
    expect((await t.request(ReviewsAddDocument, { input: review(p.id, 5) }, maria.token)).data?.addProductReview.userErrors).toEqual([]);
    const again = await t.request(ReviewsAddDocument, { input: review(p.id, 1, { body: 'Changed my mind.' }) }, maria.token);
    expect(again.data?.addProductReview.review).toBeNull();
    expect(again.data?.addProductReview.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['input', 'productId']]]);
    const rows = await f.em().find(ProductReview, { product: p.id });
    expect(rows.map((r) => r.rating)).toEqual([5]);
    // Another customer may still review it.
    expect((await t.request(ReviewsAddDocument, { input: review(p.id, 3) }, joao.token)).data?.addProductReview.userErrors).toEqual([]);
    // The unique index backs the service check.
    await expect(
      f.em().getConnection().execute(
        `insert into product_review (id, product_id, author_id, rating, body) values (?, ?, ?, 2, 'x')`,
        [randomUUID(), p.id, maria.user.id],
      ),
    ).rejects.toThrow(/product_review_one_per_author/);
  });

  it('validates every field at once, with field paths', async () => {
    const p = await c.product(alfa);
    const high = await t.request(ReviewsAddDocument, { input: review(p.id, 6) }, maria.token);
    expect(high.data?.addProductReview.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'rating']]]);
    const low = await t.request(ReviewsAddDocument, { input: review(p.id, 0) }, maria.token);
    expect(low.data?.addProductReview.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'rating']]]);
    const many = await t.request(ReviewsAddDocument, { input: { productId: randomUUID(), rating: -3, title: 'x'.repeat(201), body: '   ' } }, maria.token);
    expect(many.data?.addProductReview.userErrors.map((e) => [e.code, e.field?.join('.')])).toEqual([
      ['BAD_USER_INPUT', 'input.rating'],
      ['BAD_USER_INPUT', 'input.title'],
      ['BAD_USER_INPUT', 'input.body'],
      ['NOT_FOUND', 'input.productId'],
    ]);
    const badId = await t.request(ReviewsAskDocument, { input: { productId: 'not-an-id', question: '' } }, maria.token);
    expect(badId.data?.askProductQuestion.userErrors.map((e) => [e.code, e.field?.join('.')])).toEqual([
      ['BAD_USER_INPUT', 'input.question'],
      ['NOT_FOUND', 'input.productId'],
    ]);
    expect(await reviewCount(p.id)).toBe(0);
  });
});

describe('answers', () => {
  let product: Product;
  let questionId: string;
  beforeAll(async () => {
    product = await c.product(alfa);
    const asked = await t.request(ReviewsAskDocument, { input: { productId: product.id, question: 'Is it cotton?' } }, maria.token);
    questionId = asked.data!.askProductQuestion.question!.id;
  });

  it("another seller's users, FINANCE, the sales agent, customers and integrations cannot answer; nothing changes", async () => {
    const input = { questionId, answer: 'Polyester.' };
    expect(codes(await t.request(ReviewsAnswerDocument, { input }))).toEqual(['UNAUTHENTICATED']);
    for (const token of [tok.betaOwner, tok.alfaFinance, tok.agent, joao.token, tok.alfaErp]) {
      const res = await t.request(ReviewsAnswerDocument, { input }, token);
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data).toBeNull();
    }
    const row = await questionRow(questionId);
    expect([row.answer, row.answeredAs, row.answeredBy, row.answeredAt]).toEqual([null, null, null, null]);
  });

  it('the owning seller answers and edits; the store may replace it; the seller may not replace the store', async () => {
    const first = await t.request(ReviewsAnswerDocument, { input: { questionId, answer: 'Yes, 100% cotton.' } }, tok.alfaService);
    expect(first.data?.answerProductQuestion.userErrors).toEqual([]);
    expect(first.data?.answerProductQuestion.question).toMatchObject({ answer: 'Yes, 100% cotton.', answeredBy: 'Seller Alfa Modas' });
    const firstAt = first.data!.answerProductQuestion.question!.answeredAt!;

    await new Promise((r) => setTimeout(r, 5));
    const edit = await t.request(ReviewsAnswerDocument, { input: { questionId, answer: 'Yes: 100% organic cotton.' } }, tok.alfaOwner);
    expect(edit.data?.answerProductQuestion.question).toMatchObject({ answer: 'Yes: 100% organic cotton.', answeredBy: 'Seller Alfa Modas' });
    expect(new Date(edit.data!.answerProductQuestion.question!.answeredAt!).getTime()).toBeGreaterThan(new Date(firstAt).getTime());

    const empty = await t.request(ReviewsAnswerDocument, { input: { questionId, answer: '  ' } }, tok.alfaOwner);
    expect(empty.data?.answerProductQuestion.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'answer']]]);

    const store = await t.request(ReviewsAnswerDocument, { input: { questionId, answer: 'Cotton and elastane.' } }, tok.support);
    expect(store.data?.answerProductQuestion.question).toMatchObject({ answer: 'Cotton and elastane.', answeredBy: 'Store' });

    const back = await t.request(ReviewsAnswerDocument, { input: { questionId, answer: 'Pure cotton!' } }, tok.alfaOwner);
    expect(back.data?.answerProductQuestion.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['input', 'questionId']]]);
    const row = await questionRow(questionId);
    expect([row.answer, row.answeredAs]).toEqual(['Cotton and elastane.', AnswerSide.STORE]);
  });

  it("the operator answers questions on its own (admin seller's) products as the store", async () => {
    const own = await c.product(await f.adminSeller());
    const asked = await t.request(ReviewsAskDocument, { input: { productId: own.id, question: 'Gift wrap?' } }, joao.token);
    const id = asked.data!.askProductQuestion.question!.id;
    expect(codes(await t.request(ReviewsAnswerDocument, { input: { questionId: id, answer: 'Yes.' } }, tok.alfaOwner))).toEqual(['FORBIDDEN']);
    const res = await t.request(ReviewsAnswerDocument, { input: { questionId: id, answer: 'Yes.' } }, tok.operator);
    expect(res.data?.answerProductQuestion.question).toMatchObject({ answer: 'Yes.', answeredBy: 'Store' });
    const missing = await t.request(ReviewsAnswerDocument, { input: { questionId: randomUUID(), answer: 'Yes.' } }, tok.operator);
    expect(missing.data?.answerProductQuestion.userErrors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'questionId']]]);
  });
});

describe('privacy', () => {
  it("never shows an author's or answerer's e-mail or id, only a public name or side", async () => {
    const p = await c.product(alfa);
    const r = await t.request(ReviewsAddDocument, { input: review(p.id, 5, { body: 'Lovely.' }) }, maria.token);
    expect(r.data?.addProductReview.review?.authorName).toBe('Maria S.');
    const q = await t.request(ReviewsAskDocument, { input: { productId: p.id, question: 'Colours?' } }, maria.token);
    await t.request(ReviewsAnswerDocument, { input: { questionId: q.data!.askProductQuestion.question!.id, answer: 'Three.' } }, tok.alfaOwner);

    const staff = await f.em().find(User, { seller: alfa.id });
    const secrets = [maria.user.email, maria.user.id, 'mail.example', 'alfa.example', ...staff.map((u) => u.id)];
    for (const token of [undefined, tok.betaOwner, tok.alfaOwner, tok.operator, joao.token, maria.token]) {
      const reviews = await t.request(ReviewsOfProductDocument, { id: p.id }, token);
      const questions = await t.request(ReviewsQuestionsOfProductDocument, { id: p.id }, token);
      const json = JSON.stringify([reviews, questions]);
      expect(json).toContain('Maria S.');
      expect(json).toContain('Seller Alfa Modas');
      for (const secret of secrets) expect(json).not.toContain(secret);
    }
    // Nor through introspection-free guessing: the types have no author field at all.
    const probe = await t.raw({ query: `{ product(id: "${p.id}") { reviews { edges { node { author { email } } } } } }` });
    expect(codes(probe)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

describe('rating', () => {
  it('count and one-decimal average per product, for every product of a listing', async () => {
    const shop = await f.seller({ code: 'RATE', name: 'Rate Shop' });
    const p1 = await c.product(shop, { sellerCode: 'R1' });
    const p2 = await c.product(shop, { sellerCode: 'R2' });
    const p3 = await c.product(shop, { sellerCode: 'R3' });
    const ana = await customer('Ana Lima', 'ana@mail.example');
    for (const [who, product, rating] of [[maria, p1, 5], [joao, p1, 4], [ana, p1, 4], [maria, p2, 1], [joao, p2, 2]] as const) {
      const res = await t.request(ReviewsAddDocument, { input: review(product.id, rating) }, who.token);
      expect(res.data?.addProductReview.userErrors).toEqual([]);
    }
    const one = await t.request(ReviewsOfProductDocument, { id: p1.id });
    expect(one.data?.product?.rating).toEqual({ average: 4.3, count: 3 });
    expect(one.data?.product?.reviews.totalCount).toBe(3);

    const connection = t.app.runtime.orm.em.getConnection();
    const spy = vi.spyOn(connection, 'execute');
    const list = await t.request(ReviewsProductListingDocument, { first: 10, filter: { sellerId: shop.id } });
    const sql = spy.mock.calls.map(([query]) => String(query));
    spy.mockRestore();
    expect(list.errors).toBeUndefined();
    // Ratings, review pages, question pages, question counts, author names: one query each for the whole page of products.
    const count = (...parts: string[]) => sql.filter((q) => parts.every((part) => q.includes(part))).length;
    expect(count('from product_review', 'avg(')).toBe(1);
    expect(count('lateral', 'from product_review')).toBe(1);
    expect(count('lateral', 'from product_question')).toBe(1);
    expect(count('count(*)', 'from product_question')).toBe(1);
    expect(count('from app_user')).toBe(1);
    const byId = Object.fromEntries(list.data!.products.edges.map((e) => [e.node.id, e.node.rating]));
    expect(byId).toEqual({
      [p1.id]: { average: 4.3, count: 3 },
      [p2.id]: { average: 1.5, count: 2 },
      [p3.id]: { average: null, count: 0 },
    });
    // Newest first inside each product's reviews.
    const p1Reviews = list.data!.products.edges.find((e) => e.node.id === p1.id)!.node.reviews;
    expect(p1Reviews.edges.map((e) => e.node.authorName)).toEqual(['Ana L.', 'João']);
  });

  it('deleting: the author and store staff may; other customers and sellers may not; the author may then review again', async () => {
    const p = await c.product(alfa);
    const mine = (await t.request(ReviewsAddDocument, { input: review(p.id, 1) }, maria.token)).data!.addProductReview.review!.id;
    const his = (await t.request(ReviewsAddDocument, { input: review(p.id, 5) }, joao.token)).data!.addProductReview.review!.id;

    expect(codes(await t.request(ReviewsDeleteDocument, { id: mine }))).toEqual(['UNAUTHENTICATED']);
    for (const token of [joao.token, tok.alfaOwner, tok.betaOwner, tok.agent, tok.alfaErp]) {
      expect(codes(await t.request(ReviewsDeleteDocument, { id: mine }, token))).toEqual(['FORBIDDEN']);
    }
    expect(await reviewCount(p.id)).toBe(2);

    expect((await t.request(ReviewsDeleteDocument, { id: mine }, maria.token)).data?.deleteProductReview).toEqual({ deletedReviewId: mine, userErrors: [] });
    expect((await t.request(ReviewsDeleteDocument, { id: his }, tok.support)).data?.deleteProductReview.deletedReviewId).toBe(his);
    const gone = await t.request(ReviewsDeleteDocument, { id: his }, tok.support);
    expect(gone.data?.deleteProductReview.userErrors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['id']]]);
    expect((await t.request(ReviewsOfProductDocument, { id: p.id })).data?.product?.rating).toEqual({ average: null, count: 0 });

    expect((await t.request(ReviewsAddDocument, { input: review(p.id, 4) }, maria.token)).data?.addProductReview.userErrors).toEqual([]);
  });
});

describe('pagination', () => {
  it('pages newest first through reviews written in the same millisecond, without gaps or repeats', async () => {
    const p = await c.product(beta);
    const em = f.em();
    const authors = Array.from({ length: 25 }, (_, i) => em.create(User, { email: `pager${i}@mail.example`, name: `Pager ${i}` }));
    await em.persistAndFlush(authors);
    // Microsecond-apart and tied timestamps, written by PostgreSQL: a millisecond cursor would skip or repeat rows.
    await em.getConnection().execute(
      `insert into product_review (id, product_id, author_id, rating, body, created_at)
       select gen_random_uuid(), ?, a.id, 1 + (a.n % 5), 'r' || a.n, timestamptz '2026-01-01' + (a.n / 2) * interval '1 microsecond'
         from (select id, row_number() over (order by email) as n from app_user where email like 'pager%') a`,
      [p.id],
    );
    const expected = await f.em().getConnection().execute<{ id: string }[]>(
      `select id from product_review where product_id = ? order by created_at desc, id desc`,
      [p.id],
    );

    const seen: string[] = [];
    let after: string | null | undefined;
    const pages: { size: number; next: boolean; previous: boolean; total: number }[] = [];
    do {
      const res = await t.request(ReviewsOfProductDocument, { id: p.id, first: 10, after }, tok.betaOwner);
      const conn = res.data!.product!.reviews;
      seen.push(...conn.edges.map((e) => e.node.id));
      pages.push({ size: conn.edges.length, next: conn.pageInfo.hasNextPage, previous: conn.pageInfo.hasPreviousPage, total: conn.totalCount });
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : null;
    } while (after);
    expect(pages).toEqual([
      { size: 10, next: true, previous: false, total: 25 },
      { size: 10, next: true, previous: true, total: 25 },
      { size: 5, next: false, previous: true, total: 25 },
    ]);
    expect(seen).toEqual(expected.map((r) => r.id));

    const bad = await t.request(ReviewsOfProductDocument, { id: p.id, first: 10, after: 'bm9wZQ' });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
    const tooMany = await t.request(ReviewsOfProductDocument, { id: p.id, first: 101 });
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('hidden products', () => {
  it('reviews and questions of a draft product are not reachable by the storefront or other sellers', async () => {
    const p = await c.product(alfa);
    await t.request(ReviewsAddDocument, { input: review(p.id, 2, { body: 'Meh.' }) }, maria.token);
    await t.request(ReviewsAskDocument, { input: { productId: p.id, question: 'Why meh?' } }, maria.token);
    await f.em().nativeUpdate(Product, { id: p.id }, { status: ProductStatus.DRAFT });

    for (const token of [undefined, joao.token, tok.betaOwner]) {
      const res = await t.request(ReviewsOfProductDocument, { id: p.id }, token);
      expect(res.data?.product).toBeNull();
      expect(JSON.stringify(res)).not.toContain('Meh.');
    }
    const add = await t.request(ReviewsAddDocument, { input: review(p.id, 5) }, joao.token);
    expect(add.data?.addProductReview.userErrors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'productId']]]);
    const ask = await t.request(ReviewsAskDocument, { input: { productId: p.id, question: 'Still there?' } }, joao.token);
    expect(ask.data?.askProductQuestion.userErrors.map((e) => [e.code, e.field])).toEqual([['NOT_FOUND', ['input', 'productId']]]);

    // Its own seller and the operator still see them (to answer, to moderate).
    for (const token of [tok.alfaOwner, tok.operator]) {
      const res = await t.request(ReviewsOfProductDocument, { id: p.id }, token);
      expect(res.data?.product?.reviews.edges.map((e) => e.node.body)).toEqual(['Meh.']);
    }

    // A published kit holding a SKU of the draft leads to it through Sku.product; its reviews stay out of reach there too.
    const kit = await c.product(alfa, { sellerCode: 'KITR' });
    const em = f.em();
    const sku = await em.findOneOrFail(Sku, { product: p.id });
    await em.nativeUpdate(Product, { id: kit.id }, { isKit: true });
    await em.persistAndFlush(em.create(KitComponent, { kit: em.getReference(Product, kit.id), sku, quantity: 1 }));
    const viaKit = await t.request(ReviewsSkuProductDocument, { id: kit.id });
    expect(viaKit.errors).toBeUndefined();
    const inner = viaKit.data?.product?.kitComponents[0]?.sku.product;
    // Sku.product currently hands out the draft itself; whatever it returns, no review comes with it.
    expect(inner ? [inner.rating.count, inner.reviews.totalCount, inner.questions.totalCount] : [0, 0, 0]).toEqual([0, 0, 0]);
    expect(JSON.stringify(viaKit)).not.toContain('Meh.');
  });
});
