import type { Context } from '../../shared/runtime/index.js';
import { countEvents, decodeCursor, encodeCursor, feedTypes, readEvents, type ChangeFeed, type EventCursor } from '../../shared/events/index.js';
import { badInput, notFound } from '../../shared/errors/index.js';
import { isId } from '../../shared/db/ids.js';
import { pageSize, type Connection } from '../../shared/pagination/index.js';
import { knownSellerFilter } from '../sellers/index.js';
import type { ChangeType } from './feeds.types.js';

/**
 * A change feed: the domain events of `feed` visible to the caller after its cursor, oldest
 * first. Reads follow shared/events' horizon, so a change whose transaction is still open
 * holds back what came after it instead of being skipped. `endCursor` is always set (the
 * cursor sent when nothing is new), so the client can save it unconditionally.
 */
export async function readChanges(ctx: Context, feed: ChangeFeed, args: { after?: string | null; first?: number; sellerId?: string | null }): Promise<Connection<ChangeType>> {
  const first = pageSize(args.first);
  let after: EventCursor | null = null;
  if (args.after) {
    after = decodeCursor(args.after);
    if (!after) throw badInput('The cursor is not one this feed gave out.', 'after');
  }
  const sellerId = (await knownSellerFilter(ctx, args.sellerId, ['sellerId'])) ?? undefined;
  const filter = { after, types: feedTypes(feed), sellerId };
  const events = await readEvents(ctx.em, { ...filter, limit: first + 1 });
  const page = events.slice(0, first);
  const edges = page.map((e) => ({
    cursor: encodeCursor(e),
    node: {
      position: e.position,
      eventId: e.id,
      type: e.type,
      entity: e.aggregateType,
      entityId: e.aggregateId,
      code: e.aggregateCode,
      sellerId: e.sellerId,
      changes: e.data,
      occurredAt: e.occurredAt,
    },
  }));
  const endCursor = edges.at(-1)?.cursor ?? args.after ?? null;
  return {
    edges,
    get totalCount() {
      return countEvents(ctx.em, filter);
    },
    pageInfo: { hasNextPage: events.length > first, hasPreviousPage: after !== null, startCursor: edges[0]?.cursor ?? null, endCursor },
  };
}
