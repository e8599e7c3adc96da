import { Validation } from '../errors/index.js';

/** A free-text input field (`input.<field>`): present when required, and at most `max` characters. */
export function checkText(v: Validation, value: string | null | undefined, field: string, max: number, required = false) {
  if (value == null) {
    v.check(!required, `${field} is required.`, ['input', field]);
    return;
  }
  v.check(!required || value.trim().length > 0, `${field} is required.`, ['input', field]);
  v.check(value.length <= max, `${field} must have at most ${max} characters.`, ['input', field]);
}

/** PostgreSQL refuses a NUL character in text (a protocol error, not a constraint): true when a string has none. */
export const hasNoNul = (value: string) => !value.includes('\u0000');

/**
 * Refuses NUL characters anywhere in an input object's strings (nested objects and lists
 * included) before anything reaches PostgreSQL, as BAD_USER_INPUT on the string's path.
 */
export function checkNoNul(v: Validation, value: unknown, path: string[] = ['input']): void {
  if (typeof value === 'string') {
    if (!hasNoNul(value)) v.check(false, 'Text may not contain NUL characters.', path);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => checkNoNul(v, item, [...path, String(i)]));
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, item] of Object.entries(value)) checkNoNul(v, item, [...path, k]);
  }
}

/** checkNoNul on a whole mutation input, thrown at once (BAD_USER_INPUT userErrors). */
export function assertNoNul(input: unknown): void {
  const v = new Validation();
  checkNoNul(v, input);
  v.throwIfAny();
}
