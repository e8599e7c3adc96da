import { or, rule } from 'graphql-shield';
import type { Context } from '../../shared/runtime/index.js';
import { UserRole, anyone, forbiddenError, integration, operator, sellerUser, unauthenticatedError, viewerRule } from '../../shared/access/index.js';
import type { Product, Sku } from './catalog.entity.js';
import { seesPrivateCatalog } from './products.service.js';

const { OWNER, ADMIN, CATALOG } = UserRole;

/** Who writes a seller's catalog: operator owners/admins, the seller's owner/catalog users, its ERP integration. */
export const catalogWriter = or(operator(OWNER, ADMIN), sellerUser([OWNER, CATALOG], { write: true }), integration({ write: true }));

/**
 * Store attributes: operator owners/admins, and integrations acting for the admin seller with
 * the attribute-write permission. Guest sellers and their integrations only reference them.
 */
export const attributeWriter = or(
  operator(OWNER, ADMIN),
  viewerRule('integration:attributes', (v) =>
    v.kind === 'INTEGRATION' && v.seller.isAdmin && v.integration.canWriteAttributes
      ? true
      : v.kind === 'INTEGRATION'
        ? "This integration may not write store attributes (guest sellers' integrations never do)."
        : false,
  ),
);

/** A field of a product or SKU that only its seller, its integration and staff read. */
const privateToSeller = rule('catalog.private', { cache: 'no_cache' })((parent: Product | Sku, _args, ctx: Context) => {
  if (ctx.viewer.kind === 'ANONYMOUS') return unauthenticatedError();
  return seesPrivateCatalog(ctx.viewer, parent.seller.id) || forbiddenError('Only the seller and operator staff see this.');
});

export const productRules = {
  Query: {
    products: anyone,
    product: anyone,
    productsForHub: or(operator(), integration({ scope: 'admin' })),
  },
  Mutation: {
    createProduct: catalogWriter,
    updateProduct: catalogWriter,
    archiveProduct: catalogWriter,
    setStock: catalogWriter,
    approveProduct: operator(OWNER, ADMIN),
    rejectProduct: operator(OWNER, ADMIN),
  },
  Product: { '*': anyone, rejectionReason: privateToSeller },
  Sku: { '*': anyone, stock: privateToSeller },
  KitComponent: { '*': anyone },
  ProductImage: { '*': anyone },
  Dimensions: { '*': anyone },
  Money: { '*': anyone },
  Category: { '*': anyone },
  Brand: { '*': anyone },
  Color: { '*': anyone },
  Size: { '*': anyone },
  Tag: { '*': anyone },
  Seller: { products: anyone },
};
