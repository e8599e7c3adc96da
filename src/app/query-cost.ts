import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type OperationDefinitionNode, type SelectionSetNode, type ValueNode } from 'graphql';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Context } from '../shared/runtime/index.js';

/**
 * The general per-client budget (issue 12, item 2): every request spends its query cost from
 * its client address's budget of QUERY_COST_PER_SECOND, kept in this process's memory so the
 * hot path sends no SQL. Answers carry RateLimit-Limit / -Remaining / -Reset; a spent budget
 * is HTTP 429 RATE_LIMITED with Retry-After. Introspection costs like any other selection.
 */

/** Every selected field costs 1, times the page sizes (`first`) of the lists around it. */
export function queryCost(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const valueOf = (v: ValueNode): number => {
    if (v.kind === Kind.INT) return Number(v.value);
    if (v.kind === Kind.VARIABLE) return Number(variables[v.name.value] ?? 1);
    return 1;
  };
  const walk = (set: SelectionSetNode | undefined, multiplier: number, seen: Set<string>): number => {
    if (!set) return 0;
    let cost = 0;
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const first = s.arguments?.find((a) => a.name.value === 'first');
        const size = first ? Math.min(Math.max(valueOf(first.value), 1), 1_000) || 1 : 1;
        cost += multiplier + walk(s.selectionSet, multiplier * size, seen);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        cost += walk(s.selectionSet, multiplier, seen);
      } else if (!seen.has(s.name.value)) {
        cost += walk(fragments.get(s.name.value)?.selectionSet, multiplier, new Set(seen).add(s.name.value));
      }
      if (cost > 1e9) return cost;
    }
    return cost;
  };
  return walk(operation.selectionSet, 1, new Set());
}

export function costBudget(perSecond: number): ApolloServerPlugin<Context> {
  const limiter = new RateLimiterMemory({ keyPrefix: 'cost', points: perSecond, duration: 1 });
  const headers = (res: RateLimiterRes) =>
    new HeaderMap([
      ['ratelimit-limit', String(perSecond)],
      ['ratelimit-remaining', String(Math.max(0, res.remainingPoints))],
      ['ratelimit-reset', String(Math.max(1, Math.ceil(res.msBeforeNext / 1000)))],
    ]);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operation, request, contextValue, response }) {
          if (!operation) return;
          const cost = Math.max(1, queryCost(document, operation, request.variables ?? {}));
          try {
            // A query dearer than a whole second's budget spends all of it (armor's cost limit bounds it).
            const res = await limiter.consume(contextValue.clientAddress ?? 'unknown', Math.min(cost, perSecond));
            for (const [k, v] of headers(res)) response.http.headers.set(k, v);
          } catch (err) {
            if (!(err instanceof RateLimiterRes)) throw err;
            const retry = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
            const h = headers(err);
            h.set('retry-after', String(retry));
            throw new GraphQLError(`Too many requests from this client: the query budget (${perSecond} per second) is spent. Retry after ${retry} s.`, {
              extensions: { code: 'RATE_LIMITED', retryAfterSeconds: retry, cost, http: { status: 429, headers: h } },
            });
          }
        },
      };
    },
  };
}
