import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { bulkUpdateProducts } from './bulk.service.js';
import { BulkUpdateProductsInput, BulkUpdateProductsPayload } from './bulk.types.js';

@Resolver()
export class BulkProductResolver {
  @Mutation(() => BulkUpdateProductsPayload, {
    description: 'Operator staff: change status, tags or images of up to 1,000 products of any sellers in one transaction.',
  })
  bulkUpdateProducts(@Arg('input', () => BulkUpdateProductsInput, { description: 'The products and the change to apply to each.' }) input: BulkUpdateProductsInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => bulkUpdateProducts(ctx, em, input));
  }
}
