import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * The app secret signs what must not be forged (order links). From APP_SECRET when set (the
 * config refuses to start production on a real database without it); an embedded database
 * keeps a generated one beside its data, readable by the owner only, so links survive a
 * restart; anything else (tests, development on a real database) gets one per process.
 */
export function resolveAppSecret(config: Pick<Config, 'APP_SECRET' | 'DATABASE_URL' | 'NODE_ENV'>, opts: { dataDir?: string } = {}): Buffer {
  if (config.APP_SECRET) return Buffer.from(config.APP_SECRET, 'utf8');
  if (!opts.dataDir) {
    // Checked when the API starts, not in loadConfig: the migration CLI needs no secret.
    if (config.DATABASE_URL && config.NODE_ENV === 'production') {
      throw new Error('Invalid configuration:\n  APP_SECRET: is required with DATABASE_URL in production: every instance signs and checks order links with it (e.g. `openssl rand -base64 48`)');
    }
    return randomBytes(48);
  }
  const file = path.join(opts.dataDir, 'app-secret');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(opts.dataDir, { recursive: true });
  const secret = randomBytes(48);
  writeFileSync(file, `${secret.toString('base64')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}
