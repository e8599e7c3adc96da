import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';
import { GraphQLError, getVariableValues, isInputObjectType, isListType, isNonNullType, typeFromAST, type GraphQLInputType, type GraphQLLeafType, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

type Gateway = ApolloServerOptionsWithGateway<BaseContext>['gateway'];

/** How many documents' compiled operations one instance keeps (Apollo's own document store holds the parsed ones). */
export const COMPILED_OPERATIONS_MAX = 1_000;

/**
 * The executor behind Apollo (issue 14): graphql-jit compiles each operation once into a
 * function that walks the selection with the schema's resolvers, instead of graphql-js
 * interpreting the document on every request. Apollo keeps everything else — parsing, its
 * validation (graphql-armor's limits included), the plugins, error formatting — through the
 * one door it has for another executor, the gateway interface (as a federated gateway
 * plugs its query planner in). Apollo's document store hands back the same parsed document
 * for a query it has seen, so the compiled form is found by that document and operation name.
 *
 * Resolvers, shield's rules and the input guard run exactly as under graphql-js: jit calls the
 * same resolver functions with the same (root, args, context, info).
 */
export function jitGateway(schema: GraphQLSchema): Gateway {
  // Least recently used first (a Map keeps insertion order; a hit moves its entry last).
  const compiled = new Map<DocumentNode, Map<string, CompiledQuery | ExecutionResult>>();
  const compile = (document: DocumentNode, operationName: string | undefined): CompiledQuery | ExecutionResult => {
    const key = operationName ?? '';
    let byName = compiled.get(document);
    if (byName) {
      compiled.delete(document);
      compiled.set(document, byName);
      const found = byName.get(key);
      if (found) return found;
    } else {
      // Bounded: a client sending ever-new documents makes this instance compile more, not hold more.
      if (compiled.size >= COMPILED_OPERATIONS_MAX) compiled.delete(compiled.keys().next().value!);
      compiled.set(document, (byName = new Map()));
    }
    const made = compileQuery(schema, document, operationName, OPTIONS);
    byName.set(key, made);
    return made;
  };
  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async load() {
      return {
        executor: async (requestContext) => {
          const query = compile(requestContext.document, requestContext.operationName ?? requestContext.request.operationName);
          if (!isCompiledQuery(query)) return query as ExecutionResult<Record<string, unknown>>;
          const definitions = requestContext.operation.variableDefinitions ?? [];
          // Variables are coerced by graphql-js, as without jit: a bad one gets graphql-js's error
          // (tied to its definition, which Apollo answers 400 BAD_USER_INPUT, without name
          // suggestions once formatted), and defaults are filled as graphql-js fills them — jit's
          // own coercion ignores the default of a non-null input field (`direction:
          // SortDirection! = DESC`). jit then reads graphql-js's values, written back in their
          // external form, so its coercion gives the same values again.
          const checked = getVariableValues(schema, definitions, requestContext.request.variables ?? {}, { maxErrors: 50 });
          if (checked.errors) return { errors: checked.errors };
          const variables: Record<string, unknown> = {};
          for (const d of definitions) {
            const name = d.variable.name.value;
            if (name in checked.coerced) variables[name] = external(typeFromAST(schema, d.type) as GraphQLInputType, checked.coerced[name]);
          }
          const result = await query.query(undefined, requestContext.context, variables);
          return (result.errors?.length ? { ...result, errors: result.errors.map(upstreamError) } : result) as ExecutionResult<Record<string, unknown>>;
        },
      };
    },
    async stop() {},
  };
}

/** A coerced (internal) input value back in the form a client sends it: enum names, scalars serialized. */
function external(type: GraphQLInputType, value: unknown): unknown {
  if (value === null || value === undefined) return value;
  if (isNonNullType(type)) return external(type.ofType, value);
  if (isListType(type)) return Array.isArray(value) ? value.map((v) => external(type.ofType, v)) : external(type.ofType, value);
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[key] = fields[key] ? external(fields[key].type, v) : v;
    return out;
  }
  return (type as GraphQLLeafType).serialize(value);
}

/**
 * jit's errors are look-alikes of graphql's: without extensions when the original error has
 * none (Apollo's error formatting reads `extensions.code` and fails on them) and frozen. Each
 * becomes graphql's own, as graphql-js builds it from the resolver's error (located where the
 * field is, extensions from the original error or empty).
 */
function upstreamError(error: GraphQLError): GraphQLError {
  const made = new GraphQLError(error.message, { path: error.path, originalError: error.originalError ?? undefined, extensions: error.extensions ?? undefined });
  (made as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return made;
}

const OPTIONS = {
  // Apollo writes the response; jit's own serializer would skip formatError.
  customJSONSerializer: false,
} as const;
