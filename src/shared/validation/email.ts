import type { Validation } from '../errors/index.js';

// No whitespace, and none of the characters an address parser reads as a list or a display
// name (`,;:<>()[]\"`): mail for an account must go to exactly the stored address.
const EMAIL_RE = /^[^\s@,;:<>()[\]\\"]+@[^\s@,;:<>()[\]\\"]+\.[^\s@,;:<>()[\]\\"]+$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function checkEmail(v: Validation, email: string, field: string[]): void {
  v.check(EMAIL_RE.test(normaliseEmail(email)) && email.length <= 320, 'Enter a valid e-mail address.', field);
}
