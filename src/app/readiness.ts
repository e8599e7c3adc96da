import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { pendingMigrations } from '../shared/db/orm.js';

/** Where the instance is in its life; only `ready` takes traffic. */
export type Phase = 'starting' | 'migrating' | 'seeding' | 'ready' | 'stopping';

export interface ReadinessReport {
  ready: boolean;
  phase: Phase;
  /** `ok`, `unreachable` (details in the log, not here: the endpoint is public) or `pending: …`. */
  checks?: { database: string; migrations: string };
}

/** How long /ready waits for the database before calling it down. */
export const READY_DB_TIMEOUT_MS = 2_000;

function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Readiness, apart from liveness: /health only says the process answers (a load balancer or
 * orchestrator that restarted instances whenever the database hiccups would make an outage
 * worse), while /ready says this instance can serve — it has migrated and seeded, is not
 * shutting down, and reaches its database with no migration pending.
 */
export class Readiness {
  private current: Phase = 'starting';

  constructor(
    private readonly orm: () => MikroORM | undefined,
    private readonly logger: Logger,
  ) {}

  get phase(): Phase {
    return this.current;
  }

  /** Phases only move forward; once stopping, nothing brings the instance back. */
  set(phase: Phase): void {
    if (this.current !== 'stopping') this.current = phase;
  }

  get serving(): boolean {
    return this.current === 'ready';
  }

  async check(): Promise<ReadinessReport> {
    const orm = this.orm();
    if (this.current !== 'ready' || !orm) return { ready: false, phase: this.current };
    const [database, migrations] = await Promise.all([
      within(READY_DB_TIMEOUT_MS, orm.em.getConnection().execute('select 1'), 'the database').then(
        () => 'ok',
        (err: Error) => {
          this.logger.warn({ err }, 'readiness: database unreachable');
          return 'unreachable';
        },
      ),
      within(READY_DB_TIMEOUT_MS, pendingMigrations(orm), 'the migrations table').then(
        (pending) => (pending.length ? `pending: ${pending.join(', ')}` : 'ok'),
        (err: Error) => {
          this.logger.warn({ err }, 'readiness: migrations could not be listed');
          return 'unreachable';
        },
      ),
    ]);
    // The state may have changed while the checks ran (SIGTERM).
    const ready = this.current === 'ready' && database === 'ok' && migrations === 'ok';
    return { ready, phase: this.current, checks: { database, migrations } };
  }
}
