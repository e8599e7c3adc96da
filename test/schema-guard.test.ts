import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guard } from '../src/app/schema-guard.js';

const read = (f: string) => readFileSync(new URL(`../schema/${f}`, import.meta.url), 'utf8');

/** Query.order as printed: its argument carries a description, so it spans several lines. */
const ORDER_FIELD = /(\n {2}order\(\n(?: {4}.*\n)*? {4}code: String!\n)( {2}\): Order)\n/;

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
      .replace(ORDER_FIELD, '$1    reason: String!\n$2\n');
    expect(broken).not.toBe(current);
    const result = await guard(current, broken, read('BREAKING_CHANGES.md'));
    expect(result.unrecorded.map((c) => c.type).sort()).toEqual(expect.arrayContaining(['FIELD_ARGUMENT_ADDED', 'FIELD_REMOVED']));
    // Recording it with a reason lets it through.
    const changelog = `| path | type | reason | version |\n|---|---|---|---|\n${result.unrecorded.map((c) => `| \`${c.path}\` | \`${c.type}\` | on purpose | 0.3.0 |`).join('\n')}\n`;
    expect((await guard(current, broken, changelog)).unrecorded).toEqual([]);
  });

  it('asks deprecations for the version that removes them', async () => {
    const current = read('schema.graphql');
    expect(current).toMatch(ORDER_FIELD);
    const deprecated = current.replace(ORDER_FIELD, '$1$2 @deprecated(reason: "Use orderByCode.")\n');
    expect((await guard(current, deprecated, '')).undatedDeprecations).toEqual(['Query.order: "Use orderByCode."']);
    const dated = current.replace(ORDER_FIELD, '$1$2 @deprecated(reason: "Use orderByCode. Removed in 0.4.")\n');
    expect((await guard(current, dated, '')).undatedDeprecations).toEqual([]);
  });
});
