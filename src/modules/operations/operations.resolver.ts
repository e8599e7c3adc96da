import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { paginate } from '../../shared/pagination/index.js';
import { AttentionItem } from '../../shared/attention/index.js';
import { AttentionItemArgs, AttentionItemConnection } from './operations.types.js';

@Resolver()
export class OperationsResolver {
  @Query(() => AttentionItemConnection, {
    description:
      'Operator staff: items background passes keep failing on and have put aside for a person (see AttentionItem), most recent failure first. Fix the cause (the provider back office, the order) and the next try clears the item.',
  })
  attentionItems(@Args(() => AttentionItemArgs) args: AttentionItemArgs, @Ctx() ctx: Context) {
    return paginate(
      ctx.em,
      AttentionItem,
      { ...(args.includeRetrying ? {} : { attentionSince: { $ne: null } }), ...(args.source ? { source: args.source } : {}) },
      args,
      { lastFailedAt: 'desc' },
    );
  }
}
