export * from './connection.js';
export { SortDirection } from './sort.js';
