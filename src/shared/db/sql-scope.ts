import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What one HTTP request did with the database: the statements it sent (for its log line) and
 * whether its reads may go to a read replica. Carried by AsyncLocalStorage rather than by the
 * EntityManager because modules also send raw SQL through the shared connection, which knows
 * nothing of the request. MikroORM's own transaction context already runs on
 * AsyncLocalStorage, so one more store costs little.
 */
export interface SqlScope {
  statements: number;
  /** Of those, the ones a read replica answered. */
  replicaStatements: number;
  /** Set once the request is known to be a storefront catalog read (see app/replica-reads.ts). */
  replicaReads: boolean;
}

export const sqlScope = new AsyncLocalStorage<SqlScope>();

export const newSqlScope = (): SqlScope => ({ statements: 0, replicaStatements: 0, replicaReads: false });

/**
 * Runs `work` outside the request's statement count: for a stand-in of an outside system that
 * happens to keep its state in our database (the sandbox payment gateway). In production
 * that system is an HTTP call, not our SQL, and the bench's floors count it the same way.
 */
export const outsideRequestCount = <T>(work: () => T): T => sqlScope.exit(work);
