/**
 * Typed slots for what one module provides to another that it may not import: an
 * implementation chosen by configuration (payment providers, the fraud analyzer) or a call
 * into a module above it (the orders module's reaction to a payment event). The module that
 * needs the thing declares the key and its type; src/app/ fills every slot when it assembles
 * the app, and start-up fails when a declared slot is left empty.
 */
export class ServiceKey<T> {
  declare readonly type: T;
  constructor(readonly name: string) {}
}

export class Services {
  private readonly slots = new Map<ServiceKey<unknown>, unknown>();

  set<T>(key: ServiceKey<T>, value: T): this {
    if (this.slots.has(key)) throw new Error(`service ${key.name} is wired twice`);
    this.slots.set(key, value);
    return this;
  }

  has(key: ServiceKey<unknown>): boolean {
    return this.slots.has(key);
  }

  get<T>(key: ServiceKey<T>): T {
    if (!this.slots.has(key)) throw new Error(`service ${key.name} is not wired (see src/app/wiring.ts)`);
    return this.slots.get(key) as T;
  }

  /** Throws naming every key that has no value, so a missing wire stops start-up. */
  requireAll(keys: readonly ServiceKey<unknown>[]): void {
    const missing = keys.filter((k) => !this.slots.has(k)).map((k) => k.name);
    if (missing.length) throw new Error(`services not wired: ${missing.join(', ')}`);
  }
}
