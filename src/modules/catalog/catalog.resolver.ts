import { Arg, Args, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { ArgMaxChars, REASON_MAX_CHARS } from '../../shared/validation/index.js';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { money, Money } from '../../shared/money/index.js';
import { ConnectionArgs, connectionFromArray, selects } from '../../shared/pagination/index.js';
import { loadedSettings, sellerById, settingsLoader, SellerType } from '../sellers/index.js';
import type { Seller } from '../sellers/index.js';
import { ProductLinkKind, type KitComponent, type Product, type Sku } from './catalog.entity.js';
import { brandById, categoryById, colorById, kitComponentsByKitId, linksByProductId, productById, sizeById, skuById } from './catalog.loaders.js';
import { preloadedOf, skuRowsByProductId, tagRowsByProductId, type ProductView, type SkuRow, type SkuView } from './products.rows.js';
import { productShape } from './products.shape.js';
import * as products from './products.service.js';
import * as catalogReads from './products.read.js';
import { isOnSale } from './on-sale.js';
import { BrandType, CategoryType, ColorType, DimensionsType, KitComponentType, ProductConnection, ProductFilter, ProductInput, ProductOrder, ProductPayload, ProductType, SizeType, SkuConnection, SkuPayload, SkuType, TagType } from './catalog.types.js';

/** An ERP integration reads its own seller's codes raw; everybody else the displayed ones. */
function codeFor(ctx: Context, row: { code: string; sellerCode: string; seller: { id: string } }): string {
  return ctx.viewer.kind === 'INTEGRATION' && ctx.viewer.seller.id === row.seller.id ? row.sellerCode : row.code;
}

/** The storefront (and other sellers) see only products on sale; a seller and staff see all of its own. */
async function visibleProducts(ctx: Context, list: Product[]): Promise<Product[]> {
  const settings = await settingsLoader(ctx).load(1);
  const sellers = await sellerById(ctx).loadMany(list.map((p) => p.seller.id));
  return list.filter((p, i) => {
    const seller = sellers[i];
    if (!seller || seller instanceof Error) return false;
    return catalogReads.seesPrivateCatalog(ctx.viewer, p.seller.id) || isOnSale({ product: p, seller }, settings);
  });
}

/** The SKUs this viewer sees of a product: at once when its page statement read them, else through the loader. */
function visibleSkus(ctx: Context, product: ProductView): SkuRow[] | Promise<SkuRow[]> {
  const visible = (skus: SkuRow[]) => (catalogReads.seesPrivateCatalog(ctx.viewer, product.seller.id) ? skus : skus.filter((s) => s.active));
  const preloaded = preloadedOf(product)?.skus;
  return preloaded ? visible(preloaded) : skuRowsByProductId(ctx).load(product.id).then(visible);
}

/** An amount in the store's currency: at once when the request has the settings, else once they are read. */
function priced(ctx: Context, cents: number) {
  const settings = loadedSettings(ctx);
  return settings ? money(cents, settings.currency) : settingsLoader(ctx).load(1).then((s) => money(cents, s.currency));
}

@Resolver(() => ProductType)
export class ProductResolver {
  @Query(() => ProductConnection, {
    description:
      'Storefront: published products of selling sellers. Seller users and integrations: their own catalog. Operator staff: everything.',
  })
  products(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => ProductFilter, { nullable: true, description: 'Narrows the list.' }) filter: ProductFilter | undefined,
    @Arg('orderBy', () => ProductOrder, { nullable: true, description: 'Sort order; by default newest first.' }) orderBy: ProductOrder | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return catalogReads.listProducts(ctx, filter ?? {}, orderBy, args, {
      count: selects(info, ['totalCount']),
      skus: selects(info, ['edges', 'node', 'skus']),
      tags: selects(info, ['edges', 'node', 'tags']),
      shape: productShape(info, ['edges', 'node'], ctx.viewer),
    });
  }

  @Query(() => ProductType, { nullable: true, description: 'A product by id or code (an ERP integration uses its raw code).' })
  product(
    @Arg('id', () => ID, { nullable: true, description: 'Id of the product. Give `id` or `code`.' }) id: string | undefined,
    @Arg('code', () => String, { nullable: true, description: 'Displayed product code (`<concat>-<raw>`), or the raw code for an ERP integration. Give `id` or `code`.' }) code: string | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return catalogReads.findProduct(ctx, { id, code }, { skus: selects(info, ['skus']), shape: productShape(info, [], ctx.viewer) });
  }

  @Query(() => ProductConnection, { description: '"Marketplace out": products flagged for the external hub, any seller, oldest change first.' })
  productsForHub(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return catalogReads.listProductsForHub(ctx, args);
  }

  @FieldResolver(() => String)
  code(@Root() p: ProductView, @Ctx() ctx: Context) {
    return codeFor(ctx, p);
  }

  // Plain rows of the read path carry what their page statement joined (products.rows.ts);
  // entities (after a write) go through the loaders.
  @FieldResolver(() => SellerType, { description: 'Who sells and delivers it; links to the seller page.' })
  seller(@Root() p: ProductView, @Ctx() ctx: Context) {
    return preloadedOf(p)?.seller ?? sellerById(ctx).load(p.seller.id);
  }

  // The fields below answer at once from what a page statement read (no promise per row: a
  // listing resolves them a hundred times), else through the request's loaders.
  @FieldResolver(() => String, { description: '"Sold and delivered by <seller>", ready to show.' })
  soldAndDeliveredBy(@Root() p: ProductView, @Ctx() ctx: Context) {
    const soldBy = (seller: { name: string } | null | undefined) => `Sold and delivered by ${seller?.name ?? ''}`.trim();
    const preloaded = preloadedOf(p)?.seller;
    return preloaded ? soldBy(preloaded) : sellerById(ctx).load(p.seller.id).then(soldBy);
  }

  @FieldResolver(() => CategoryType, { nullable: true, description: 'The product\'s category. Null when uncategorised.' })
  category(@Root() p: ProductView, @Ctx() ctx: Context) {
    const preloaded = preloadedOf(p);
    if (preloaded) return preloaded.category;
    return p.category ? categoryById(ctx).load(p.category.id) : null;
  }

  @FieldResolver(() => BrandType, { nullable: true, description: 'The product\'s brand. Null when none.' })
  brand(@Root() p: ProductView, @Ctx() ctx: Context) {
    const preloaded = preloadedOf(p);
    if (preloaded) return preloaded.brand;
    return p.brand ? brandById(ctx).load(p.brand.id) : null;
  }

  @FieldResolver(() => [TagType], { description: 'The product\'s tags, for merchandising and filters.' })
  tags(@Root() p: ProductView, @Ctx() ctx: Context) {
    return preloadedOf(p)?.tags ?? tagRowsByProductId(ctx).load(p.id);
  }

  @FieldResolver(() => SkuConnection, { description: 'The product\'s SKUs (variants by colour and size). The storefront sees active ones only.' })
  skus(@Root() p: ProductView, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    const skus = visibleSkus(ctx, p);
    return Array.isArray(skus) ? connectionFromArray(skus, args) : skus.then((list) => connectionFromArray(list, args));
  }

  @FieldResolver(() => Money, { nullable: true, description: 'Lowest price among its active SKUs.' })
  price(@Root() p: ProductView, @Ctx() ctx: Context) {
    return p.minPriceCents == null ? null : priced(ctx, p.minPriceCents);
  }

  @FieldResolver(() => Boolean, { description: 'Whether any active SKU has stock ("out of stock" is derived, not a status).' })
  inStock(@Root() p: ProductView, @Ctx() ctx: Context) {
    const preloaded = preloadedOf(p);
    if (preloaded) return preloaded.inStock;
    return skuRowsByProductId(ctx).load(p.id).then((skus) => skus.some((s) => s.active && s.stock > 0));
  }

  @FieldResolver(() => [KitComponentType], {
    description: 'For a kit: the SKUs it holds, all of its own seller. The storefront sees only components on sale (active SKUs of products on sale).',
  })
  async kitComponents(@Root() p: ProductView, @Ctx() ctx: Context) {
    if (!p.isKit) return [];
    const components = await kitComponentsByKitId(ctx).load(p.id);
    if (catalogReads.seesPrivateCatalog(ctx.viewer, p.seller.id)) return components;
    // A published kit must not show the code and price of a component that is not on sale
    // itself (a draft's SKU, an inactive one): to the storefront it does not exist.
    const loaded = await skuById(ctx).loadMany(components.map((c) => c.sku.id));
    const active = new Map(loaded.flatMap((s) => (s && !(s instanceof Error) && s.active ? [[s.id, s.product.id] as const] : [])));
    const products = await productById(ctx).loadMany([...new Set(active.values())]);
    const shown = new Set((await visibleProducts(ctx, products.filter((x): x is Product => !!x && !(x instanceof Error)))).map((x) => x.id));
    return components.filter((c) => shown.has(active.get(c.sku.id) ?? ''));
  }

  @FieldResolver(() => ProductConnection, { description: '"Compre Junto": products bought together; may be other sellers\'.' })
  buyTogether(@Root() p: ProductView, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return linked(ctx, p, ProductLinkKind.BUY_TOGETHER, args);
  }

  @FieldResolver(() => ProductConnection, { description: 'Related products; may be other sellers\'.' })
  related(@Root() p: ProductView, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return linked(ctx, p, ProductLinkKind.RELATED, args);
  }

  @Mutation(() => ProductPayload, { description: 'Creates a product with its SKUs. Operator owners/admins, the seller\'s owner and catalog users, and its ERP integration; refused with CATALOG_MANAGED_BY_INTEGRATION in the portal when an integration manages the seller\'s catalog.' })
  createProduct(@Arg('input', () => ProductInput, { description: 'The product; `sellerCode`, `name` and at least one SKU are needed.' }) input: ProductInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ product: await products.createProduct(ctx, em, input) }));
  }

  @Mutation(() => ProductPayload, { description: 'Changes a product. Same callers as createProduct; a seller changes only its own products.' })
  updateProduct(@Arg('id', () => ID, { description: 'Id of the product to change.' }) id: string, @Arg('input', () => ProductInput, { description: 'The fields to change; unset fields stay, given lists replace the old ones.' }) input: ProductInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ product: await products.updateProduct(ctx, em, id, input) }));
  }

  @Mutation(() => ProductPayload, { description: 'Hides the product from the storefront for good (its orders keep it).' })
  archiveProduct(@Arg('id', () => ID, { description: 'Id of the product to archive.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ product: await products.archiveProduct(ctx, em, id) }));
  }

  @Mutation(() => ProductPayload, { description: 'Operator review: PENDING_REVIEW → PUBLISHED.' })
  approveProduct(@Arg('id', () => ID, { description: 'Id of the product waiting for review.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ product: await products.reviewProduct(em, id, { approve: true }) }));
  }

  @ArgMaxChars({ reason: REASON_MAX_CHARS })
  @Mutation(() => ProductPayload, { description: 'Operator review: PENDING_REVIEW → DRAFT, with the reason shown to the seller.' })
  rejectProduct(@Arg('id', () => ID, { description: 'Id of the product waiting for review.' }) id: string, @Arg('reason', () => String, { description: 'Why the product is sent back (not empty); the seller reads it as `rejectionReason`.' }) reason: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ product: await products.reviewProduct(em, id, { approve: false, reason }) }));
  }

  @Mutation(() => SkuPayload, { description: 'Sets the absolute stock of a SKU by its code (raw code for an ERP integration).' })
  setStock(@Arg('skuCode', () => String, { description: 'SKU code: the displayed code, or the seller\'s raw code for an ERP integration.' }) skuCode: string, @Arg('quantity', () => Int, { description: 'The new absolute number of units in stock, 0 or more (not a difference).' }) quantity: number, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ sku: await products.setStock(ctx, em, skuCode, quantity) }));
  }
}

