import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  buildSchema,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
} from 'graphql';
import { startTestApp, type GraphQLResponse, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';

/*
 * Issue 12, item 4: no input produces INTERNAL_SERVER_ERROR. For every root query and
 * mutation of the printed schema, fast-check builds arguments from the argument types —
 * strings with NUL and other control characters, very long strings, hand-made pagination
 * cursors holding nulls, numbers and arrays, random and well-formed ids, extreme numbers —
 * and sends them as an anonymous caller and as an operator OWNER (who gets past the
 * permission checks to the services). Any HTTP 500 or INTERNAL_SERVER_ERROR fails.
 */

const schema = buildSchema(readFileSync(path.join(import.meta.dirname, '..', 'schema', 'schema.graphql'), 'utf8'));

/** Runs per root field and caller; printed at the end with the total. */
const RUNS_PER_FIELD = Number(process.env.FUZZ_RUNS ?? 6);

/** Mutations that would end the caller's own session (the property would lose its OWNER). */
const SKIP_AS_OWNER = new Set(['logout']);

const controlChars = fc.constantFrom('\u0000', '\u0001', '\u0007', '\u001b', '\u007f', '\ud800', '\t', '\n', '\u2028');
const nasty = fc
  .tuple(fc.string({ maxLength: 8 }), controlChars, fc.string({ maxLength: 8 }))
  .map(([a, c, b]) => `${a}${c}${b}`);
const cursorLike = fc
  .array(fc.oneof(fc.constant(null), fc.integer(), fc.double({ noNaN: true }), fc.string({ maxLength: 6 }), fc.array(fc.integer(), { maxLength: 2 }), fc.boolean(), fc.constant({})), { minLength: 0, maxLength: 4 })
  .map((values) => Buffer.from(JSON.stringify(values)).toString('base64url'));
const uuid = fc.uuid();
const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 20 }) },
  { weight: 3, arbitrary: nasty },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.nat({ max: 5000 }).map((n) => 'a'.repeat(n * 20)) },
  { weight: 2, arbitrary: cursorLike },
  { weight: 1, arbitrary: uuid },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', 'not-an-email', 'a@b', 'SKU-1', '12345678000195', '1-1', 'R1', '%', '_', '\\', "'", 'null') },
);
const ints = fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }), fc.constantFrom(0, -1, 1, 100, 101, 2147483647));
const safeInts = fc.oneof(fc.maxSafeInteger(), fc.constantFrom(0, -1, 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER));
const dates = fc.oneof(
  fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom('0001-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'not a date'),
);

function scalar(name: string): fc.Arbitrary<unknown> {
  switch (name) {
    case 'String':
      return text;
    case 'ID':
      return fc.oneof(uuid, text);
    case 'Int':
      return ints;
    case 'SafeInt':
      return safeInts;
    case 'Float':
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0, -0.5, 1e300));
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return dates;
    case 'JSON':
      return fc.jsonValue({ maxDepth: 2 });
    default:
      throw new Error(`no arbitrary for scalar ${name}`);
  }
}

const inputs = new Map<string, fc.Arbitrary<unknown>>();

/** An arbitrary for an input type; nullable positions sometimes get null or nothing. */
function arbitraryFor(type: GraphQLInputType, depth = 0): fc.Arbitrary<unknown> {
  const inner = getNullableType(type) as GraphQLInputType;
  const value = ((): fc.Arbitrary<unknown> => {
    if (isListType(inner)) return fc.array(arbitraryFor(inner.ofType as GraphQLInputType, depth + 1), { maxLength: depth > 1 ? 1 : 3 });
    const named = getNamedType(inner);
    if (isEnumType(named)) return fc.constantFrom(...named.getValues().map((v) => v.name));
    if (isInputObjectType(named)) {
      const key = `${named.name}@${depth > 2 ? 'deep' : depth}`;
      let arb = inputs.get(key);
      if (!arb) {
        const fields = Object.values(named.getFields());
        const shape: Record<string, fc.Arbitrary<unknown>> = {};
        const required: string[] = [];
        for (const f of fields) {
          if (depth > 2 && !isNonNullType(f.type)) continue;
          shape[f.name] = fc.constant(null).chain(() => arbitraryFor(f.type, depth + 1));
          if (isNonNullType(f.type) && f.defaultValue === undefined) required.push(f.name);
        }
        arb = fc.record(shape, { requiredKeys: required });
        inputs.set(key, arb);
      }
      return arb;
    }
    return scalar(named.name);
  })();
  return isNonNullType(type) ? value : fc.oneof({ weight: 4, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) });
}

function selectionFor(type: GraphQLOutputType): string {
  const named = getNamedType(type);
  if (isUnionType(named)) return '{ __typename }';
  if (!isObjectType(named)) return '';
  const fields = named.getFields();
  return 'userErrors' in fields ? '{ __typename userErrors { code field message } }' : '{ __typename }';
}

function documentFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): string {
  const params = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const call = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
  return `${kind} Fuzz${params ? `(${params})` : ''} { ${field.name}${call ? `(${call})` : ''} ${selectionFor(field.type)} }`;
}

function argumentsFor(field: GraphQLField<unknown, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  const required: string[] = [];
  for (const a of field.args) {
    shape[a.name] = arbitraryFor(a.type);
    if (isNonNullType(a.type) && a.defaultValue === undefined) required.push(a.name);
  }
  return fc.record(shape, { requiredKeys: required });
}

const roots = [
  ...Object.values(schema.getQueryType()!.getFields()).map((f) => ({ kind: 'query' as const, field: f })),
  ...Object.values(schema.getMutationType()!.getFields()).map((f) => ({ kind: 'mutation' as const, field: f })),
];

function failure(res: GraphQLResponse<unknown>): string | null {
  if (res.status >= 500) return `HTTP ${res.status}: ${JSON.stringify(res.errors)}`;
  const internal = (res.errors ?? []).filter((e) => !e.extensions?.code || e.extensions.code === 'INTERNAL_SERVER_ERROR');
  return internal.length ? `INTERNAL_SERVER_ERROR: ${JSON.stringify(internal)}` : null;
}

let t: TestApp;
let owner: string;
let requests = 0;

beforeAll(async () => {
  t = await startTestApp();
  const f = new Factory(t);
  owner = (await f.operator()).token;
});
afterAll(async () => {
  // eslint-disable-next-line no-console
  console.log(`fuzz: ${roots.length} root fields × 2 callers × ${RUNS_PER_FIELD} runs = ${requests} requests`);
  await t?.stop();
});

describe('no input produces INTERNAL_SERVER_ERROR (fast-check over every root field)', () => {
  it('covers every root query and mutation of the schema', () => {
    expect(roots.length).toBeGreaterThan(100);
  });

  for (const { kind, field } of roots) {
    it(`${kind} ${field.name}`, { timeout: 120_000 }, async () => {
      const query = documentFor(kind, field);
      const callers = SKIP_AS_OWNER.has(field.name) ? [undefined] : [undefined, owner];
      await fc.assert(
        fc.asyncProperty(argumentsFor(field), fc.constantFrom(...callers), async (variables, token) => {
          requests++;
          const res = await t.raw({ query, variables }, token);
          const problem = failure(res);
          if (problem) throw new Error(`${field.name} as ${token ? 'operator OWNER' : 'anonymous'} with ${JSON.stringify(variables).slice(0, 500)}: ${problem}`);
        }),
        { numRuns: RUNS_PER_FIELD * callers.length, endOnFailure: true },
      );
    });
  }
});
