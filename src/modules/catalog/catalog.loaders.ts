import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { Brand, Category, Color, Size } from './attributes.entity.js';
import { KitComponent, Product, ProductLink, Sku } from './catalog.entity.js';

/** One DataLoader per relation per request: a listing costs one query per relation, whatever its page size. */
function byId<E extends { id: string }>(ctx: Context, key: string, entity: new () => E) {
  return loader(ctx, key, () =>
    new DataLoader<string, E | null>(async (ids) => {
      const rows = (await ctx.em.find(entity as never, { id: { $in: [...ids] } } as never)) as E[];
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }),
  );
}

export const categoryById = (ctx: Context) => byId(ctx, 'catalog.category', Category);
export const brandById = (ctx: Context) => byId(ctx, 'catalog.brand', Brand);
export const colorById = (ctx: Context) => byId(ctx, 'catalog.color', Color);
export const sizeById = (ctx: Context) => byId(ctx, 'catalog.size', Size);
export const productById = (ctx: Context) => byId(ctx, 'catalog.product', Product);
export const skuById = (ctx: Context) => byId(ctx, 'catalog.sku', Sku);

export const kitComponentsByKitId = (ctx: Context) =>
  loader(ctx, 'catalog.kit', () =>
    new DataLoader<string, KitComponent[]>(async (ids) => {
      const rows = await ctx.em.find(KitComponent, { kit: { $in: [...ids] } }, { orderBy: { position: 'asc', id: 'asc' } });
      return ids.map((id) => rows.filter((c) => c.kit.id === id));
    }),
  );

export const linksByProductId = (ctx: Context) =>
  loader(ctx, 'catalog.links', () =>
    new DataLoader<string, ProductLink[]>(async (ids) => {
      const rows = await ctx.em.find(ProductLink, { product: { $in: [...ids] } }, { orderBy: { position: 'asc', id: 'asc' } });
      return ids.map((id) => rows.filter((l) => l.product.id === id));
    }),
  );
