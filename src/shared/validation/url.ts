import type { Validation } from '../errors/index.js';

/** A link a client gives us to show to others (tracking page, invoice XML/PDF): http(s) only, ≤ 2,000 characters. */
export function checkUrl(v: Validation, value: string | null | undefined, field: string[]): void {
  if (value == null || value === '') return;
  let ok = value.length <= 2000;
  if (ok) {
    try {
      const url = new URL(value);
      ok = url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      ok = false;
    }
  }
  v.check(ok, 'Give an http(s) link of at most 2,000 characters.', field);
}
