export * from './money.js';
export * from './cents.js';
