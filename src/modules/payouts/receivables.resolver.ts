import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { money } from '../../shared/money/index.js';
import { sellerById, SellerType } from '../sellers/index.js';
import { sellerBalance } from './balance.service.js';
import { listReceivables, type ReceivableView } from './listings.service.js';
import { ReceivableConnection, ReceivableListArgs, ReceivableType, SellerBalanceType, type ReceivableStateEnum } from './receivables.types.js';

/** A receivable view as its GraphQL type reads it. */
export interface ReceivableNode extends Omit<ReceivableType, 'state'> {
  state: ReceivableView['state'];
}

const toNode = (r: ReceivableView): ReceivableNode => ({
  id: r.id,
  kind: r.kind,
  state: r.state,
  sellerId: r.sellerId,
  orderId: r.orderId,
  orderCode: r.orderCode,
  cartNumber: r.cartNumber,
  adjustmentId: r.adjustmentId,
  availableOn: r.availableOn,
  amount: money(r.net, r.currency),
  settled: money(r.settled, r.currency),
  outstanding: money(r.outstanding, r.currency),
  createdAt: r.createdAt,
});

@Resolver(() => ReceivableType)
export class ReceivableResolver {
  @Query(() => ReceivableConnection, { description: "Receivables, oldest first: a seller's owner/finance users and integration read their own; operator staff any seller's." })
  async receivables(@Args(() => ReceivableListArgs) args: ReceivableListArgs, @Ctx() ctx: Context) {
    const page = await listReceivables(ctx, { sellerId: args.sellerId, state: args.state as ReceivableStateEnum | undefined }, args);
    return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: toNode(e.node) })), totalCount: page.totalCount };
  }

  @Query(() => SellerBalanceType, { description: "A seller's balance by receivable state (breaking change: it was one Money). Sellers read their own; operator staff name the seller." })
  async sellerBalance(@Arg('sellerId', () => ID, { nullable: true, description: 'Operator staff name the seller; sellers get their own (another id is FORBIDDEN).' }) sellerId: string | undefined, @Ctx() ctx: Context) {
    const b = await sellerBalance(ctx, sellerId);
    const m = (n: number) => money(n, b.currency);
    return { sellerId: b.sellerId, asOf: b.asOf, pending: m(b.pending), scheduled: m(b.scheduled), available: m(b.available), debits: m(b.debits), total: m(b.total), paid: m(b.paid), processing: m(b.processing) };
  }

  @FieldResolver(() => SellerType, { description: 'The seller it is owed to.' })
  seller(@Root() r: ReceivableNode, @Ctx() ctx: Context) {
    return sellerById(ctx).load(r.sellerId);
  }
}
