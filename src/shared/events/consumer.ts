import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { readEvents, type StoredEvent } from './events.js';

/**
 * Something that reacts to domain events after they commit (e-mails, webhooks), with a
 * cursor of its own. Each batch is handled in one transaction with the consumer's row locked:
 * the effects it writes (outbox rows, deliveries) and the cursor move commit together, so an
 * event is acted on exactly once, whichever instance runs the consumer.
 */
export interface EventConsumer {
  /** Stable name: the consumer's cursor row. */
  name: string;
  /** Event types it wants; others are passed over. */
  types: readonly string[];
  handle(em: EntityManager, event: StoredEvent): Promise<void>;
}

/**
 * Runs one batch of `consumer`. Returns how many events it handled; 0 when there was nothing
 * new or another instance holds the consumer right now. A failing handler rolls the whole
 * batch back (nothing half-done) and the failure is recorded on the consumer's row.
 */
export async function runConsumer(orm: MikroORM, consumer: EventConsumer, batchSize = 100): Promise<number> {
  const em = orm.em.fork();
  try {
    return await em.transactional(async (tx) => {
      await tx.execute(`insert into event_consumer (name, failures, updated_at) values (?, 0, now()) on conflict do nothing`, [consumer.name]);
      const [state] = await tx.execute<{ last_txid: string | null; last_position: string | null }[]>(
        `select last_txid::text as last_txid, last_position::text as last_position from event_consumer where name = ? for update skip locked`,
        [consumer.name],
      );
      if (!state) return 0;
      const after = state.last_txid && state.last_position ? { txid: state.last_txid, position: state.last_position } : null;
      const events = await readEvents(tx, { after, limit: batchSize, types: consumer.types });
      for (const event of events) await consumer.handle(tx, event);
      const last = events.at(-1);
      if (last) {
        await tx.flush();
        await tx.execute(
          `update event_consumer set last_txid = ?::xid8, last_position = ?, failures = 0, last_error = null, updated_at = now() where name = ?`,
          [last.txid, last.position, consumer.name],
        );
      }
      return events.length;
    });
  } catch (err) {
    await orm.em
      .fork()
      .execute(
        // An upsert: on a first run the row was created in the transaction that just rolled back.
        `insert into event_consumer (name, failures, last_error, updated_at) values (?, 1, ?, now())
         on conflict (name) do update set failures = event_consumer.failures + 1, last_error = excluded.last_error, updated_at = now()`,
        [consumer.name, String((err as Error)?.message ?? err).slice(0, 2000)],
      );
    throw err;
  }
}

/**
 * How many committed events `consumer` has not handled yet, including those still held back
 * by the horizon (a transaction that began earlier is running somewhere on the server).
 */
export async function unhandledCount(orm: MikroORM, consumer: EventConsumer): Promise<number> {
  const types = consumer.types;
  const [row] = await orm.em.fork().execute<{ n: string }[]>(
    `select count(*) as n from domain_event e
      left join event_consumer c on c.name = ?
      where e.type in (${types.map(() => '?').join(', ')})
        and (c.last_txid is null or (e.txid, e.position) > (c.last_txid, c.last_position))`,
    [consumer.name, ...types],
  );
  return Number(row?.n ?? 0);
}
