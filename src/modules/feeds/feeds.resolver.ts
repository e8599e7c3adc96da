import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { readChanges } from './feeds.service.js';
import { ChangeConnection, ChangeFeedArgs, ChangeType } from './feeds.types.js';

@Resolver(() => ChangeType)
export class FeedResolver {
  @Query(() => ChangeConnection, {
    description:
      'Changes of orders and returns after your saved cursor, oldest first: created, approved, invoiced, shipped, delivered, cancelled, edited; returns opened, reviewed, received, refunded. Poll it with the last endCursor; none is ever skipped.',
  })
  orderChanges(@Args(() => ChangeFeedArgs) args: ChangeFeedArgs, @Ctx() ctx: Context) {
    return readChanges(ctx, 'ORDERS', args);
  }

  @Query(() => ChangeConnection, {
    description: 'Changes of products and SKUs after your saved cursor, oldest first: created, updated, approved, rejected; SKU prices and stock. Poll it with the last endCursor; none is ever skipped.',
  })
  catalogChanges(@Args(() => ChangeFeedArgs) args: ChangeFeedArgs, @Ctx() ctx: Context) {
    return readChanges(ctx, 'CATALOG', args);
  }
}
