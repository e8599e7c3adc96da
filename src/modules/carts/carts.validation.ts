import { Validation } from '../../shared/errors/index.js';
import { checkEmail, normaliseEmail } from '../../shared/validation/index.js';
import { parseDocument } from '../sellers/index.js';
import { normalizeCep } from '../shipping/index.js';
import type { CartAddress, CartBuyer } from './carts.entity.js';

export const MAX_QUANTITY = 999;

/** The 26 states and the Federal District. */
export const UFS: ReadonlySet<string> = new Set([
  'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA', 'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO',
]);

/**
 * A Brazilian phone with its area code (DDD): 10 digits for a landline, 11 for a mobile (which
 * starts with 9). Masks, spaces and a leading +55 are accepted and removed. DDDs are 11–99
 * without a zero digit. Returns the digits, or null.
 */
export function parsePhone(raw: string): string | null {
  let digits = raw.replace(/[\s().+-]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  if ((digits.length === 12 || digits.length === 13) && digits.startsWith('55')) digits = digits.slice(2);
  if (digits.length !== 10 && digits.length !== 11) return null;
  if (!/^[1-9][1-9]$/.test(digits.slice(0, 2))) return null;
  if (digits.length === 11 && digits[2] !== '9') return null;
  if (digits.length === 10 && !/[2-5]/.test(digits[2]!)) return null;
  return digits;
}

export function checkQuantity(v: Validation, quantity: number, field: string[]): void {
  v.check(Number.isInteger(quantity) && quantity >= 1 && quantity <= MAX_QUANTITY, `The quantity must be a whole number from 1 to ${MAX_QUANTITY}.`, field);
}

export interface BuyerInputData {
  name: string;
  email: string;
  document: string;
  phone: string;
}

/** Every problem of the buyer at once (fields under input.*); the normalised buyer when none. */
export function validateBuyer(input: BuyerInputData): CartBuyer {
  const v = new Validation();
  const field = (name: string) => ['input', name];
  const name = input.name.trim();
  v.check(name.length >= 2 && name.length <= 200, 'Enter the buyer\'s full name (2 to 200 characters).', field('name'));
  checkEmail(v, input.email, field('email'));
  const document = parseDocument(input.document);
  v.check(document !== null, 'Enter a valid CPF or CNPJ: the check digits do not match.', field('document'));
  const phone = parsePhone(input.phone);
  v.check(phone !== null, 'Enter a Brazilian phone with its area code: 10 digits, or 11 for a mobile starting with 9.', field('phone'));
  v.throwIfAny();
  return { name, email: normaliseEmail(input.email), documentType: document!.type, document: document!.value, phone: phone! };
}

export interface AddressInputData {
  recipient: string;
  street: string;
  number: string;
  complement?: string | null;
  district: string;
  city: string;
  state: string;
  postalCode: string;
}

export function validateAddress(input: AddressInputData): CartAddress {
  const v = new Validation();
  const field = (name: string) => ['input', name];
  const text = (name: keyof AddressInputData, label: string, max: number) => {
    const value = (input[name] ?? '').trim();
    v.check(value.length >= 1 && value.length <= max, `${label} is required (at most ${max} characters).`, field(name));
    return value;
  };
  const recipient = text('recipient', 'The recipient', 200);
  const street = text('street', 'The street', 200);
  const number = text('number', 'The number ("s/n" when there is none)', 20);
  const district = text('district', 'The district (bairro)', 100);
  const city = text('city', 'The city', 100);
  const complement = input.complement?.trim() || null;
  v.check(!complement || complement.length <= 200, 'The complement has at most 200 characters.', field('complement'));
  const state = input.state.trim().toUpperCase();
  v.check(UFS.has(state), 'The state must be a UF such as SP or RJ.', field('state'));
  const postalCode = normalizeCep(input.postalCode);
  v.check(postalCode !== undefined, 'The CEP must have 8 digits, like 01310-100.', field('postalCode'));
  v.throwIfAny();
  return { recipient, street, number, complement, district, city, state, postalCode: postalCode! };
}

