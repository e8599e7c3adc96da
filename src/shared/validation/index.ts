export { checkEmail, normaliseEmail } from './email.js';
export { checkText } from './text.js';
export { checkUrl } from './url.js';
