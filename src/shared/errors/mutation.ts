import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, type UserErrorData } from './errors.js';

export interface Payload {
  userErrors: UserErrorData[];
}

/**
 * The one way mutations run: the work happens in a single database transaction; an expected
 * failure (AppError) rolls it back and becomes the payload's `userErrors`, except access
 * failures, which surface as top-level FORBIDDEN / UNAUTHENTICATED errors. Unexpected errors
 * propagate and are masked by the server's error formatter.
 *
 * `transaction: false` is for work that commits in several transactions of its own: the bulk
 * import saves batch by batch, and checkout claims its idempotency key, calls the payment
 * provider outside any row lock, then writes the orders in a transaction of its own. It keeps
 * the same error handling, so every mutation answers expected failures the same way.
 */
export async function runMutation<T extends object>(
  em: EntityManager,
  work: (em: EntityManager) => Promise<T>,
  opts: { transaction?: boolean } = {},
): Promise<T & Payload> {
  try {
    const result = opts.transaction === false ? await work(em) : await em.transactional((tx) => work(tx));
    return { ...result, userErrors: [] };
  } catch (err) {
    if (err instanceof AppError) {
      if (err.isAccessError) throw err.toGraphQLError();
      return { userErrors: err.errors } as unknown as T & Payload;
    }
    throw err;
  }
}
