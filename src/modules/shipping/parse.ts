/**
 * Small exact parsers shared by the CSV reader, the table matcher and the carrier adapter.
 */

// Stricter than @brazilian-utils' isValidCep, which drops spaces and dots anywhere
// ("0.1.3.1.0.1.0.0" passes): in an operator's table such a value is a typo worth reporting.
const CEP = /^(\d{5})-?(\d{3})$/;

/** "01310-100" or "01310100" → "01310100"; anything else → undefined. */
export function normalizeCep(value: string): string | undefined {
  const m = CEP.exec(value.trim());
  return m ? `${m[1]}${m[2]}` : undefined;
}

/** "01310100" → "01310-100", for messages. */
export function formatCep(cep: string): string {
  return cep.length === 8 ? `${cep.slice(0, 5)}-${cep.slice(5)}` : cep;
}

// Integer part, then at most two decimals after a comma or a point. No thousands separators:
// "1.234" would mean R$ 1.234,00 to a Brazilian and R$ 1,23 to the rest of the world.
const DECIMAL = /^(\d{1,13})(?:[.,](\d{1,2}))?$/;

/**
 * A decimal amount of reais ("12,90", "12.90", "12.9", "12") → integer centavos (1290, 1290,
 * 1290, 1200), or undefined when the text is not such an amount. Done on the digits, never
 * through parseFloat, so no value picks up binary floating-point drift (0.29 * 100 is
 * 28.999999999999996 in floating point).
 */
export function parseDecimalToCents(value: string): number | undefined {
  const m = DECIMAL.exec(value.trim());
  if (!m) return undefined;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : undefined;
}

/** A non-negative whole number written with digits only ("0", "1500"); undefined otherwise. */
export function parseWholeNumber(value: string, maxDigits = 12): number | undefined {
  const text = value.trim();
  if (text.length === 0 || text.length > maxDigits || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}
