export { newToken, hashToken } from './tokens.js';
