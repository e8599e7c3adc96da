import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestApp, type TestApp } from './helpers/app.js';
import { flushTogether } from '../src/shared/db/together.js';
import { newSqlScope, sqlScope } from '../src/shared/db/sql-scope.js';
import { DomainEvent, recordEvents, systemActor } from '../src/shared/events/index.js';
import { OutboxMessage } from '../src/shared/outbox/outbox.entity.js';
import { enqueueEmail } from '../src/shared/outbox/outbox.js';
import { OUTBOX_SEAL } from '../src/shared/outbox/seal.js';

/**
 * flushTogether (shared/db/together.ts): a unit of work and raw writes in one statement, with
 * every part's row count checked, and what one statement cannot do refused rather than done wrong.
 */

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());

const orm = () => t.app.runtime.orm;
const event = (em: EntityManager, aggregateId: string) => recordEvents(em, [{ type: 'sku.updated', aggregate: { type: 'sku', id: aggregateId }, actor: systemActor('test'), data: { n: 1 } }]);
const eventsOf = async (aggregateId: string) => orm().em.fork().count(DomainEvent, { aggregateId });

describe('flushTogether', () => {
  it('writes the unit of work of several tables and a raw write in one statement, through the flush hooks', async () => {
    const id = randomUUID();
    const scope = newSqlScope();
    let statements = -1;
    await sqlScope.run(scope, () =>
      orm().em.fork().transactional(async (em) => {
        event(em, id);
        event(em, id);
        enqueueEmail(em, 'test.together', { to: 'a@example.com', subject: `together ${id}`, text: 'x' });
        const before = scope.statements;
        await flushTogether(em, [{ sql: `update marketplace_settings set updated_at = updated_at where id = ?`, params: [1], rows: 1 }]);
        statements = scope.statements - before;
      }),
    );
    expect(statements).toBe(1);
    expect(await eventsOf(id)).toBe(2);
    // The outbox's seal ran (beforeCreate), as in any flush.
    const [mail] = await orm().em.fork().find(OutboxMessage, { topic: 'test.together' });
    expect(mail!.payload).toMatchObject({ sealed: 1 });
    expect(t.app.runtime.services.get(OUTBOX_SEAL).open(mail!.payload)).toMatchObject({ subject: `together ${id}` });
  });

  it('fails with a write\'s own error when it does not write its rows, and nothing of the statement stays', async () => {
    const id = randomUUID();
    const gone = new Error('the row was not there');
    await expect(
      orm().em.fork().transactional(async (em) => {
        event(em, id);
        await flushTogether(em, [{ sql: `update idempotency_claim set updated_at = now() where id = ?`, params: [randomUUID()], rows: 1, mismatch: () => gone }]);
      }),
    ).rejects.toBe(gone);
    expect(await eventsOf(id)).toBe(0);
  });

  it('refuses a table written by two parts, a statement that is not a write, and a flush outside a transaction', async () => {
    await expect(orm().em.fork().transactional(async (em) => {
      event(em, randomUUID());
      await flushTogether(em, [{ sql: `update domain_event set type = type where id = ?`, params: [randomUUID()], rows: 0 }]);
    })).rejects.toThrow(/"domain_event" is written by more than one part/);
    await expect(orm().em.fork().transactional((em) => flushTogether(em, [{ sql: `select 1`, params: [], rows: 1 }]))).rejects.toThrow(/an insert or an update/);
    await expect(flushTogether(orm().em.fork())).rejects.toThrow(/inside em.transactional/);
  });
});
