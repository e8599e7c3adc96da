import { describe, expect, it } from 'vitest';
import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { buildBareSchema } from '../src/app/schema.js';
import { argConverter, argsConverter } from '../src/app/arg-instances.js';

/**
 * The direct resolvers (app/schema.ts directFieldResolvers) convert `@Arg()` and `@Args()` values
 * themselves (app/arg-instances.ts) instead of through type-graphql's handler. Here every such
 * parameter of every resolver in the schema gets an argument value with every input field filled
 * (lists of one, nested inputs one level down, nulls in nullable fields on a second pass), and
 * the conversion must equal type-graphql's own — the same values, instances of the same classes
 * at every level.
 */

// type-graphql's conversion is internal (not in its exports); the test reads the file itself.
const typeGraphql = (await import(new URL('../node_modules/type-graphql/build/esm/resolvers/convert-args.js', import.meta.url).href)) as {
  convertArgToInstance(meta: unknown, args: Record<string, unknown>): unknown;
  convertArgsToInstance(meta: unknown, args: Record<string, unknown>): unknown;
};

function sample(type: GraphQLInputType, depth: number, nulls: boolean): unknown {
  if (!isNonNullType(type) && nulls && depth > 0) return null;
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) return [sample(inner.ofType as GraphQLInputType, depth, nulls)];
  if (isEnumType(inner)) return inner.getValues()[0]!.value;
  if (isInputObjectType(inner)) {
    if (depth > 2) return isNonNullType(type) ? {} : null;
    return Object.fromEntries(Object.values(inner.getFields()).map((f) => [f.name, sample(f.type, depth + 1, nulls)]));
  }
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'Int':
        return 7;
      case 'Float':
        return 1.5;
      case 'Boolean':
        return true;
      case 'DateTime':
      case 'DateTimeISO':
        return new Date('2026-01-02T03:04:05Z');
      default:
        return `v-${inner.name}`;
    }
  }
  return null;
}

/** A value with the class of every object in it, so equal shapes of different classes differ. */
function described(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(described);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return { __class: value.constructor?.name, ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, described(v)])) };
  }
  return value;
}

describe('argument conversion of the direct resolvers', () => {
  it("equals type-graphql's for every @Arg and @Args of every resolver", async () => {
    const schema = await buildBareSchema();
    const storage = getMetadataStorage();
    const fieldsOf = (typeName: string | undefined) => (typeName ? (schema.getType(typeName) as { getFields?: () => Record<string, { args: readonly GraphQLArgument[] }> })?.getFields?.() : undefined);
    const cases: { where: string; args: readonly GraphQLArgument[]; params: { kind: string; name?: string; getType(): unknown }[] }[] = [];
    for (const q of storage.queries) cases.push({ where: `Query.${q.schemaName}`, args: fieldsOf('Query')?.[q.schemaName]?.args ?? [], params: q.params as never });
    for (const m of storage.mutations) cases.push({ where: `Mutation.${m.schemaName}`, args: fieldsOf('Mutation')?.[m.schemaName]?.args ?? [], params: m.params as never });
    for (const r of storage.fieldResolvers) {
      const typeName = storage.objectTypes.find((o) => o.target === r.getObjectType?.())?.name;
      cases.push({ where: `${typeName}.${r.schemaName}`, args: fieldsOf(typeName)?.[r.schemaName]?.args ?? [], params: (r.params ?? []) as never });
    }
    let compared = 0;
    const problems: string[] = [];
    for (const c of cases) {
      for (const nulls of [false, true]) {
        const args = Object.fromEntries(c.args.map((a) => [a.name, sample(a.type, 0, nulls)]));
        for (const p of c.params) {
          if (p.kind !== 'arg' && p.kind !== 'args') continue;
          const ours = p.kind === 'arg' ? argConverter(p.name!, p.getType)(args) : argsConverter(p.getType)(args);
          const theirs = p.kind === 'arg' ? typeGraphql.convertArgToInstance(p, args) : typeGraphql.convertArgsToInstance(p, args);
          compared += 1;
          if (JSON.stringify(described(ours)) !== JSON.stringify(described(theirs))) problems.push(`${c.where} ${p.kind} ${p.name ?? ''}: ${JSON.stringify(described(ours))} ≠ ${JSON.stringify(described(theirs))}`);
        }
      }
    }
    expect(compared).toBeGreaterThan(300);
    console.log(`arg-instances: ${compared} conversions compared`);
    expect(problems).toEqual([]);
    // Inputs do become instances of their classes (a filter, an args class).
    expect(cases.some((c) => c.params.some((p) => p.kind === 'args'))).toBe(true);
  });
});
