import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { LedgerLine } from './finance.entity.js';

/** Lines of journal entries, in posting order: one query per page of entries. */
export const linesByEntryId = (ctx: Context) =>
  loader(ctx, 'finance.linesByEntry', () =>
    new DataLoader<string, LedgerLine[]>(async (ids) => {
      const rows = await ctx.em.find(LedgerLine, { entry: { $in: [...ids] } }, { orderBy: { position: 'asc' } });
      return ids.map((id) => rows.filter((l) => l.entry.id === id));
    }),
  );
