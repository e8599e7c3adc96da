import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';

export const CREDENTIALS_FILE = 'first-start-credentials.txt';

/**
 * Passwords and tokens made at the first start are shown once and never reach the log stream
 * (which is collected, shipped and kept): on a terminal they are printed to it; otherwise
 * (a service, a container, CI) they go to DATA_DIR/first-start-credentials.txt, readable by
 * its owner only, and the log says where. Returns the file written, if any.
 */
export function deliverCredentials(text: string, opts: { dataDir: string; terminal: boolean; logger: Logger }): string | null {
  if (opts.terminal) {
    process.stdout.write(text + '\n');
    return null;
  }
  const file = path.resolve(opts.dataDir, CREDENTIALS_FILE);
  mkdirSync(path.dirname(file), { recursive: true });
  // A file left by an earlier first start may have other permissions; `mode` only applies to
  // a file being created, so it is removed and created afresh.
  rmSync(file, { force: true });
  writeFileSync(file, text + '\n', { mode: 0o600, flag: 'wx' });
  opts.logger.warn({ file }, 'first-start credentials written to this file (owner-only): read them, then delete it');
  return file;
}
