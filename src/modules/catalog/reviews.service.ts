import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { ErrorCode, Validation, badInput, conflict, forbidden, notFound, unauthenticated } from '../../shared/errors/index.js';
import { pageSize, type Connection, type ConnectionArgs } from '../../shared/pagination/index.js';
import { User } from '../auth/index.js';
import { may, type Viewer, type ViewerUser } from '../../shared/access/index.js';
import { CATALOG_ACCESS } from './catalog.access.js';
import { sellerById, settingsLoader, Seller, getSettings } from '../sellers/index.js';
import { Product } from './catalog.entity.js';
import { productById } from './catalog.loaders.js';
import { findById, isId } from '../../shared/db/ids.js';
import { seesPrivateCatalog } from './products.read.js';
import { isOnSale } from './on-sale.js';
import { AnswerSide, ProductQuestion, ProductReview } from './reviews.entity.js';
import { questionCountByProductId, questionPages, ratingByProductId, reviewPages, userNameById, type NewestFirstCursor, type Page, type RatingSummary } from './reviews.loaders.js';

/*
 * Reviews and questions belong to the product, not to a seller: they are read the same way by
 * every viewer who can see the product, and no seller scope applies to reading them. Writing
 * is narrow: customers review and ask; the product's own seller or the store answers; store
 * staff and the author remove a review.
 */


const LIMITS = { title: 200, body: 5000, question: 2000, answer: 5000 } as const;

// ---------------------------------------------------------------------------------------
// Reading

/**
 * "First-name L." from a user's full name. Names are typed by the customer at sign-up, so
 * one that looks like an e-mail address is replaced rather than shown.
 */
export function publicName(fullName: string | null | undefined): string {
  const parts = (fullName ?? '').trim().split(/\s+/).filter(Boolean);
  if (!parts.length || parts.some((p) => p.includes('@'))) return 'Customer';
  const first = parts[0]!;
  if (parts.length === 1) return first;
  return `${first} ${parts.at(-1)!.charAt(0).toLocaleUpperCase('pt-BR')}.`;
}

export async function authorName(ctx: Context, authorId: string): Promise<string> {
  return publicName(await userNameById(ctx).load(authorId));
}

/**
 * Whether the viewer may see this product, from request-wide loaders (no query per product).
 * Resolvers that hand out products already filter them; this keeps reviews of a hidden
 * product unreachable even along a path that forgot to.
 */
async function canSeeProduct(ctx: Context, product: Product): Promise<boolean> {
  if (seesPrivateCatalog(ctx.viewer, product.seller.id)) return true;
  const [seller, settings] = await Promise.all([sellerById(ctx).load(product.seller.id), settingsLoader(ctx).load(1)]);
  return !!seller && isOnSale({ product, seller }, settings);
}

function encodeCursor(c: NewestFirstCursor): string {
  return Buffer.from(`${c.micros}:${c.id}`).toString('base64url');
}

function decodeCursor(after: string | null | undefined): NewestFirstCursor | null {
  if (!after) return null;
  const match = /^(-?\d{1,20}):([0-9a-f-]{36})$/i.exec(Buffer.from(after, 'base64url').toString('utf8'));
  if (!match || !isId(match[2]!)) throw badInput('The cursor is not valid for this list.', 'after');
  return { micros: match[1]!, id: match[2]! };
}

const EMPTY_PAGE = { items: [], hasNextPage: false };

