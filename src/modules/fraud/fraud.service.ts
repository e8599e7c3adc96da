import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context, Runtime } from '../../shared/runtime/index.js';
import { badInput, conflict, notFound } from '../../shared/errors/index.js';
import type { FraudVerdict } from './fraud.analyzer.js';
import { FraudAnalysis, FraudStatus } from './fraud.entity.js';
import { User } from '../auth/index.js';
import { lockCartTransaction, type PaymentTransaction } from '../payments/index.js';
import { fraudAnalyzer } from './fraud.config.js';

/**
 * Asks the configured analyzer about a cart whose analysis is PENDING and records the verdict.
 * Runs outside any database transaction while waiting for the analyzer (a slow provider must
 * not hold locks); the verdict is written under the analysis row's lock, and only if the
 * analysis is still PENDING, so a concurrent operator decision is never overwritten.
 *
 * `apply` carries the verdict to the cart's orders in the SAME transaction, handed the rows
 * this function locked (the payment transaction with its parts, then the analysis, in the
 * store's lock order) with the verdict set on the analysis but not written yet: `apply`'s
 * flush writes the two together. If applying fails (a capture the provider refuses), the
 * verdict is not recorded either and the analysis stays PENDING for operator staff, instead
 * of an APPROVED analysis over unapproved orders. `analysis` is its id, or the row itself
 * when the caller has it at hand (the checkout that just wrote it). Returns the verdict
 * written, or null when someone settled it first.
 */
export async function analyzeCart(
  runtime: Runtime,
  analysis: string | FraudAnalysis,
  apply: (em: EntityManager, analysis: FraudAnalysis, locked: { transaction: PaymentTransaction | null }) => Promise<void>,
): Promise<FraudVerdict | null> {
  const em = runtime.orm.em.fork();
  const known = typeof analysis === 'string' ? await em.findOneOrFail(FraudAnalysis, analysis) : analysis;
  if (known.status !== FraudStatus.PENDING) return null;
  const request = { ...known.request, placedAt: new Date(known.request.placedAt) };
  if (request.buyer.accountCreatedAt) request.buyer = { ...request.buyer, accountCreatedAt: new Date(request.buyer.accountCreatedAt) };
  let verdict: FraudVerdict;
  try {
    verdict = await fraudAnalyzer(runtime).analyze(request);
  } catch (err) {
    // A malformed request is our bug; the cart still needs a decision, and only a human can give it.
    runtime.logger.error({ err, cart: known.cartNumber }, 'fraud analysis failed');
    verdict = { outcome: 'REVIEW', score: 100, reasons: [{ code: 'ANALYSIS_FAILED', message: 'The analysis could not run; review by hand.' }], provider: fraudAnalyzer(runtime).provider };
  }
  const written = await em.transactional(async (tx) => {
    const transaction = await lockCartTransaction(tx as EntityManager, known.cartId);
    // By hand, as a locking find would read it, without building that query (the checkout's path).
    const [locked] = await tx.execute<Record<string, unknown>[]>(`select * from fraud_analysis where id = ? for update`, [known.id]);
    if (!locked) throw new Error(`fraud analysis ${known.id} is gone`);
    const row = tx.map(FraudAnalysis, locked);
    if (row.status !== FraudStatus.PENDING) return false;
    row.status = FraudStatus[verdict.outcome];
    row.analyzerOutcome = FraudStatus[verdict.outcome];
    row.score = verdict.score;
    row.reasons = verdict.reasons;
    row.provider = verdict.provider;
    row.providerRef = verdict.providerRef ?? null;
    row.analyzedAt = new Date();
    await apply(tx as EntityManager, row, { transaction });
    return true;
  });
  return written ? verdict : null;
}

/**
 * Every path that settles a cart locks its payment transaction before the analysis (the
 * provider webhook arrives holding the transaction), so the two can never deadlock.
 */
async function lockPayment(em: EntityManager, cartId: string): Promise<void> {
  await lockCartTransaction(em, cartId);
}

export async function findAnalysis(em: EntityManager, cartNumber: string): Promise<FraudAnalysis | null> {
  return em.findOne(FraudAnalysis, { cartNumber: cartNumber.trim() });
}

/**
 * Operator staff settle a REVIEW (or an analysis stuck PENDING because the process stopped
 * before the analyzer answered). An APPROVED or REJECTED verdict is final: deciding it again
 * is a CONFLICT. Runs in the caller's transaction; the caller then applies the outcome to the
 * cart's orders in the same transaction.
 */
export async function decideAnalysis(ctx: Context, em: EntityManager, input: { cartNumber: string; outcome: FraudStatus; note?: string | null }): Promise<FraudAnalysis> {
  if (input.outcome !== FraudStatus.APPROVED && input.outcome !== FraudStatus.REJECTED) {
    throw badInput('Decide APPROVED or REJECTED.', 'input', 'outcome');
  }
  if (input.note && input.note.length > 2000) throw badInput('The note is limited to 2,000 characters.', 'input', 'note');
  const found = await em.findOne(FraudAnalysis, { cartNumber: input.cartNumber.trim() });
  if (!found) throw notFound(`No fraud analysis for cart ${input.cartNumber}.`, 'input', 'cartNumber');
  await lockPayment(em, found.cartId);
  const analysis = await em.findOneOrFail(FraudAnalysis, found.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (analysis.status !== FraudStatus.REVIEW && analysis.status !== FraudStatus.PENDING) {
    throw conflict(`The analysis of cart ${analysis.cartNumber} is already ${analysis.status}.`, 'input', 'cartNumber');
  }
  analysis.status = input.outcome;
  analysis.decidedBy = ctx.viewer.kind === 'OPERATOR' ? em.getReference(User, ctx.viewer.user.id, { wrapped: true }) : null;
  analysis.decidedAt = new Date();
  analysis.decisionNote = input.note?.trim() || null;
  await em.flush();
  return analysis;
}
