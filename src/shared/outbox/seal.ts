import type { EventArgs, EventSubscriber, MikroORM } from '@mikro-orm/core';
import { ServiceKey } from '../runtime/services.js';
import { decrypt, encrypt, sealingKey } from '../crypto/index.js';
import { OutboxMessage } from './outbox.entity.js';

/**
 * Outbox payloads are sealed at rest (issue 12, item 1): an e-mail body carries reset,
 * invitation and verification tokens and signed order links, and anyone able to read the
 * table could use them. AES-256-GCM with a key derived from the app secret (APP_SECRET, or the
 * one generated beside the embedded database), so every instance that shares the secret can
 * open what another queued. The worker drops the sealed body once the message is sent.
 */
export interface SealedPayload {
  sealed: 1;
  iv: string;
  tag: string;
  data: string;
}

export class OutboxSeal {
  private readonly key: Buffer;

  constructor(appSecret: Buffer) {
    this.key = sealingKey(appSecret, 'marketplace outbox payload v1');
  }

  seal(payload: Record<string, unknown>): SealedPayload {
    const { iv, tag, data } = encrypt(this.key, Buffer.from(JSON.stringify(payload), 'utf8'));
    return { sealed: 1, iv: iv.toString('base64'), tag: tag.toString('base64'), data: data.toString('base64') };
  }

  /** The payload as it was queued; a payload queued before sealing existed comes back as is. */
  open<T = Record<string, unknown>>(payload: unknown): T {
    if (!isSealed(payload)) return payload as T;
    const plain = decrypt(this.key, { iv: Buffer.from(payload.iv, 'base64'), tag: Buffer.from(payload.tag, 'base64'), data: Buffer.from(payload.data, 'base64') });
    return JSON.parse(plain.toString('utf8')) as T;
  }
}

export const isSealed = (payload: unknown): payload is SealedPayload =>
  !!payload && typeof payload === 'object' && (payload as { sealed?: unknown }).sealed === 1;

/** The slot src/app fills with the seal made from the app secret (tests open payloads with it). */
export const OUTBOX_SEAL = new ServiceKey<OutboxSeal>('outbox.seal');

/**
 * Seals every outbox row as it is inserted through the ORM, whoever queued it, so no caller
 * can forget to (enqueueEmail stays as it is). Registered on one ORM with its own seal.
 */
export function sealOutboxOn(orm: MikroORM, seal: OutboxSeal): void {
  const subscriber: EventSubscriber<OutboxMessage> = {
    getSubscribedEntities: () => [OutboxMessage],
    beforeCreate: async ({ entity }: EventArgs<OutboxMessage>) => {
      if (!isSealed(entity.payload)) entity.payload = seal.seal(entity.payload) as unknown as Record<string, unknown>;
    },
  };
  orm.em.getEventManager().registerSubscriber(subscriber);
}
