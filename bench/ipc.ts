import os from 'node:os';
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The bench's processes: the API, each floor and the load generator run as separate OS
 * processes (forked with an IPC channel), so none of them shares an event loop or a heap with
 * another or with the orchestrator. The channel carries only control messages between slices
 * (start, stats, stop), never the measured traffic, which goes over HTTP.
 */

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Compiles the children (the app, the bench's API harness, floors, load generator) with tsc into
 * dist/, as `npm start` builds the app (prestart). A whole build each time: an incremental one
 * trusts that outputs it wrote before are still there. Run by the orchestrator before it starts
 * any child.
 */
export function buildChildren(): number {
  const started = Date.now();
  execFileSync(process.execPath, [path.join(here, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(here, 'tsconfig.json')], { stdio: 'inherit' });
  return Date.now() - started;
}

interface Request {
  id: number;
  cmd: string;
  args?: unknown;
}
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

/** In a child: answers the orchestrator's commands; `ready` is sent once the child can be measured. */
export function serveIpc(handlers: Record<string, (args: never) => unknown>, ready: Record<string, unknown>): void {
  if (!process.send) throw new Error('this script is started by bench/run.ts (it needs an IPC channel)');
  process.on('message', (m: Request) => {
    const handler = handlers[m.cmd];
    void (async () => {
      let reply: Reply;
      try {
        if (!handler) throw new Error(`unknown command ${m.cmd}`);
        reply = { id: m.id, ok: true, value: await handler(m.args as never) };
      } catch (err) {
        reply = { id: m.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
      }
      process.send!(reply);
    })();
  });
  // The orchestrator going away (crash, hard limit) must not leave a server behind.
  process.on('disconnect', () => process.exit(0));
  process.send({ ready: true, ...ready });
}

export interface ChildHandle<R> {
  name: string;
  pid: number;
  ready: R;
  call<T>(cmd: string, args?: unknown): Promise<T>;
  /** Asks the child to stop (its `stop` command) and waits for it to exit; kills it after a grace period. */
  stop(): Promise<void>;
}

/**
 * Forks `script` (a .ts file under bench/) compiled, as `npm start` runs the app — plain node
 * on tsc's output under dist/ (buildChildren first) — and waits for its ready message. Every
 * child runs so, floors and load generator included: none pays tsx's loader hooks or esbuild's
 * name-keeping wrappers that another does not. Children inherit stderr so their crashes are visible.
 */
/**
 * The Node flags `npm start` runs the app with (package.json's start script, its one home), for
 * every child alike: the API runs as production runs it, and the floors and the load generator
 * get whatever the flags give too.
 */
function startFlags(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(here, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const match = /\bnode((?:\s+--\S+)*)\s+dist\/src\/main\.js/.exec(pkg.scripts.start ?? '');
  if (!match) throw new Error(`package.json's start script does not run node dist/src/main.js: ${pkg.scripts.start}`);
  return match[1]!.trim().split(/\s+/).filter(Boolean);
}

const profiled = (name: string) => (process.env.BENCH_CPU_PROF ?? '').split(',').some((n) => n.trim() && name.startsWith(n.trim()));

export async function startChild<R extends Record<string, unknown>>(
  name: string,
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 120_000,
): Promise<ChildHandle<R>> {
  const compiled = path.join(here, '..', 'dist', 'bench', script.replace(/\.ts$/, '.js'));
  const child: ChildProcess = fork(compiled, args, {
    // BENCH_CPU_PROF=<child name>[,…] profiles those children (V8 .cpuprofile files in BENCH_CPU_PROF_DIR, default the OS temp directory).
    // --expose-gc: the memory run reads the API's live heap after a full collection (bench/memory.ts);
    // nothing calls it during the measured slices.
    execArgv: ['--expose-gc', ...startFlags(), ...(profiled(name) ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR ?? os.tmpdir()}`] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env,
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`${name} exited (code ${code}, signal ${signal})`));
      pending.clear();
      resolve();
    }),
  );
  const ready = await new Promise<R>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000} s`)), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready`));
    });
    child.on('message', (m: Reply | ({ ready: true } & R)) => {
      if ('ready' in m) {
        clearTimeout(timer);
        resolve(m as R);
        return;
      }
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(`${name}: ${m.error}`));
    });
  });
  return {
    name,
    pid: child.pid!,
    ready,
    call: <T>(cmd: string, args?: unknown) =>
      new Promise<T>((resolve, reject) => {
        if (exited) return reject(new Error(`${name} is not running`));
        const id = nextId++;
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, args } satisfies Request);
      }),
    stop: async () => {
      if (exited) return;
      const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.send({ id: nextId++, cmd: 'stop' } satisfies Request, () => {});
      await exit;
      clearTimeout(kill);
    },
  };
}

/**
 * Peak resident memory of a process. Linux keeps the high-water mark (VmHWM) and lets root
 * (or the owner) reset it by writing 5 to /proc/<pid>/clear_refs, so each scenario's peak is
 * its own; where the reset is refused, the peak since the process started is reported.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export function peakRssMb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}
