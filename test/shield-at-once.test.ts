import { describe, expect, it } from 'vitest';
import { graphql, GraphQLError } from 'graphql';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { applyMiddleware } from 'graphql-middleware';
import { allow, deny, rule, shield } from 'graphql-shield';
import type { IRules } from 'graphql-shield';
import { shieldFieldMap, type RuleTree } from '../src/app/permissions.js';

type IRuleFunction = Parameters<ReturnType<typeof rule>>[0];

/**
 * permissions.ts answers a field under an uncached plain rule without shield's async
 * middleware when the rule answers at once. Here every kind of answer a rule can give (true,
 * false, an Error, a string, a throw, a promise of each) meets every kind of resolver outcome
 * (a value, a promise, a throw, a rejection), and the response must be what graphql-shield's
 * own middleware gives: the same data and the same errors, byte for byte. (Errors are compared in
 * path order: GraphQL lists them as fields settle, and a field answered at once settles sooner.)
 */

const verdicts: Record<string, () => unknown> = {
  yes: () => true,
  no: () => false,
  error: () => new GraphQLError('rule says no', { extensions: { code: 'FORBIDDEN' } }),
  text: () => 'rule says no, in words',
  throws: () => {
    throw new Error('the rule broke');
  },
  other: () => 'x'.length,
  later: async () => true,
  laterNo: async () => false,
  laterError: async () => new Error('later, no'),
};
const outcomes: Record<string, () => unknown> = {
  value: () => 'v',
  promise: async () => 'p',
  throws: () => {
    throw new GraphQLError('resolver threw', { extensions: { code: 'BAD_USER_INPUT' } });
  },
  rejects: async () => {
    throw new Error('resolver rejected');
  },
};

const fields = Object.keys(verdicts).flatMap((v) => Object.keys(outcomes).map((o) => `${v}_${o}`));
const typeDefs = `type Query { ${fields.map((f) => `${f}: String`).join(' ')} open: String denied: String }`;
const resolvers = {
  Query: {
    ...Object.fromEntries(fields.map((f) => [f, outcomes[f.split('_')[1]!]!])),
    open: () => 'open',
    denied: () => 'never',
  },
};
const tree: RuleTree = {
  Query: {
    ...Object.fromEntries(fields.map((f) => [f, rule(`r_${f}`, { cache: 'no_cache' })(verdicts[f.split('_')[0]!]! as IRuleFunction)])),
    open: allow,
  },
};
const options = {
  fallbackRule: deny,
  allowExternalErrors: true,
  debug: false,
  fallbackError: () => new GraphQLError('You are not allowed to do this.', { extensions: { code: 'FORBIDDEN' } }),
};

describe('a field under an uncached rule that answers at once', () => {
  it('answers exactly what graphql-shield answers, for every verdict and resolver outcome', async () => {
    const query = `{ ${fields.join(' ')} open denied }`;
    const withShield = applyMiddleware(makeExecutableSchema({ typeDefs, resolvers }), shield(tree as IRules, options));
    const atOnce = applyMiddleware(makeExecutableSchema({ typeDefs, resolvers }), shieldFieldMap(makeExecutableSchema({ typeDefs, resolvers }), tree));
    const a = await graphql({ schema: withShield, source: query, contextValue: {} });
    const b = await graphql({ schema: atOnce, source: query, contextValue: {} });
    const inPathOrder = (r: typeof a) => ({ data: r.data, errors: [...(r.errors ?? [])].map((e) => e.toJSON()).sort((x, y) => String(x.path).localeCompare(String(y.path))) });
    expect(JSON.stringify(inPathOrder(b))).toBe(JSON.stringify(inPathOrder(a)));
    // And the answers are what the rules say (the comparison above is not between two empty answers).
    expect(b.data).toMatchObject({ yes_value: 'v', yes_promise: 'p', later_value: 'v', open: 'open', no_value: null, denied: null });
    expect(b.errors?.length).toBeGreaterThan(20);
  });
});
