import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption of what the app must read again later (webhook signing secrets, queued e-mails),
 * unlike tokens it only compares (hashed): AES-256-GCM under a key derived from the app secret
 * with HKDF and a label per use, so each use has its own key and rotating APP_SECRET makes old
 * ciphertexts unreadable (they must then be issued again). The one home of the cipher: callers
 * choose only the label and how the three parts are stored.
 */

/** The 32-byte key of one use (`info` is that use's HKDF label; never reuse one for another purpose). */
export function sealingKey(appSecret: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, Buffer.alloc(0), info, 32));
}

/** The parts of one sealed message: a fresh 12-byte IV, the 16-byte GCM tag and the ciphertext. */
export interface Sealed {
  iv: Buffer;
  tag: Buffer;
  data: Buffer;
}

export function encrypt(key: Buffer, plain: Buffer): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), data };
}

/** The plain bytes; throws when the message was sealed under another key or altered. */
export function decrypt(key: Buffer, sealed: Sealed): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.iv);
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.data), decipher.final()]);
}

/** A string sealed as one `v1.` + base64url(iv ‖ tag ‖ ciphertext) string, for a text column. */
export interface Sealer {
  seal(plain: string): string;
  /** The plain text, or null when the ciphertext was not sealed with this key (or was altered). */
  open(sealed: string): string | null;
}

export function createSealer(appSecret: Buffer, purpose: string): Sealer {
  const key = sealingKey(appSecret, `marketplace:${purpose}`);
  return {
    seal(plain) {
      const { iv, tag, data } = encrypt(key, Buffer.from(plain, 'utf8'));
      return `v1.${Buffer.concat([iv, tag, data]).toString('base64url')}`;
    },
    open(sealed) {
      if (!sealed.startsWith('v1.')) return null;
      const raw = Buffer.from(sealed.slice(3), 'base64url');
      if (raw.length < 28) return null;
      try {
        return decrypt(key, { iv: raw.subarray(0, 12), tag: raw.subarray(12, 28), data: raw.subarray(28) }).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