async function linked(ctx: Context, p: ProductView, kind: ProductLinkKind, args: ConnectionArgs) {
  const links = (await linksByProductId(ctx).load(p.id)).filter((l) => l.kind === kind);
  const found = await productById(ctx).loadMany(links.map((l) => l.linked.id));
  const list = found.filter((x): x is Product => !!x && !(x instanceof Error));
  return connectionFromArray(await visibleProducts(ctx, list), args);
}

@Resolver(() => SkuType)
export class SkuResolver {
  @FieldResolver(() => String)
  code(@Root() s: SkuView, @Ctx() ctx: Context) {
    return codeFor(ctx, s);
  }

  @FieldResolver(() => Money, { description: 'Price of one unit (BRL centavos), what the buyer pays before promotions.' })
  price(@Root() s: SkuView, @Ctx() ctx: Context) {
    return priced(ctx, s.priceCents);
  }

  @FieldResolver(() => Money, { nullable: true, description: 'The "de" price, struck through.' })
  listPrice(@Root() s: SkuView, @Ctx() ctx: Context) {
    return s.listPriceCents == null ? null : priced(ctx, s.listPriceCents);
  }

  @FieldResolver(() => ColorType, { nullable: true, description: 'The SKU\'s colour. Null when it does not vary by colour.' })
  color(@Root() s: SkuView, @Ctx() ctx: Context) {
    const preloaded = (s as SkuRow).preloaded;
    if (preloaded) return preloaded.color;
    return s.color ? colorById(ctx).load(s.color.id) : null;
  }

