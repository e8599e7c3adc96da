/**
 * The NF-e access key (chave de acesso, 44 characters):
 *   cUF(2) AAMM(4) CNPJ|CPF(14) mod(2) serie(3) nNF(9) tpEmis(1) cNF(8) cDV(1)
 * Since July 2026 the issuer's CNPJ may be alphanumeric (12 letters or digits, then 2 check
 * digits); a CPF is written zero-padded to 14. The check digit is modulo 11 with weights 2–9
 * from the right, every character valued by its code minus 48 (so letters of an alphanumeric
 * CNPJ count: 'A' is 17); a remainder of 0 or 1 gives 0.
 *
 * Why not @brazilian-utils' isValidNfeKey/getNfeKeyInfo: version 2.4 refuses any key whose
 * CNPJ has letters, which every seller with a new CNPJ will send. Numeric keys are
 * cross-checked against it in the tests.
 */

/** IBGE codes of the 27 units of the federation (cUF). */
const UF_CODES = new Set(['11', '12', '13', '14', '15', '16', '17', '21', '22', '23', '24', '25', '26', '27', '28', '29', '31', '32', '33', '35', '41', '42', '43', '50', '51', '52', '53']);

/** NF-e is model 55; marketplace orders are not sold over the counter (NFC-e, 65). */
export const NFE_MODEL = '55';

export interface AccessKey {
  stateCode: string;
  year: number;
  month: number;
  /** The issuer's CNPJ (possibly alphanumeric), or its CPF zero-padded to 14. */
  issuerDocument: string;
  model: string;
  series: number;
  number: number;
  emissionType: number;
  code: string;
  checkDigit: number;
}

export function accessKeyCheckDigit(first43: string): number {
  let sum = 0;
  let weight = 2;
  for (let i = first43.length - 1; i >= 0; i--) {
    sum += (first43.charCodeAt(i) - 48) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  const rest = sum % 11;
  return rest < 2 ? 0 : 11 - rest;
}

const SHAPE = /^(\d{2})(\d{2})(\d{2})([A-Z0-9]{12}\d{2})(\d{2})(\d{3})(\d{9})(\d)(\d{8})(\d)$/;

/**
 * Reads a key, or says what is wrong with it (one message, for the `accessKey` field).
 * Spaces and dots people paste with the key are ignored; letters outside the CNPJ are not.
 */
export function parseAccessKey(raw: string): { key: AccessKey; value: string } | { problem: string } {
  const value = raw.replace(/[\s.]/g, '').toUpperCase();
  if (value.length !== 44) return { problem: `The access key has 44 characters (got ${value.length}).` };
  const m = SHAPE.exec(value);
  if (!m) return { problem: 'The access key has digits everywhere but in the issuer\'s CNPJ (letters only in its first 12 characters).' };
  const [, uf, yy, mm, doc, model, series, number, tpEmis, code, dv] = m;
  if (!UF_CODES.has(uf!)) return { problem: `The access key starts with ${uf}, which is not a state code (cUF).` };
  const month = Number(mm);
  if (month < 1 || month > 12) return { problem: `The access key's month (${mm}) is not a month.` };
  if (accessKeyCheckDigit(value.slice(0, 43)) !== Number(dv)) return { problem: 'The access key\'s check digit does not match: check it was copied whole.' };
  return {
    value,
    key: {
      stateCode: uf!,
      year: 2000 + Number(yy),
      month,
      issuerDocument: doc!,
      model: model!,
      series: Number(series),
      number: Number(number),
      emissionType: Number(tpEmis),
      code: code!,
      checkDigit: Number(dv),
    },
  };
}

/** A seller's document as the access key writes it: a CNPJ as is, a CPF zero-padded to 14. */
export function documentInKey(document: string): string {
  return document.padStart(14, '0');
}
