export * from './money.js';
export * from './installments.js';
