import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { ConnectionType, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE } from '../../shared/pagination/index.js';

/** One entry of a change feed: what changed and where to fetch it; not the object itself. */
@ObjectType('Change', { description: 'One change of an order, return, product or SKU, in the order it can be read. Fetch the object by id or code for its current state.' })
export class ChangeType {
  @Field(() => String, { description: 'Position of the change in the store-wide event sequence (increasing, but not gap-free: read in feed order, not by position).' })
  position!: string;

  @Field(() => ID, { description: 'Stable id of the change (the same id a webhook delivery of it carries as `webhook-id`).' })
  eventId!: string;

  @Field(() => String, { description: 'What happened, e.g. `order.invoiced`, `sku.stock_changed` (see webhookEventTypes for the catalogue).' })
  type!: string;

  @Field(() => String, { description: 'The kind of object that changed: `order`, `return`, `product` or `sku`.' })
  entity!: string;

  @Field(() => ID, { description: 'Id of the object that changed.' })
  entityId!: string;

  @Field(() => String, { nullable: true, description: 'The code people and ERPs know the object by (order, return, product or SKU code).' })
  code!: string | null;

  @Field(() => ID, { nullable: true, description: 'The seller the object belongs to.' })
  sellerId!: string | null;

  @Field(() => JSONObjectResolver, { description: 'The facts of the change (e.g. `{ from, to }` of a status, `{ before, after }` of a stock figure); its keys per type are in webhookEventTypes.' })
  changes!: Record<string, unknown>;

  @Field(() => DateTimeResolver, { description: 'When the change was made.' })
  occurredAt!: Date;
}

export const ChangeConnection = ConnectionType('Change', ChangeType);

@ArgsType()
export class ChangeFeedArgs {
  @Field(() => String, {
    nullable: true,
    description: 'The cursor you saved (the last `pageInfo.endCursor` you read); omitted, the feed starts at the beginning. Every change after it is returned, none skipped, even when transactions commit out of order.',
  })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `How many changes to read, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE}).` })
  first?: number;

  @Field(() => ID, { nullable: true, description: "Operator staff: only this seller's changes (omitted: the whole store). Sellers and their integrations always read their own." })
  sellerId?: string | null;
}
