import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { readEvents, recordEvents, runConsumer, systemActor, type EventCursor, type NewEvent, type StoredEvent } from '../src/shared/events/index.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});

afterAll(async () => {
  await t?.stop();
});

const event = (type: string): NewEvent => ({
  type,
  aggregate: { type: 'test', id: '00000000-0000-4000-8000-000000000001', code: type },
  actor: systemActor('test'),
  data: { type },
});

/** Opens a transaction that stays open until the returned release() is called. */
function heldTransaction(work: (em: EntityManager) => Promise<void>) {
  let release!: (commit: boolean) => void;
  const decided = new Promise<boolean>((r) => (release = r));
  let ready!: () => void;
  const started = new Promise<void>((r) => (ready = r));
  const done = t.app.runtime.orm.em
    .fork()
    .transactional(async (em) => {
      await work(em as EntityManager);
      ready();
      if (!(await decided)) throw new Error('rolled back on purpose');
    })
    .catch((err: Error) => {
      if (err.message !== 'rolled back on purpose') throw err;
    });
  return { started, done, release };
}

async function readAll(after: EventCursor | null): Promise<StoredEvent[]> {
  return readEvents(t.app.runtime.orm.em.fork(), { after, limit: 1000, aggregateTypes: ['test'] });
}

/**
 * Reads until `done` holds (at most 10 s). The horizon is the oldest transaction running
 * anywhere on the server, so other test files' transactions may hold an event back briefly:
 * events become visible eventually, never out of order.
 */
async function readUntil(after: EventCursor | null, done: (types: string[]) => boolean): Promise<StoredEvent[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const events = await readAll(after);
    if (done(events.map((e) => e.type)) || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const cursorOf = (events: StoredEvent[], before: EventCursor | null) => {
  const last = events.at(-1);
  return last ? { txid: last.txid, position: last.position } : before;
};

describe('domain events', () => {
  it('a reader never passes over an event whose transaction commits after a later one (lower position held open)', async () => {
    const start = cursorOf(await readAll(null), null);
    const a = heldTransaction(async (em) => {
      recordEvents(em, [event('A')]);
      await em.flush();
    });
    await a.started;
    try {
      await t.app.runtime.orm.em.fork().transactional(async (em) => recordEvents(em as EntityManager, [event('B')]));
    } catch (err) {
      a.release(false);
      throw err;
    }

    const first = await readAll(start);
    // B is committed, but A (a lower position, still open) could still commit before it.
    expect(first.map((e) => e.type)).toEqual([]);
    const cursor = cursorOf(first, start);

    a.release(true);
    await a.done;
    const second = await readUntil(cursor, (types) => types.length >= 2);
    expect(second.map((e) => e.type)).toEqual(['A', 'B']);
    expect(Number(second[0]!.position)).toBeLessThan(Number(second[1]!.position));
  });

  it('also when the open transaction has the higher transaction id: the committed event is read first, the other right after it commits', async () => {
    const start = cursorOf(await readAll(null), null);
    // D takes its transaction id first (it locks a row before it writes), C holds a later one open.
    let releaseD!: () => void;
    const dMayRecord = new Promise<void>((r) => (releaseD = r));
    let dHasId!: () => void;
    const dIdTaken = new Promise<void>((r) => (dHasId = r));
    const d = t.app.runtime.orm.em.fork().transactional(async (em) => {
      // A row lock, as every state change takes one first: it gives D its transaction id.
      await em.execute('select id from marketplace_settings where id = 1 for update');
      dHasId();
      await dMayRecord;
      recordEvents(em as EntityManager, [event('D')]);
    });
    await dIdTaken;
    const c = heldTransaction(async (em) => {
      recordEvents(em, [event('C')]);
      await em.flush();
    });
    await c.started;
    let first: StoredEvent[];
    try {
      releaseD();
      await d;
      first = await readUntil(start, (types) => types.length > 0);
    } finally {
      c.release(true);
      await c.done;
    }
    expect(first.map((e) => e.type)).toEqual(['D']);
    const second = await readUntil(cursorOf(first, start), (types) => types.length > 0);
    expect(second.map((e) => e.type)).toEqual(['C']);
  });

  it('an event whose transaction rolls back never appears', async () => {
    const start = cursorOf(await readAll(null), null);
    const r = heldTransaction(async (em) => {
      recordEvents(em, [event('ROLLED_BACK')]);
      await em.flush();
    });
    await r.started;
    r.release(false);
    await r.done;
    await t.app.runtime.orm.em.fork().transactional(async (em) => recordEvents(em as EntityManager, [event('KEPT')]));
    expect((await readUntil(start, (types) => types.includes('KEPT'))).map((e) => e.type)).toEqual(['KEPT']);
  });

  it('refuses to write an event outside a transaction', async () => {
    expect(() => recordEvents(t.app.runtime.orm.em.fork(), [event('LOOSE')])).toThrow(/inside the transaction/);
  });

  it('a consumer handles each event once, and a failing batch is retried whole', async () => {
    const start = cursorOf(await readAll(null), null);
    await t.app.runtime.orm.em.fork().transactional(async (em) => recordEvents(em as EntityManager, [event('E1'), event('E2')]));
    await readUntil(start, (types) => types.includes('E2'));
    const seen: string[] = [];
    let failOn: string | null = 'E2';
    const consumer = {
      name: 'test-consumer',
      types: ['E1', 'E2'],
      handle: async (_em: EntityManager, e: StoredEvent) => {
        if (e.type === failOn) throw new Error('receiver down');
        seen.push(e.type);
      },
    };
    await expect(runConsumer(t.app.runtime.orm, consumer)).rejects.toThrow('receiver down');
    const [state] = await t.app.runtime.orm.em.fork().execute<{ failures: number; last_error: string }[]>(`select failures, last_error from event_consumer where name = 'test-consumer'`);
    expect(state).toEqual({ failures: 1, last_error: 'receiver down' });
    failOn = null;
    seen.length = 0;
    expect(await runConsumer(t.app.runtime.orm, consumer)).toBe(2);
    expect(seen).toEqual(['E1', 'E2']);
    expect(await runConsumer(t.app.runtime.orm, consumer)).toBe(0);
  });
});