  @FieldResolver(() => SizeType, { nullable: true, description: 'The SKU\'s size. Null when it does not vary by size.' })
  size(@Root() s: SkuView, @Ctx() ctx: Context) {
    const preloaded = (s as SkuRow).preloaded;
    if (preloaded) return preloaded.size;
    return s.size ? sizeById(ctx).load(s.size.id) : null;
  }

  @FieldResolver(() => DimensionsType, { description: 'Package dimensions, for freight.' })
  dimensions(@Root() s: SkuView): DimensionsType {
    return { heightMm: s.heightMm, widthMm: s.widthMm, lengthMm: s.lengthMm };
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Units in stock. The seller, its integration and operator staff only.' })
  stock(@Root() s: SkuView) {
    return s.stock;
  }

  @FieldResolver(() => Boolean, { description: 'True when the SKU is active and has at least one unit in stock.' })
  inStock(@Root() s: SkuView) {
    return s.active && s.stock > 0;
  }

  @FieldResolver(() => ProductType, { nullable: true, description: 'Null when the viewer may not see that product (e.g. a kit component of a draft).' })
  async product(@Root() s: SkuView, @Ctx() ctx: Context) {
    const product = await productById(ctx).load(s.product.id);
    return product ? ((await visibleProducts(ctx, [product]))[0] ?? null) : null;
  }
}

@Resolver(() => KitComponentType)
export class KitComponentResolver {
  @FieldResolver(() => SkuType, { description: 'The SKU in the kit.' })
  sku(@Root() c: KitComponent, @Ctx() ctx: Context) {
    return skuById(ctx).load(c.sku.id);
  }
}

@Resolver(() => SellerType)
export class SellerCatalogResolver {
  @FieldResolver(() => ProductConnection, { description: "The seller page's products: what is on sale (the seller itself and staff see all)." })
  products(
    @Root() seller: Seller,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => ProductFilter, { nullable: true, description: 'Narrows the list.' }) filter: ProductFilter | undefined,
    @Arg('orderBy', () => ProductOrder, { nullable: true, description: 'Sort order; by default newest first.' }) orderBy: ProductOrder | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ) {
    return catalogReads.productsOfSeller(ctx, seller.id, filter ?? {}, orderBy, args, { tags: selects(info, ['edges', 'node', 'tags']), shape: productShape(info, ['edges', 'node'], ctx.viewer) });
  }
}
