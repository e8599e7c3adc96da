export { checkEmail, normaliseEmail } from './email.js';
export { checkText, checkNoNul, hasNoNul, assertNoNul } from './text.js';
export { checkUrl } from './url.js';
export { ARG_MAX_CHARS, ArgMaxChars, CSV_MAX_CHARS, DEFAULT_MAX_CHARS, POLICY_MAX_CHARS, PRODUCT_DESCRIPTION_MAX_CHARS, REASON_MAX_CHARS, MAX_CHARS, MaxChars, SEARCH_MAX_CHARS, hasControlCharacter, hasLoneSurrogate } from './limits.js';
