import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { Category } from './attributes.entity.js';

/** Direct children of each asked-for category, by position then name: one query for a whole listing. */
export const childrenByParentId = (ctx: Context) =>
  loader(ctx, 'catalog.category.children', () =>
    new DataLoader<string, Category[]>(async (ids) => {
      const rows = await ctx.em.find(Category, { parent: { $in: [...ids] } }, { orderBy: { position: 'asc', name: 'asc', id: 'asc' } });
      return ids.map((id) => rows.filter((c) => c.parent?.id === id));
    }),
  );
