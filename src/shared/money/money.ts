import { Field, ObjectType } from 'type-graphql';
import { SafeIntResolver } from 'graphql-scalars';

/**
 * Amounts are integer minor units (centavos) with a currency; never floats. GraphQL carries
 * them as `SafeInt` (a JSON number up to 2^53 − 1), in this type and in every money input:
 * balances and totals outgrow Int's 32 bits (R$ 21.474.836,47).
 */
@ObjectType('Money', { description: 'An amount in minor units (centavos) of a currency.' })
export class Money {
  @Field(() => SafeIntResolver, { description: 'Minor units: 1990 is R$ 19,90. A SafeInt: up to 2^53 − 1, never wraps.' })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217 code, e.g. BRL.' })
  currency!: string;
}

/**
 * The highest price of one unit of a SKU, in centavos (R$ 20 million), checked by the catalog.
 * Per-unit price columns stay PostgreSQL `integer` because of it (2^31 − 1 is R$ 21,474,836.47);
 * anything summed or multiplied by a quantity (line and order totals, shares, payments,
 * balances, thresholds compared with those) is a `bigint` column (CentsType).
 */
export const MAX_UNIT_PRICE_CENTS = 2_000_000_000;

export function money(amount: number, currency = 'BRL'): Money {
  if (!Number.isSafeInteger(amount)) throw new Error(`money amounts are integer minor units, got ${amount}`);
  return { amount, currency };
}

/**
 * Splits `total` minor units over parts in proportion to `weights` by the largest-remainder
 * method: floor every exact share, then hand the leftover units one by one to the parts with
 * the largest fractional remainders; ties go to the larger weight, then to the earlier part.
 * The result always sums to `total`. When every weight is 0 the split is by equal weights.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total)) throw new Error(`allocate needs integer minor units, got ${total}`);
  if (weights.length === 0) {
    if (total !== 0) throw new Error('cannot allocate a non-zero amount over no parts');
    return [];
  }
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new Error('weights are non-negative integers');
  const effective = weights.every((w) => w === 0) ? weights.map(() => 1) : weights;
  const sum = effective.reduce((a, b) => a + b, 0);
  const sign = total < 0 ? -1 : 1;
  const abs = Math.abs(total);
  // BigInt keeps total × weight exact beyond 2^53.
  const parts = effective.map((w, index) => {
    const numerator = BigInt(abs) * BigInt(w);
    const floor = numerator / BigInt(sum);
    return { index, weight: w, floor: Number(floor), remainder: numerator - floor * BigInt(sum) };
  });
  let leftover = abs - parts.reduce((a, p) => a + p.floor, 0);
  const order = [...parts].sort((a, b) =>
    a.remainder !== b.remainder ? (b.remainder > a.remainder ? 1 : -1) : b.weight !== a.weight ? b.weight - a.weight : a.index - b.index,
  );
  for (const p of order) {
    if (leftover === 0) break;
    p.floor += 1;
    leftover -= 1;
  }
  return parts.map((p) => sign * p.floor);
}

/**
 * `bps` basis points of `base`, rounded down to the centavo: a discount advertised as 10% never
 * exceeds 10% (its funder agreed to that rate, not to a rounded-up centavo), and truncation
 * gives the same figure on every evaluation. BigInt keeps base × bps exact beyond 2^53.
 */
export function basisPointsOf(base: number, bps: number): number {
  if (base <= 0) return 0;
  return Number((BigInt(base) * BigInt(bps)) / 10_000n);
}

/** "R$ 1.234,56": e-mails and messages speak the shopper's currency (the store sells in BRL). */
export function formatBRL(centavos: number): string {
  const sign = centavos < 0 ? '-' : '';
  const abs = Math.abs(centavos);
  const reais = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}R$ ${reais},${String(abs % 100).padStart(2, '0')}`;
}
