export { checkEmail, normaliseEmail } from './email.js';
export { checkText, checkNoNul, hasNoNul, assertNoNul } from './text.js';
export { checkUrl } from './url.js';
