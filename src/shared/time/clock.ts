import { ServiceKey, type Runtime } from '../runtime/index.js';

/**
 * The instant rules compare against (campaign periods, promotion windows, checkout times,
 * ticket deadlines and overdue flags, the dashboard's "today"). One slot, so a test can fix
 * the time ("a second after the end", a deadline across a weekend) through the real API
 * instead of sleeping; production wires the system clock (src/app/wiring.ts).
 */
export interface Clock {
  now(): Date;
}

export const CLOCK = new ServiceKey<Clock>('time.clock');

export const systemClock: Clock = { now: () => new Date() };

/** The runtime's clock reading; the system time when no clock is wired (scripts, unit tests). */
export function nowOf(runtime: Pick<Runtime, 'services'>): Date {
  return runtime.services.has(CLOCK) ? runtime.services.get(CLOCK).now() : new Date();
}
