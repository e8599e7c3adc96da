import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { AppError, ErrorCode, type UserErrorData } from '../shared/errors/index.js';
import { ARG_MAX_CHARS, DEFAULT_MAX_CHARS, MAX_CHARS, hasControlCharacter, hasLoneSurrogate } from '../shared/validation/index.js';

/*
 * The one boundary every argument crosses before a resolver sees it (issue 12, items 4 and 5):
 * text without control characters (a NUL reaches PostgreSQL as a protocol error, i.e. a 500) or
 * lone surrogates (a json column refuses them: the audit log failed as a 500),
 * and within its declared length. It runs after the permissions, so a caller who may not call
 * a field learns nothing about its arguments. Arguments arrive already coerced by graphql-js,
 * so variables and inline literals are checked alike.
 */

type Limited = GraphQLArgument | GraphQLInputField;

/** The text limit of a String argument or input field: declared (MaxChars / ArgMaxChars), else the default. */
function limitOf(position: Limited, declared?: number): number {
  const own = (position.extensions as Record<string, unknown> | undefined)?.[MAX_CHARS];
  return typeof own === 'number' ? own : (declared ?? DEFAULT_MAX_CHARS);
}

function argLimits(field: GraphQLField<unknown, unknown>): Record<string, number> {
  return ((field.extensions as Record<string, unknown> | undefined)?.[ARG_MAX_CHARS] as Record<string, number> | undefined) ?? {};
}

const isText = (type: GraphQLInputType) => {
  const named = getNamedType(type);
  return isScalarType(named) && named.name === 'String';
};

const withLimit = (description: string | null | undefined, max: number) => {
  const sentence = `At most ${max.toLocaleString('en-US')} characters.`;
  if (description?.includes(sentence)) return description;
  return description ? `${description.trimEnd()}${/[.!?]$/.test(description.trimEnd()) ? '' : '.'} ${sentence}` : sentence;
};

/**
 * Appends "At most N characters." to the description of every String argument and input
 * field, whatever description the field has, so the printed schema tells each limit.
 */
export function describeTextLimits(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isInputObjectType(type)) {
      for (const f of Object.values(type.getFields())) if (isText(f.type)) f.description = withLimit(f.description, limitOf(f));
    } else if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        const declared = argLimits(field);
        for (const a of field.args) if (isText(a.type)) a.description = withLimit(a.description, limitOf(a, declared[a.name]));
      }
    }
  }
  return schema;
}

/** Problems of one value of `type` at `path` (strings checked, input objects and lists walked). */
function inspect(value: unknown, type: GraphQLInputType, max: number | null, path: string[], out: UserErrorData[]): void {
  if (value === null || value === undefined || out.length >= 20) return;
  const inner = getNullableType(type) as GraphQLInputType;
  if (isListType(inner)) {
    if (Array.isArray(value)) value.forEach((item, i) => inspect(item, inner.ofType as GraphQLInputType, max, [...path, String(i)], out));
    return;
  }
  const named = getNamedType(inner);
  if (isInputObjectType(named)) {
    const fields = named.getFields();
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      const f = fields[key];
      if (f) inspect(item, f.type, isText(f.type) ? limitOf(f) : null, [...path, key], out);
    }
    return;
  }
  // Other scalars (IDs, JSON) carry strings too: no control characters there either.
  strings(value, path, (text, at) => {
    if (hasControlCharacter(text)) {
      out.push({ code: ErrorCode.BAD_USER_INPUT, message: 'Text may not contain NUL or other control characters (tab and line breaks are allowed).', field: at });
    } else if (hasLoneSurrogate(text)) {
      out.push({ code: ErrorCode.BAD_USER_INPUT, message: 'Text must be well-formed Unicode (it holds half of a UTF-16 surrogate pair).', field: at });
    } else if (max !== null && text.length > max) {
      out.push({ code: ErrorCode.BAD_USER_INPUT, message: `At most ${max.toLocaleString('en-US')} characters.`, field: at });
    }
  });
}

function strings(value: unknown, path: string[], visit: (text: string, path: string[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => strings(v, [...path, String(i)], visit));
  else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) {
      if (hasControlCharacter(k) || hasLoneSurrogate(k)) visit(k, [...path, k]);
      strings(v, [...path, k], visit);
    }
  }
}

/** Every problem of a root field's arguments. */
export function argumentProblems(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): UserErrorData[] {
  const out: UserErrorData[] = [];
  const declared = argLimits(field);
  for (const a of field.args) inspect(args[a.name], a.type, isText(a.type) ? limitOf(a, declared[a.name]) : null, [a.name], out);
  return out;
}

/** A payload type's non-null Boolean fields (e.g. `ok`): false when the mutation failed, never a null error. */
function fillFailedPayload(info: GraphQLResolveInfo, payload: Record<string, unknown>): Record<string, unknown> {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) return payload;
  const filled = { ...payload };
  for (const f of Object.values(type.getFields())) {
    if (filled[f.name] !== undefined || !isNonNullType(f.type)) continue;
    const inner = getNullableType(f.type);
    if (isListType(inner)) filled[f.name] = [];
    else if (isScalarType(inner) && inner.name === 'Boolean') filled[f.name] = false;
  }
  return filled;
}

const returnsPayload = (info: GraphQLResolveInfo) => {
  const type = getNamedType(info.returnType);
  return isObjectType(type) && 'userErrors' in type.getFields();
};

type Resolve = (root: unknown, args: Record<string, unknown>, ctx: unknown, info: GraphQLResolveInfo) => unknown;

async function guard(resolve: Resolve, root: unknown, args: Record<string, unknown>, ctx: unknown, info: GraphQLResolveInfo) {
  const field = info.parentType.getFields()[info.fieldName]!;
  const problems = argumentProblems(field as GraphQLField<unknown, unknown>, args);
  const mutation = info.parentType.name === 'Mutation' && returnsPayload(info);
  if (problems.length) {
    if (mutation) return fillFailedPayload(info, { userErrors: problems });
    throw new AppError(problems);
  }
  const result = await resolve(root, args, ctx, info);
  if (mutation && result && typeof result === 'object' && ((result as { userErrors?: unknown[] }).userErrors ?? []).length) {
    return fillFailedPayload(info, result as Record<string, unknown>);
  }
  return result;
}

/** graphql-middleware on every root field. */
export const inputGuard = { Query: guard, Mutation: guard };
