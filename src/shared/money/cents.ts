import { BigIntType } from '@mikro-orm/core';

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Reads centavos that PostgreSQL stored or computed as a 64-bit integer into a JS number,
 * exactly. `bigint` columns and `sum(integer)` reach the driver as strings, `sum(bigint)` as a
 * numeric string: this is the one place that turns them into numbers. It throws instead of
 * rounding when the value is not whole or lies beyond ±(2^53 − 1), the most a number (and the
 * `SafeInt` scalar) carries exactly.
 */
export function centsFromDb(value: string | number | bigint): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`centavos must be a whole number within ±(2^53 − 1), got ${value}`);
    return value;
  }
  const text = String(value).trim();
  if (!/^-?\d+$/.test(text)) throw new RangeError(`centavos must be a whole number, got ${text}`);
  const exact = BigInt(text);
  if (exact > MAX || exact < -MAX) throw new RangeError(`${text} centavos is beyond ±(2^53 − 1) and cannot be carried exactly`);
  return Number(exact);
}

/**
 * A `bigint` money column mapped to a JS number (MikroORM's BigIntType in 'number' mode), read
 * through `centsFromDb` so a value beyond 2^53 − 1 fails loudly instead of losing centavos,
 * and refused on the way in for the same reason. Use one instance per property:
 * `@Property({ type: new CentsType() })`.
 */
export class CentsType extends BigIntType<'number'> {
  constructor() {
    super('number');
  }

  override convertToDatabaseValue(value: number | null | undefined): string | null | undefined {
    if (value == null) return value;
    return String(centsFromDb(value));
  }

  override convertToJSValue(value: string | bigint | number | null | undefined): number | null | undefined {
    if (value == null) return value;
    return centsFromDb(value);
  }
}
