import { ServiceKey, type Runtime } from '../runtime/index.js';

/**
 * What time it is, for rules that depend on it (ticket deadlines, overdue flags, the
 * dashboard's "today"). src/app wires the system clock; tests wire a fixed one, so a
 * deadline across a weekend is checked at chosen instants instead of whenever the test runs.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const CLOCK = new ServiceKey<Clock>('time.clock');

/** The wired clock's current instant. */
export const nowOf = (runtime: Runtime): Date => runtime.services.get(CLOCK).now();
