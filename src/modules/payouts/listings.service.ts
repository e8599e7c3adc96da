import type { FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { badInput } from '../../shared/errors/index.js';
import { findById } from '../../shared/db/ids.js';
import { assertMay } from '../../shared/access/index.js';
import { isCalendarDate } from '../../shared/time/index.js';
import { paginate, type Connection, type ConnectionArgs } from '../../shared/pagination/index.js';
import { canSeeSellerPrivate } from '../sellers/index.js';
import { PAYOUTS_ACCESS } from './payouts.access.js';
import { Payout, PayoutRun, type PayoutStatus } from './payouts.entity.js';
import { Receivable, ReceivableStatus } from './receivables.entity.js';
import { outstanding, receivableFigures, stateOf, type ReceivableFigures, type ReceivableState } from './receivables.service.js';
import { sellerOrAll, storeToday } from './scope.js';

/** A receivable as GraphQL shows it: the stored row with its ledger figures and its state today. */
export interface ReceivableView extends ReceivableFigures {
  state: ReceivableState;
  outstanding: number;
  currency: string;
}

/** Receivables oldest first: a seller's own; operator staff any seller's, or every seller's. */
export async function listReceivables(ctx: Context, filter: { sellerId?: string | null; state?: ReceivableState | null }, args: ConnectionArgs): Promise<Connection<ReceivableView>> {
  const sellerId = await sellerOrAll(ctx, PAYOUTS_ACCESS.readPayouts, filter.sellerId);
  const { settings, today } = await storeToday(ctx);
  const where: FilterQuery<Receivable> = sellerId ? { seller: sellerId } : {};
  switch (filter.state) {
    case 'AVAILABLE':
      Object.assign(where, { status: ReceivableStatus.SCHEDULED, availableOn: { $lte: today } });
      break;
    case 'SCHEDULED':
      Object.assign(where, { status: ReceivableStatus.SCHEDULED, $or: [{ availableOn: null }, { availableOn: { $gt: today } }] });
      break;
    case null:
    case undefined:
      break;
    default:
      Object.assign(where, { status: filter.state });
  }
  const page = await paginate(ctx.em, Receivable, where, args, { createdAt: 'asc' });
  const ids = page.edges.map((e) => e.node.id);
  const figures = ids.length ? await receivableFigures(ctx.em, `r.id in (${ids.map(() => '?').join(', ')})`, ids) : [];
  const byId = new Map(figures.map((f) => [f.id, f]));
  return {
    edges: page.edges.map(({ cursor, node }) => {
      const f = byId.get(node.id)!;
      return { cursor, node: { ...f, state: stateOf(f, today), outstanding: outstanding(f), currency: settings.currency } };
    }),
    pageInfo: page.pageInfo,
    get totalCount() {
      return page.totalCount;
    },
  };
}

/** Payouts oldest first, filtered by seller (scoped as receivables are), status and period end. */
export async function listPayouts(ctx: Context, filter: { sellerId?: string | null; status?: PayoutStatus | null; periodEnd?: string | null }, args: ConnectionArgs) {
  const sellerId = await sellerOrAll(ctx, PAYOUTS_ACCESS.readPayouts, filter.sellerId);
  if (filter.periodEnd != null && !isCalendarDate(filter.periodEnd)) throw badInput('periodEnd is a date written YYYY-MM-DD.', 'periodEnd');
  const where: FilterQuery<Payout> = {};
  if (sellerId) where.seller = sellerId;
  if (filter.status) where.status = filter.status;
  if (filter.periodEnd) where.periodEnd = filter.periodEnd;
  return paginate(ctx.em, Payout, where, args, { createdAt: 'asc' });
}

/** One payout by id: null when it does not exist or is another seller's. */
export async function findPayout(ctx: Context, id: string): Promise<Payout | null> {
  assertMay(ctx.viewer, PAYOUTS_ACCESS.readPayouts);
  const payout = await findById(ctx.em, Payout, id);
  return payout && canSeeSellerPrivate(ctx.viewer, payout.seller.id) ? payout : null;
}

/** The payouts a run made, oldest first. */
export function runPayoutsPage(ctx: Context, run: PayoutRun, args: ConnectionArgs) {
  return paginate(ctx.em, Payout, { run: run.id }, args, { createdAt: 'asc' });
}
