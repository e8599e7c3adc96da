import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import { authResolvers } from '../modules/auth/index.js';
import { sellerResolvers } from '../modules/sellers/index.js';
import { integrationResolvers } from '../modules/integrations/index.js';
import { catalogResolvers } from '../modules/catalog/index.js';
import { permissions } from './permissions.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const resolvers = [...authResolvers, ...sellerResolvers, ...integrationResolvers, ...catalogResolvers] as unknown as NonEmptyArray<Function>;

/** The schema without authorization: what schema/schema.graphql prints. */
export async function buildBareSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers,
    validate: false,
    emitSchemaFile: false,
    // Arguments are validated in services, which know the field paths and the domain rules.
  });
}

/** The served schema: every field behind graphql-shield. */
export async function buildAppSchema(): Promise<GraphQLSchema> {
  const schema = await buildBareSchema();
  return applyMiddleware(schema, permissions(schema));
}
