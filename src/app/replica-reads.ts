import { Kind, type OperationDefinitionNode } from 'graphql';
import type { Viewer } from '../modules/auth/index.js';

/**
 * Root query fields that only read the catalog a shopper browses. Replication lag can show
 * a change to these a moment late, which a shopper cannot tell from a change made a moment
 * later; a cart, an order or anything a viewer just wrote is read on the primary instead.
 */
export const CATALOG_QUERY_FIELDS: ReadonlySet<string> = new Set([
  'brands',
  'categories',
  'category',
  'colors',
  'marketplaceSettings',
  'pixProviders',
  'product',
  'products',
  'seller',
  'sellers',
  'sizes',
  'tags',
]);

/**
 * A request may read from a replica when it is a query by a storefront viewer (anonymous or
 * customer) whose every root field is a catalog field. Staff, sellers and integrations read
 * what they have just written, so they always use the primary.
 */
export function mayReadFromReplica(operation: OperationDefinitionNode, viewer: Viewer): boolean {
  if (operation.operation !== 'query') return false;
  if (viewer.kind !== 'ANONYMOUS' && viewer.kind !== 'CUSTOMER') return false;
  return operation.selectionSet.selections.every(
    (s) => s.kind === Kind.FIELD && (s.name.value === '__typename' || CATALOG_QUERY_FIELDS.has(s.name.value)),
  );
}
