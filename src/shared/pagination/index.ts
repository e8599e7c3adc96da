export * from './connection.js';
export { SortDirection } from './sort.js';
export { afterSql, connectionFromRows, keysetArgs, orderBySql, orderKeys, type OrderKey } from './keyset.js';
export { fieldsAt, selects } from './selection.js';
