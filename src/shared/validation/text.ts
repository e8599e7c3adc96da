import type { Validation } from '../errors/index.js';

/** A free-text input field (`input.<field>`): present when required, and at most `max` characters. */
export function checkText(v: Validation, value: string | null | undefined, field: string, max: number, required = false) {
  if (value == null) {
    v.check(!required, `${field} is required.`, ['input', field]);
    return;
  }
  v.check(!required || value.trim().length > 0, `${field} is required.`, ['input', field]);
  v.check(value.length <= max, `${field} must have at most ${max} characters.`, ['input', field]);
}
