import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxMessage } from './outbox.entity.js';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

/**
 * Queues an e-mail in the caller's transaction; the outbox worker delivers it after commit.
 * A rolled-back change therefore never sends mail, and a committed one always does.
 */
export function enqueueEmail(em: EntityManager, topic: string, message: EmailMessage): OutboxMessage {
  const row = em.create(OutboxMessage, { kind: 'email', topic, payload: { ...message } });
  em.persist(row);
  return row;
}
