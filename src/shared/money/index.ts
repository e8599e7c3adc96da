export * from './money.js';
export * from './cents.js';
export * from './installments.js';
