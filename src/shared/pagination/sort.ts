import { registerEnumType } from 'type-graphql';

/** The direction of every sortable list. */
export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, {
  name: 'SortDirection',
  description: 'Ascending or descending.',
  valuesConfig: { ASC: { description: 'Smallest, oldest or A first.' }, DESC: { description: 'Largest, newest or Z first.' } },
});
