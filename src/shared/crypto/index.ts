export { newToken, newHandledToken, hashToken } from './tokens.js';
export { createSealer, type Sealer } from './sealing.js';
