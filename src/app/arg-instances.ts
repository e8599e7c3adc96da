import { GraphQLScalarType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/**
 * A resolver's `@Arg()` and `@Args()` values as type-graphql hands them over — input objects and
 * args classes as instances of their classes, scalars and enums as they are — converted without
 * a promise. type-graphql's own handler runs every argument through an async validator even when
 * validation is off (schema.ts builds with `validate: false`), so each call of a resolver with an
 * argument costs a promise per argument, a Promise.all and a `then`; a listing's 24 SKU
 * connections (`skus(first: 10)`) were a third of its promises. The conversion below is
 * type-graphql 2.0's (resolvers/convert-args.js, helpers/types.js: not exported), with each
 * class's field list worked out once instead of on every call. Only for parameters with no
 * validation of their own (schema.ts checks): those keep type-graphql's handler.
 */

type Class = new () => Record<string, unknown>;
interface TypeMeta {
  target: unknown;
  fields: { name: string; getType(): unknown }[];
}
interface InputTree {
  target: unknown;
  readonly fields: { name: string; target: unknown; tree: InputTree | null }[];
}

const SIMPLE_TYPES: unknown[] = [String, Boolean, Number, Date, Array, Promise];

/** type-graphql's convertToType: a plain object becomes an instance of `Target` (a class), other values stay. */
function convertToType(Target: unknown, data: unknown): unknown {
  if (data == null) return data;
  if (Target instanceof GraphQLScalarType) return data;
  if (SIMPLE_TYPES.includes((data as object).constructor)) return data;
  if (data instanceof (Target as Class)) return data;
  if (Array.isArray(data)) return data.map((item) => convertToType(Target, item));
  const instance = new (Target as Class)();
  for (const key of Object.keys(instance)) {
    if (instance[key] === undefined && !(key in (data as object))) delete instance[key];
  }
  return Object.assign(instance, data);
}

const trees = new Map<unknown, InputTree | null>();

const inputTypeOf = (target: unknown) => (getMetadataStorage().inputTypes as TypeMeta[]).find((t) => t.target === target);
const argsTypeOf = (target: unknown) => (getMetadataStorage().argumentTypes as TypeMeta[]).find((t) => t.target === target);

/** An input class's fields, its superclasses' after its own (a field redeclared below counts once), each with its own tree. */
function treeOf(target: unknown): InputTree | null {
  if (trees.has(target)) return trees.get(target)!;
  const meta = inputTypeOf(target);
  if (!meta) {
    trees.set(target, null);
    return null;
  }
  let fields: InputTree['fields'] | undefined;
  const tree: InputTree = {
    target,
    // Worked out when first used: a field may be of the class itself, or of one defined later.
    get fields() {
      if (!fields) {
        const all = [...meta.fields];
        for (let parent = Object.getPrototypeOf(target); parent?.prototype !== undefined; parent = Object.getPrototypeOf(parent)) {
          const inherited = inputTypeOf(parent);
          if (inherited) all.push(...inherited.fields.filter((f) => !all.some((own) => own.name === f.name)));
        }
        fields = all.map((f) => {
          const fieldTarget = f.getType();
          return { name: f.name, target: fieldTarget, tree: fieldTarget === target ? tree : treeOf(fieldTarget) };
        });
      }
      return fields;
    },
  };
  trees.set(target, tree);
  return tree;
}

function convertToInput(tree: InputTree, data: unknown): unknown {
  if (data == null) return data;
  if (Array.isArray(data)) return data.map((item) => convertToInput(tree, item));
  const out: Record<string, unknown> = {};
  for (const field of tree.fields) {
    const value = (data as Record<string, unknown>)[field.name];
    if (value === undefined) continue;
    if (value === null || !field.tree) out[field.name] = convertToType(field.target, value);
    else if (Array.isArray(value)) out[field.name] = value.map((item) => convertToInput(field.tree!, item));
    else out[field.name] = convertToInput(field.tree, value);
  }
  return convertToType(tree.target, out);
}

function convertValues(target: unknown, value: unknown): unknown {
  if (value == null) return value;
  if (Array.isArray(value)) return value.map((item) => convertValues(target, item));
  const tree = treeOf(target);
  return tree ? convertToInput(tree, value) : convertToType(target, value);
}

/** `@Arg(name)`: that argument, converted. */
export function argConverter(name: string, getType: () => unknown): (args: Record<string, unknown>) => unknown {
  let target: unknown;
  return (args) => convertValues((target ??= getType()), args[name]);
}

/** `@Args()`: an instance of the args class with every field given, each converted; fields of its superclasses too. */
export function argsConverter(getType: () => unknown): (args: Record<string, unknown>) => unknown {
  let known: { ArgsClass: unknown; fields: { name: string; getType(): unknown }[] } | undefined;
  return (args) => {
    if (!known) {
      const ArgsClass = getType();
      const fields = [...(argsTypeOf(ArgsClass)?.fields ?? [])];
      for (let parent = Object.getPrototypeOf(ArgsClass); parent?.prototype !== undefined; parent = Object.getPrototypeOf(parent)) {
        fields.push(...(argsTypeOf(parent)?.fields ?? []));
      }
      known = { ArgsClass, fields };
    }
    const out: Record<string, unknown> = {};
    for (const field of known.fields) {
      const value = args[field.name];
      if (value !== undefined) out[field.name] = convertValues(field.getType(), value);
    }
    return convertToType(known.ArgsClass, out);
  };
}
