import os from 'node:os';
import path from 'node:path';
import { chmodSync, mkdtempSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type Database } from '../../src/shared/db/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

let db: Database | undefined;

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set (CI points it at the machine's
 * server), otherwise an embedded one under the OS temp directory, which the `postgres` user
 * can reach even when the checkout sits in a private home directory. Each test file then
 * works in a schema of its own.
 */
export async function setup(project: TestProject) {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'mkt-test-'));
    chmodSync(parent, 0o755); // mkdtemp makes it 0700; the postgres user must enter it
    const dir = path.join(parent, 'pg');
    db = await startEmbeddedPostgres({ dir, persistent: false });
    url = db.url;
  }
  project.provide('databaseUrl', url);
}

export async function teardown() {
  await db?.stop();
}
