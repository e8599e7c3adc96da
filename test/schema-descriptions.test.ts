import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { buildBareSchema } from '../src/app/schema.js';
import { fillerDescriptions, missingDescriptions, schemaElements } from './helpers/schema-descriptions.js';

/*
 * Storefront, portal and ERP developers read the schema in the explorer: every type, field,
 * argument, input field and enum value we define says what it means (units, formats, who may
 * read it, what null means). GraphQL's own scalars and introspection types are left out.
 */
describe('schema descriptions', () => {
  it('walks every kind of element, so an empty list below means something', async () => {
    const paths = new Set(schemaElements(await buildBareSchema()).map((e) => e.path));
    // A type, an object field, an argument, an input field, an enum value, a scalar, a root type.
    for (const p of ['Order', 'Order.code', 'Query.order(code)', 'CartAddressInput.postalCode', 'OrderStatus.APPROVED', 'SafeInt', 'Mutation']) {
      expect(paths, p).toContain(p);
    }
    expect(paths).not.toContain('String');
    expect(paths).not.toContain('__Type');
  });

  it('describes every type, field, argument, input field and enum value', async () => {
    expect(missingDescriptions(await buildBareSchema())).toEqual([]);
  });

  it('has no filler that only repeats the element\'s name ("The id.", "name")', async () => {
    expect(fillerDescriptions(await buildBareSchema())).toEqual([]);
  });
});
