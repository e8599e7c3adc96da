import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../src/shared/db/database.js';

/**
 * `npm start`, the README's command, run as a person or a process manager runs it, then
 * stopped by a signal sent to the process `npm start` is (npm's own pid, as `kill <pid>` or a
 * supervisor would): the app must get it, shut down, and stop its embedded PostgreSQL —
 * nothing left running.
 */
const root = path.resolve(import.meta.dirname, '..');
let parent: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  parent = mkdtempSync(path.join(os.tmpdir(), 'mkt-signals-'));
  chmodSync(parent, 0o755); // as root the embedded PostgreSQL runs as `postgres` and must enter it
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  const pidFile = path.join(parent, 'data', 'postgres', 'postmaster.pid');
  if (existsSync(pidFile)) {
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
      await new Promise((r) => setTimeout(r, 1000));
    } catch {
      // not running
    }
  }
  rmSync(parent, { recursive: true, force: true });
}, 30_000);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(check: () => boolean, what: string, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startAndStop(signal: 'SIGTERM' | 'SIGINT', env: Record<string, string>) {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  delete childEnv.DATABASE_URL;
  delete childEnv.NODE_ENV;
  delete childEnv.LOG_LEVEL;
  // Not a shell: the signal goes to npm itself.
  const npm = spawn('npm', ['start'], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(npm);
  let out = '';
  npm.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  npm.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const exited = new Promise<number | null>((resolve) => npm.on('exit', (code) => resolve(code)));
  const output = () => out;

  await waitFor(() => /GraphQL API ready/.test(out) || npm.exitCode !== null, 'no "GraphQL API ready"', 150_000, output);
  const ready = out.split('\n').find((l) => l.includes('GraphQL API ready'));
  expect(ready, out).toBeDefined();
  const appPid = (JSON.parse(ready!) as { pid: number }).pid;
  expect(appPid).not.toBe(npm.pid);
  const pgPid = Number(readFileSync(path.join(env.DATA_DIR!, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
  expect(alive(pgPid)).toBe(true);

  process.kill(npm.pid!, signal);
  const code = await exited;
  await waitFor(() => !alive(appPid) && !alive(pgPid), 'app or PostgreSQL still running', 15_000, output);
  expect(out).toContain(`${signal}: shutting down`);
  expect(out).toMatch(/"msg":"stopped"/);
  expect(existsSync(path.join(env.DATA_DIR!, 'postgres', 'postmaster.pid'))).toBe(false);
  return code;
}

describe('npm start', () => {
  it('stops the app and its embedded PostgreSQL on SIGTERM, then on SIGINT, sent to npm', async () => {
    const env = { DATA_DIR: path.join(parent, 'data'), PORT: String(await freePort()), HOST: '127.0.0.1' };
    expect(await startAndStop('SIGTERM', env)).toBe(0);
    // npm reports an interrupted script with 130 whatever the script did; what matters is that
    // nothing is left running, which startAndStop checked.
    expect([0, 130]).toContain(await startAndStop('SIGINT', env));
  }, 300_000);
});
