import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { fieldsAt } from '../../shared/pagination/index.js';
import type { Viewer } from '../../shared/access/index.js';

/**
 * Which properties of each row a product read selects, chosen from the query's selection: a
 * listing that shows a seller's name does not make PostgreSQL write, and Node parse, the
 * seller's thirty columns for each of its rows (a listing of 24 products read 84 KB of rows
 * for a 19 KB answer). `null` for an entity: all of its properties.
 *
 * Each GraphQL field of these types reads either the entity property of its own name (a plain
 * field) or what NEEDS says its resolver reads. A field that is neither — a resolver another
 * module adds (reviews, campaign prices), or one added later without a line here — makes its
 * type's rows whole, and a product field its whole page: a read never lacks what a resolver
 * reads. Under tests a projected row throws when a property it did not select is read
 * (shared/db/plain.ts projection), so a wrong line here fails the tests instead of answering null.
 */
export interface ProductShape {
  product: string[] | null;
  seller: string[] | null;
  category: string[] | null;
  brand: string[] | null;
  sku: string[] | null;
  color: string[] | null;
  size: string[] | null;
}

type Entity = keyof ProductShape;

/** All of every row: what a read without a selection to go by (a service's) gets. */
export const WHOLE: ProductShape = { product: null, seller: null, category: null, brand: null, sku: null, color: null, size: null };

interface Needs {
  /** What every row of the entity carries, whatever is selected: what rules and the read itself use. */
  always: string[];
  /** The entity's GraphQL fields answered by resolvers, and the properties each reads. */
  resolvers: Record<string, string[]>;
  /** The entity's GraphQL fields that are plain properties of the same name. */
  plain: string[];
}

const NEEDS: Record<Entity, Needs> = {
  product: {
    // The seller and status: visibility (findProduct's isOnSale, the private-field rules); the
    // order keys: cursors. Seller, category and brand resolvers answer from the joined rows.
    always: ['id', 'seller', 'status', 'createdAt', 'name', 'minPriceCents', 'code'],
    resolvers: {
      code: ['code'],
      seller: ['seller'],
      soldAndDeliveredBy: ['seller'],
      category: [],
      brand: [],
      tags: [],
      skus: ['seller'],
      price: ['minPriceCents'],
      inStock: [],
      kitComponents: ['isKit', 'seller'],
      buyTogether: [],
      related: [],
    },
    plain: ['id', 'name', 'sellerCode', 'description', 'images', 'status', 'isKit', 'marketplaceOut', 'publishedAt', 'createdAt', 'updatedAt', 'rejectionReason'],
  },
  sku: {
    // Active: which SKUs a shopper sees. Its seller only where read (the private-field rule on
    // stock; codeFor for an integration): two uuids a SKU were a third of a listing's rows.
    always: ['active'],
    resolvers: {
      code: ['code'],
      price: ['priceCents'],
      listPrice: ['listPriceCents'],
      // From the joined rows.
      color: [],
      size: [],
      dimensions: ['heightMm', 'widthMm', 'lengthMm'],
      stock: ['stock', 'seller'],
      inStock: ['active', 'stock'],
      product: ['product'],
    },
    plain: ['id', 'active', 'sellerCode', 'images', 'weightGrams'],
  },
  seller: {
    // What on-sale and the storefront's rules read of a product's seller, and its name ("sold by").
    always: ['id', 'name', 'status', 'isAdmin', 'concatenationCode'],
    resolvers: { products: [] },
    plain: [
      'id', 'name', 'concatenationCode', 'isAdmin', 'status', 'createdAt', 'updatedAt', 'approvedAt', 'suspendedAt', 'suspensionReason',
      'documentType', 'document', 'legalName', 'email', 'phone', 'notes', 'shippingPolicy', 'returnPolicy', 'handlingDays', 'notificationEmail',
    ],
  },
  category: { always: [], resolvers: {}, plain: ['id', 'name', 'slug', 'position'] },
  brand: { always: [], resolvers: {}, plain: ['id', 'name'] },
  color: { always: [], resolvers: {}, plain: ['id', 'name', 'hex'] },
  size: { always: [], resolvers: {}, plain: ['id', 'name', 'position'] },
};

/** The properties the selected fields of one entity read; null when a field is not known here. */
function propsFor(entity: Entity, fields: Set<string> | null, rawCodes: boolean): string[] | null {
  const needs = NEEDS[entity];
  const props = new Set(needs.always);
  // An ERP integration reads its own seller's raw codes (catalog.resolver codeFor).
  if (rawCodes && fields?.has('code')) props.add('sellerCode').add('seller');
  for (const field of fields ?? []) {
    if (field === '__typename') continue;
    const read = needs.resolvers[field] ?? (needs.plain.includes(field) ? [field] : null);
    if (!read) return null;
    for (const p of read) props.add(p);
  }
  return [...props].sort();
}

/**
 * The shape of the products the query selects at `path` under the field being resolved
 * (`['edges', 'node']` under a connection, `[]` for the product itself).
 */
export function productShape(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[], viewer: Viewer): ProductShape {
  const raw = viewer.kind === 'INTEGRATION';
  // A query's parsed document is cached (Apollo), so its field nodes are the same objects on
  // every request that sends it: the shape is worked out once per field, path and kind of viewer.
  const node = info.fieldNodes[0];
  if (!node || info.fieldNodes.length > 1) return shapeOf(info, path, raw);
  let known = shapes.get(node);
  if (!known) shapes.set(node, (known = new Map()));
  const key = `${raw}:${path.join('.')}`;
  let shape = known.get(key);
  if (!shape) known.set(key, (shape = shapeOf(info, path, raw)));
  return shape;
}

const shapes = new WeakMap<FieldNode, Map<string, ProductShape>>();

function shapeOf(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[], raw: boolean): ProductShape {
  const at = (...rest: string[]) => fieldsAt(info, [...path, ...rest]);
  const product = propsFor('product', at(), raw);
  if (!product) return WHOLE;
  const sku = propsFor('sku', at('skus', 'edges', 'node'), raw);
  const wholeSku = sku === null;
  return {
    product,
    seller: propsFor('seller', at('seller'), false),
    category: propsFor('category', at('category'), false),
    brand: propsFor('brand', at('brand'), false),
    sku,
    // A SKU field not known here may read its colour or size: those come whole with it.
    color: wholeSku ? null : propsFor('color', at('skus', 'edges', 'node', 'color'), false),
    size: wholeSku ? null : propsFor('size', at('skus', 'edges', 'node', 'size'), false),
  };
}
