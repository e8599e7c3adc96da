/**
 * Exact conversion between integer centavos and the decimal reais some providers speak
 * (Mercado Pago's `transaction_amount`, refund `amount`). Pure string/integer arithmetic:
 * `19.99 * 100` is 1998.9999999999998 in floating point, so no multiplication or division
 * of decimals ever happens here.
 */

/** 1999 → "19.99", 5 → "0.05", 100000 → "1000.00". Negative amounts keep their sign. */
export function centsToDecimalString(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new Error(`centavos must be a safe integer, got ${cents}`);
  const sign = cents < 0 ? '-' : '';
  const digits = String(Math.abs(cents)).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d{1,2}))?$/;

/**
 * "19.99" → 1999, "19.9" → 1990, "20" → 2000. A number is read through its shortest
 * round-trip text (what JSON.parse produced from the provider's literal), which is exact for
 * every amount with at most 15 significant digits. More than two decimals is refused rather
 * than rounded: a provider reporting fractions of a centavo is a bug to surface.
 */
export function decimalToCents(value: string | number): number {
  const text = typeof value === 'number' ? numberText(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new Error(`not a decimal amount with at most two places: ${JSON.stringify(value)}`);
  const [, sign, whole, fraction = ''] = match;
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(cents)) throw new Error(`amount out of range: ${text}`);
  return sign === '-' && cents !== 0 ? -cents : cents;
}

function numberText(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a finite amount: ${value}`);
  const text = String(value);
  // Exponent form only appears for magnitudes far outside any payment (≥ 1e21 or < 1e-6).
  if (/e/i.test(text)) throw new Error(`amount out of range: ${text}`);
  return text;
}
