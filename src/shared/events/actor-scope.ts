import { AsyncLocalStorage } from 'node:async_hooks';
import type { EventActor } from './events.js';

/**
 * Who is acting in the current async flow (a request, or a job's pass). The server enters a
 * scope per request and names its viewer once resolved; a job names itself. Writers that see
 * only an EntityManager (the flush-time catalog events and the audit log) read it from here,
 * so a change made deep in a service still says who made it.
 */
const scope = new AsyncLocalStorage<{ actor: EventActor | null }>();

/** Runs `fn` in a fresh scope; `actor` may be set later (setScopeActor) once known. */
export function runWithActor<T>(actor: EventActor | null, fn: () => T): T {
  return scope.run({ actor }, fn);
}

/** Names the actor of the scope in progress (the request's viewer once resolved). */
export function setScopeActor(actor: EventActor): void {
  const store = scope.getStore();
  if (store) store.actor = actor;
}

/** The actor of the current flow; the system when nobody was named (a migration, a script). */
export function currentActor(): EventActor {
  return scope.getStore()?.actor ?? { kind: 'SYSTEM', name: 'system' };
}
