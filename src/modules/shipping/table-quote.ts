import { badInput } from '../../shared/errors/index.js';
import { formatCep, normalizeCep } from './parse.js';
import type { ShippingTableRow } from './shipping.types.js';

const isCep = (value: string) => /^\d{8}$/.test(value);
const isAmount = (value: number) => Number.isSafeInteger(value) && value >= 0;

/** Normalises a request's CEP or refuses it as bad input naming the field. */
export function requireCep(value: string, field: string): string {
  const cep = normalizeCep(value);
  if (!cep) throw badInput(`${field} must be a CEP of 8 digits, like 01310-100 or 01310100; got "${value}".`, field);
  return cep;
}

/**
 * The row that prices a parcel of `weightGrams` to `cep` (already normalised), or undefined.
 * Tables are checked for overlaps when they are loaded (`findOverlaps`), but a table saved
 * before that check, or assembled in code, may still overlap; then the cheapest matching row
 * wins, then the fastest, then the earliest, so the shopper is never charged the worse of two
 * prices the operator wrote for the same parcel, and the choice is stable.
 */
export function matchRow(rows: readonly ShippingTableRow[], cep: string, weightGrams: number): ShippingTableRow | undefined {
  let best: ShippingTableRow | undefined;
  for (const row of rows) {
    const matches =
      row.postalCodeFrom <= cep && cep <= row.postalCodeTo && row.weightFromGrams <= weightGrams && weightGrams <= row.weightToGrams;
    if (!matches) continue;
    if (!best || row.priceCents < best.priceCents || (row.priceCents === best.priceCents && row.days < best.days)) best = row;
  }
  return best;
}

/**
 * Prices a parcel from one table. The destination may carry the dash ("01310-100"); a CEP
 * that is not 8 digits or a weight that is not whole grams is refused as bad input rather
 * than reported as "no row", so a typo never silently sends a cart to the contingency table.
 */
export function quoteFromTable(
  rows: readonly ShippingTableRow[],
  request: { destinationPostalCode: string; weightGrams: number },
): ShippingTableRow | undefined {
  const cep = requireCep(request.destinationPostalCode, 'destinationPostalCode');
  if (!isAmount(request.weightGrams)) throw badInput('weightGrams must be a whole, non-negative number of grams.', 'weightGrams');
  return matchRow(rows, cep, request.weightGrams);
}

/** What is wrong with one row on its own (not counting overlaps with others). */
export function rowProblems(row: ShippingTableRow): string[] {
  const problems: string[] = [];
  if (!isCep(row.postalCodeFrom)) problems.push(`cep_from "${row.postalCodeFrom}" is not a CEP of 8 digits`);
  if (!isCep(row.postalCodeTo)) problems.push(`cep_to "${row.postalCodeTo}" is not a CEP of 8 digits`);
  if (isCep(row.postalCodeFrom) && isCep(row.postalCodeTo) && row.postalCodeFrom > row.postalCodeTo)
    problems.push(`cep_from ${formatCep(row.postalCodeFrom)} is after cep_to ${formatCep(row.postalCodeTo)}`);
  if (!isAmount(row.weightFromGrams)) problems.push('weight_from_g must be whole, non-negative grams');
  if (!isAmount(row.weightToGrams)) problems.push('weight_to_g must be whole, non-negative grams');
  if (isAmount(row.weightFromGrams) && isAmount(row.weightToGrams) && row.weightFromGrams > row.weightToGrams)
    problems.push(`weight_from_g ${row.weightFromGrams} is above weight_to_g ${row.weightToGrams}`);
  if (!isAmount(row.priceCents)) problems.push('price must be a non-negative amount of centavos');
  if (!isAmount(row.days)) problems.push('days must be a whole, non-negative number');
  return problems;
}

/** Two rows (indexes into the array given) that both price some parcel to some CEP. */
export interface RowOverlap {
  first: number;
  second: number;
}

/**
 * Every pair of rows whose CEP ranges and weight bands both intersect (ranges are inclusive,
 * so rows sharing an edge overlap). Sorted by CEP start, a row only needs comparing with the
 * rows that start before it ends, which keeps a typical table — many CEP ranges, a few weight
 * bands each — far from the quadratic worst case. Pairs come back with `first < second`.
 */
export function findOverlaps(rows: readonly ShippingTableRow[]): RowOverlap[] {
  const order = rows.map((_, index) => index).sort((a, b) => compare(rows[a]!.postalCodeFrom, rows[b]!.postalCodeFrom) || a - b);
  const overlaps: RowOverlap[] = [];
  for (let i = 0; i < order.length; i++) {
    const a = rows[order[i]!]!;
    for (let j = i + 1; j < order.length; j++) {
      const b = rows[order[j]!]!;
      if (b.postalCodeFrom > a.postalCodeTo) break;
      if (a.weightFromGrams <= b.weightToGrams && b.weightFromGrams <= a.weightToGrams) {
        overlaps.push({ first: Math.min(order[i]!, order[j]!), second: Math.max(order[i]!, order[j]!) });
      }
    }
  }
  return overlaps.sort((x, y) => x.second - y.second || x.first - y.first);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
