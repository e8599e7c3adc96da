import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { importProducts } from './import.service.js';
import { ImportProductsInput, ImportProductsPayload, UpsertProductsInput, UpsertProductsPayload } from './import.types.js';
import { upsertProducts } from './upsert.service.js';

@Resolver()
export class ProductImportResolver {
  @Mutation(() => UpsertProductsPayload, {
    description:
      "ERP sync: creates or updates up to 500 products by the seller's raw codes, attributes by name, all or nothing. Reports each product as CREATED, UPDATED or UNCHANGED.",
  })
  upsertProducts(@Arg('input', () => UpsertProductsInput, { description: 'The seller and its products, by raw code.' }) input: UpsertProductsInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => upsertProducts(ctx, em, input));
  }

  @Mutation(() => ImportProductsPayload, {
    description:
      'Bulk registration from a CSV or JSON file, one row per SKU. Products whose rows all pass are saved (in batches of 500 products); each failing row is reported by line.',
  })
  importProducts(@Arg('input', () => ImportProductsInput, { description: 'The seller, the format and the file\'s text.' }) input: ImportProductsInput, @Ctx() ctx: Context) {
    // Batches commit on their own: one bad product never holds back the good ones.
    return runMutation(ctx.em, (em) => importProducts(ctx, em, input), { transaction: false });
  }
}
