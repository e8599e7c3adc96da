import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guard } from '../src/app/schema-guard.js';

const read = (f: string) => readFileSync(new URL(`../schema/${f}`, import.meta.url), 'utf8');

describe('schema guard', () => {
  it('passes on the committed schema: every breaking change since the release is recorded', async () => {
    const result = await guard(read('released.graphql'), read('schema.graphql'), read('BREAKING_CHANGES.md'));
    expect(result.unrecorded.map((c) => c.message)).toEqual([]);
    expect(result.undatedDeprecations).toEqual([]);
  });

  it('fails on a deliberately breaking edit that the changelog does not record', async () => {
    const current = read('schema.graphql');
    // Removing a field clients read (Money.currency), and adding a required argument.
    const broken = current
      .replace('\n\n  """ISO 4217 code, e.g. BRL."""\n  currency: String!\n}', '\n}')
      .replace('order(code: String!): Order', 'order(code: String!, reason: String!): Order');
    expect(broken).not.toBe(current);
    const result = await guard(current, broken, read('BREAKING_CHANGES.md'));
    expect(result.unrecorded.map((c) => c.type).sort()).toEqual(expect.arrayContaining(['FIELD_ARGUMENT_ADDED', 'FIELD_REMOVED']));
    // Recording it with a reason lets it through.
    const changelog = `| path | type | reason | version |\n|---|---|---|---|\n${result.unrecorded.map((c) => `| \`${c.path}\` | \`${c.type}\` | on purpose | 0.3.0 |`).join('\n')}\n`;
    expect((await guard(current, broken, changelog)).unrecorded).toEqual([]);
  });

  it('asks deprecations for the version that removes them', async () => {
    const current = read('schema.graphql');
    const deprecated = current.replace('order(code: String!): Order', 'order(code: String!): Order @deprecated(reason: "Use orderByCode.")');
    expect((await guard(current, deprecated, '')).undatedDeprecations).toEqual(['Query.order: "Use orderByCode."']);
    const dated = current.replace('order(code: String!): Order', 'order(code: String!): Order @deprecated(reason: "Use orderByCode. Removed in 0.4.")');
    expect((await guard(current, dated, '')).undatedDeprecations).toEqual([]);
  });
});
