import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encrypts secrets the app must use again later (webhook signing secrets), unlike tokens it
 * only compares (hashed). AES-256-GCM under a key derived from the app secret with HKDF and a
 * purpose label, so each use has its own key and rotating APP_SECRET makes old ciphertexts
 * unreadable (they must then be issued again).
 */
export interface Sealer {
  seal(plain: string): string;
  /** The plain text, or null when the ciphertext was not sealed with this key (or was altered). */
  open(sealed: string): string | null;
}

export function createSealer(appSecret: Buffer, purpose: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', appSecret, Buffer.alloc(0), `marketplace:${purpose}`, 32));
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    open(sealed) {
      if (!sealed.startsWith('v1.')) return null;
      const raw = Buffer.from(sealed.slice(3), 'base64url');
      if (raw.length < 28) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
  };
}
