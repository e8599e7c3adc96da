export * from './errors.js';
export * from './types.js';
export * from './mutation.js';
export * from './idempotency.js';