function toConnection<E>(page: Page<E>, totalCount: number, after: NewestFirstCursor | null): Connection<E> {
  const edges = page.items.map((i) => ({ node: i.node, cursor: encodeCursor(i.cursor) }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: after !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

export async function productReviews(ctx: Context, product: Product, args: ConnectionArgs): Promise<Connection<ProductReview>> {
  const first = pageSize(args.first);
  const after = decodeCursor(args.after);
  if (!(await canSeeProduct(ctx, product))) return toConnection<ProductReview>(EMPTY_PAGE, 0, after);
  const [page, rating] = await Promise.all([
    reviewPages(ctx).load({ productId: product.id, first, after }),
    ratingByProductId(ctx).load(product.id),
  ]);
  return toConnection(page, rating.count, after);
}

export async function productQuestions(ctx: Context, product: Product, args: ConnectionArgs): Promise<Connection<ProductQuestion>> {
  const first = pageSize(args.first);
  const after = decodeCursor(args.after);
  if (!(await canSeeProduct(ctx, product))) return toConnection<ProductQuestion>(EMPTY_PAGE, 0, after);
  const [page, count] = await Promise.all([
    questionPages(ctx).load({ productId: product.id, first, after }),
    questionCountByProductId(ctx).load(product.id),
  ]);
  return toConnection(page, count, after);
}

export async function productRating(ctx: Context, product: Product): Promise<RatingSummary> {
  if (!(await canSeeProduct(ctx, product))) return { average: null, count: 0 };
  return ratingByProductId(ctx).load(product.id);
}

/** "Seller <name>" for the product's own seller, "Store" for operator staff; never the person. */
export async function answeredByLabel(ctx: Context, question: ProductQuestion): Promise<string | null> {
  if (question.answer == null || !question.answeredAs) return null;
  if (question.answeredAs === AnswerSide.STORE) return 'Store';
  const product = await productById(ctx).load(question.product.id);
  const seller = product ? await sellerById(ctx).load(product.seller.id) : null;
  return seller ? `Seller ${seller.name}` : 'Seller';
}

export function isOwnReview(viewer: Viewer, review: ProductReview): boolean {
  return viewer.kind === 'CUSTOMER' && viewer.user.id === review.author.id;
}

// ---------------------------------------------------------------------------------------
// Writing

function signedInCustomer(viewer: Viewer): ViewerUser {
  if (viewer.kind === 'CUSTOMER') return viewer.user;
  if (viewer.kind === 'ANONYMOUS') throw unauthenticated();
  throw forbidden('Only customers write reviews and ask questions.');
}

/** A product the storefront shows, or a NOT_FOUND on `input.productId` (hidden ones do not exist for shoppers). */
async function productOnSale(em: EntityManager, v: Validation, productId: string): Promise<Product | null> {
  const product = await findById(em, Product, productId);
  if (product) {
    const [seller, settings] = await Promise.all([
      em.findOneOrFail(Seller, { id: product.seller.id }),
      getSettings(em),
    ]);
    if (isOnSale({ product, seller }, settings)) return product;
  }
  v.add(ErrorCode.NOT_FOUND, 'No product on sale has this id.', ['input', 'productId']);
  return null;
}

/** Trimmed text, checked for presence and length; returns null when absent and optional. */
function text(v: Validation, value: string | null | undefined, field: string[], label: string, max: number, required: boolean): string | null {
  const t = (value ?? '').trim();
  if (!t) {
    v.check(!required, `${label} cannot be empty.`, field);
    return null;
  }
  v.check(t.length <= max, `${label} takes up to ${max} characters.`, field);
  return t;
}

/** Flushes inside the mutation's transaction so a lost race on a unique index becomes a CONFLICT. */
async function flushOrConflict(em: EntityManager, message: string, field: string[]): Promise<void> {
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw conflict(message, ...field);
    throw err;
  }
}

export interface ReviewData {
  productId: string;
  rating: number;
  title?: string | null;
  body: string;
}

/** One review per customer and product, for products on sale; every problem is reported at once. */
export async function addReview(ctx: Context, em: EntityManager, input: ReviewData): Promise<ProductReview> {
  const author = signedInCustomer(ctx.viewer);
  const v = new Validation();
  v.check(Number.isInteger(input.rating) && input.rating >= 1 && input.rating <= 5, 'Rate from 1 to 5 stars.', ['input', 'rating']);
  const title = text(v, input.title, ['input', 'title'], 'The title', LIMITS.title, false);
  const body = text(v, input.body, ['input', 'body'], 'The review', LIMITS.body, true);
  const product = await productOnSale(em, v, input.productId);
  const duplicate = 'You have already reviewed this product; delete your review to write a new one.';
  if (product && (await em.count(ProductReview, { product: product.id, author: author.id }))) {
    v.add(ErrorCode.CONFLICT, duplicate, ['input', 'productId']);
  }
  v.throwIfAny();
  const review = em.create(ProductReview, {
    product: product!,
    author: em.getReference(User, author.id),
    rating: input.rating,
    title,
    body: body!,
  });
  em.persist(review);
  await flushOrConflict(em, duplicate, ['input', 'productId']);
  return review;
}

export async function askQuestion(ctx: Context, em: EntityManager, input: { productId: string; question: string }): Promise<ProductQuestion> {
  const author = signedInCustomer(ctx.viewer);
  const v = new Validation();
  const question = text(v, input.question, ['input', 'question'], 'The question', LIMITS.question, true);
  const product = await productOnSale(em, v, input.productId);
  v.throwIfAny();
  const row = em.create(ProductQuestion, { product: product!, author: em.getReference(User, author.id), question: question! });
  em.persist(row);
  return row;
}

/** The side a viewer answers for, or null when it may not answer at all. */
function answeringSide(viewer: Viewer): { side: AnswerSide; user: ViewerUser; sellerId: string | null } | null {
  if (!may(viewer, CATALOG_ACCESS.answerQuestions)) return null;
  if (viewer.kind === 'OPERATOR') return { side: AnswerSide.STORE, user: viewer.user, sellerId: null };
  if (viewer.kind === 'SELLER') return { side: AnswerSide.SELLER, user: viewer.user, sellerId: viewer.seller.id };
  return null;
}

/**
 * Answers, or edits the answer of, a question. The product's own seller and the store answer;
 * each side may edit its own answer (the time moves to the edit). The store may also replace
 * a seller's answer, since it is accountable for what its storefront shows; a seller may not
 * replace the store's, which usually means the store corrected it.
 */
export async function answerQuestion(ctx: Context, em: EntityManager, input: { questionId: string; answer: string }): Promise<ProductQuestion> {
  const who = answeringSide(ctx.viewer);
  if (!who) throw ctx.viewer.kind === 'ANONYMOUS' ? unauthenticated() : forbidden();
  // Locked so a seller's edit cannot slip past a store answer being written at the same time.
  const question = await findById(em, ProductQuestion, input.questionId, { options: { lockMode: LockMode.PESSIMISTIC_WRITE } });
  if (!question) throw notFound('No question has this id.', 'input', 'questionId');
  const product = await em.findOneOrFail(Product, { id: question.product.id });
  // Access first: another seller learns nothing from how its input would have been judged.
  if (who.sellerId && product.seller.id !== who.sellerId) throw forbidden("Only the product's own seller or the store answers its questions.");

  const v = new Validation();
  const answer = text(v, input.answer, ['input', 'answer'], 'The answer', LIMITS.answer, true);
  if (question.answer != null && question.answeredAs === AnswerSide.STORE && who.side === AnswerSide.SELLER) {
    v.add(ErrorCode.CONFLICT, 'The store has answered this question; ask the store to change the answer.', ['input', 'questionId']);
  }
  v.throwIfAny();
  question.answer = answer;
  question.answeredAs = who.side;
  question.answeredBy = em.getReference(User, who.user.id, { wrapped: true });
  question.answeredAt = new Date();
  return question;
}

/**
 * Removes a review for good: store staff moderating, or its author withdrawing it. The
 * author may then write a new one. Sellers cannot remove reviews of their products.
 */
export async function deleteReview(ctx: Context, em: EntityManager, id: string): Promise<string> {
  const viewer = ctx.viewer;
  const moderator = may(viewer, CATALOG_ACCESS.moderateReviews);
  if (!moderator && viewer.kind !== 'CUSTOMER') throw viewer.kind === 'ANONYMOUS' ? unauthenticated() : forbidden();
  const review = await findById(em, ProductReview, id);
  if (!review) throw notFound('No review has this id.', 'id');
  if (!moderator && !isOwnReview(viewer, review)) throw forbidden('Only its author and store staff remove a review.');
  em.remove(review);
  return review.id;
}
