import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { startPeriodic } from './periodic.js';
import type { Mailer } from '../shared/outbox/mailer.js';
import type { OutboxSeal } from '../shared/outbox/seal.js';

export interface OutboxWorkerOptions {
  pollMs: number;
  logger?: Logger;
  batchSize?: number;
  /** How long a claimed message stays with its worker; a crashed worker's messages come due after it. */
  lockMs?: number;
  maxAttempts?: number;
  /** Host part of the Message-ID. */
  messageIdDomain?: string;
  /** Opens sealed payloads (shared/outbox/seal.ts). */
  seal: OutboxSeal;
  /** How long stop() waits for the message being sent (a hung SMTP server must not hold shutdown). */
  stopTimeoutMs?: number;
}

export interface OutboxWorker {
  /** Claims and delivers one batch; returns how many were delivered. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

interface ClaimedRow {
  id: string;
  kind: string;
  /** Sealed (shared/outbox/seal.ts); opened only to send. */
  payload: unknown;
  attempts: number;
}

/** Exponential backoff: 5 s, 10 s, 20 s … capped at one hour. */
export function backoffMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

/**
 * Delivers outbox messages after their transaction committed. Several workers may run: each
 * claims a batch with FOR UPDATE SKIP LOCKED and holds it for `lockMs`. The Message-ID is
 * derived from the outbox id, so a message re-sent after a crash between sending and marking
 * it sent is recognisable as the same message by the receiving side.
 */
export function startOutboxWorker(orm: MikroORM, mailer: Mailer, opts: OutboxWorkerOptions): OutboxWorker {
  const batchSize = opts.batchSize ?? 10;
  const lockMs = opts.lockMs ?? 60_000;
  const maxAttempts = opts.maxAttempts ?? 8;
  const domain = opts.messageIdDomain ?? 'marketplace.local';
  const stopTimeoutMs = opts.stopTimeoutMs ?? 10_000;
  const conn = orm.em.getConnection();

  async function claim(): Promise<ClaimedRow[]> {
    return conn.execute<ClaimedRow[]>(
      `update outbox_message set locked_until = now() + (? * interval '1 millisecond'), attempts = attempts + 1
       where id in (
         select id from outbox_message
         where status = 'PENDING' and next_attempt_at <= now() and (locked_until is null or locked_until < now())
         order by created_at limit ? for update skip locked)
       returning id, kind, payload, attempts`,
      [lockMs, batchSize],
    );
  }

  async function deliver(row: ClaimedRow): Promise<boolean> {
    try {
      if (row.kind !== 'email') throw new Error(`no transport for outbox kind "${row.kind}"`);
      await mailer.send({ messageId: `<outbox-${row.id}@${domain}>`, ...opts.seal.open<{ to: string; subject: string; text: string; html?: string }>(row.payload) });
      await conn.execute(
        // A sent message keeps no body: its tokens and links live only in the recipient's mailbox.
        `update outbox_message set status = 'SENT', sent_at = now(), locked_until = null, last_error = null, payload = '{}'::jsonb where id = ?`,
        [row.id],
      );
      return true;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const dead = row.attempts >= maxAttempts;
      // Only the current claim may reschedule: a worker that stalled past its lock (the message
      // was meanwhile re-claimed, or sent, by another) must not undo the other's outcome.
      await conn.execute(
        `update outbox_message set status = ?, locked_until = null, last_error = ?,
           next_attempt_at = now() + (? * interval '1 millisecond')
         where id = ? and status = 'PENDING' and attempts = ?`,
        [dead ? 'DEAD' : 'PENDING', message.slice(0, 2000), backoffMs(row.attempts), row.id, row.attempts],
      );
      opts.logger?.warn({ outboxId: row.id, attempts: row.attempts, dead, err: message }, 'outbox delivery failed');
      return false;
    }
  }

  /** Hands claimed messages not yet tried back at once (no attempt spent), for the next worker. */
  async function release(rows: ClaimedRow[]): Promise<void> {
    for (const row of rows) {
      await conn.execute(
        `update outbox_message set locked_until = null, attempts = attempts - 1 where id = ? and status = 'PENDING' and attempts = ?`,
        [row.id, row.attempts],
      );
    }
  }

  async function pass(): Promise<{ claimed: number; sent: number }> {
    const rows = await claim();
    let sent = 0;
    for (const [i, row] of rows.entries()) {
      // Stopping: finish the message being sent, give the rest of the batch back.
      if (job.stopped) {
        await release(rows.slice(i));
        break;
      }
      if (await deliver(row)) sent++;
    }
    return { claimed: rows.length, sent };
  }

  async function runOnce(): Promise<number> {
    return (await job.track(pass())).sent;
  }

  /** A full batch means more may be waiting: keep going instead of sleeping a poll interval. */
  async function drain(): Promise<void> {
    while (!job.stopped && (await pass()).claimed === batchSize);
  }

  const job = startPeriodic({
    pollMs: opts.pollMs,
    stopTimeoutMs,
    tick: drain,
    onError: (err) => opts.logger?.error({ err }, 'outbox worker pass failed'),
  });

  return {
    runOnce,
    /**
     * Stops polling, lets the message being sent finish and hands the rest of its batch back.
     * After stopTimeoutMs it gives up waiting: a message still being sent stays claimed until
     * its lock expires and is then re-sent, with the same Message-ID, by the next worker.
     */
    stop: async () => {
      if (!(await job.stop())) opts.logger?.warn({ stopTimeoutMs }, 'outbox worker stopped while a message was still being sent');
      mailer.close?.();
    },
  };
}
