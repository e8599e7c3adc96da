import { isValidCnpj, isValidCpf } from '@brazilian-utils/brazilian-utils';
import { DocumentType } from './sellers.entity.js';

/**
 * Normalises a CPF or CNPJ (mask removed, letters upper-cased) and checks its check digits.
 * CNPJ is accepted in the numeric format and in the alphanumeric one issued since July 2026.
 * Returns null when the value is neither.
 */
export function parseDocument(raw: string): { type: DocumentType; value: string } | null {
  const value = raw.replace(/[\s./-]/g, '').toUpperCase();
  if (/^\d{11}$/.test(value)) return isValidCpf(value) ? { type: DocumentType.CPF, value } : null;
  if (/^[A-Z0-9]{12}\d{2}$/.test(value)) return isValidCnpj(value, { version: 2 }) ? { type: DocumentType.CNPJ, value } : null;
  return null;
}

export const CONCATENATION_CODE_RE = /^[A-Z0-9]{2,10}$/;

/**
 * For receipts and storefront views: CPF 123.456.789-09 becomes ***.***.*89-09, a CNPJ keeps
 * its branch and check digits (**.***.***\/0001-95). Takes a normalised value (parseDocument):
 * 11 characters for a CPF, 14 for a CNPJ.
 */
export function maskDocument(document: string): string {
  if (document.length === 11) return `***.***.*${document.slice(7, 9)}-${document.slice(9)}`;
  return `**.***.***/${document.slice(8, 12)}-${document.slice(12)}`;
}
