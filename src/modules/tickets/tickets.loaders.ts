import DataLoader from 'dataloader';
import { loader, type Context } from '../../shared/runtime/index.js';
import { StoredFile } from '../../shared/files/index.js';
import { TicketMessage } from './tickets.entity.js';

/** The threads of the tickets on a page, in one query. */
export const messagesByTicket = (ctx: Context) =>
  loader(ctx, 'tickets.messages', () =>
    new DataLoader<string, TicketMessage[]>(async (ids) => {
      const rows = await ctx.em.find(TicketMessage, { ticket: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      return ids.map((id) => rows.filter((m) => m.ticket.id === id));
    }),
  );

/** Attachment metadata (never the bytes) by file id. */
export const fileById = (ctx: Context) =>
  loader(ctx, 'tickets.files', () =>
    new DataLoader<string, StoredFile | null>(async (ids) => {
      const rows = await ctx.em.find(StoredFile, { id: { $in: [...ids] } });
      return ids.map((id) => rows.find((f) => f.id === id) ?? null);
    }),
  );
