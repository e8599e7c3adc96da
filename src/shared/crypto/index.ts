export { newToken, newHandledToken, hashToken } from './tokens.js';
export { createSealer, decrypt, encrypt, sealingKey, type Sealed, type Sealer } from './sealing.js';
