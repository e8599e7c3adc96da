import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { ConnectionArgs } from '../../shared/pagination/index.js';
import { SellerPayload, SellerType, sellerById, type Seller } from '../sellers/index.js';
import { catalogIntegrationBySellerId } from './integrations.loaders.js';
import type { Integration } from './integrations.entity.js';
import * as integrations from './integrations.service.js';
import { CreateIntegrationInput, CreateIntegrationPayload, IntegrationConnection, IntegrationPayload, IntegrationType, UpdateIntegrationPermissionsInput } from './integrations.types.js';

@Resolver(() => IntegrationType)
export class IntegrationResolver {
  @Query(() => IntegrationConnection, { description: 'ERP integrations: all for operator staff, a seller owner\'s own otherwise.' })
  integrations(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('sellerId', () => ID, { nullable: true, description: 'Only the integrations of this seller. Operator staff may pass any seller; a seller\'s owner only its own.' }) sellerId: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return integrations.listIntegrations(ctx, sellerId, args);
  }

  @FieldResolver(() => SellerType, { nullable: true, description: 'The seller it is linked to; null when unlinked (acts for the admin seller).' })
  seller(@Root() integration: Integration, @Ctx() ctx: Context) {
    return integration.seller ? sellerById(ctx).load(integration.seller.id) : null;
  }

  @Mutation(() => CreateIntegrationPayload, { description: 'Creates an ERP integration and returns its token, once.' })
  createIntegration(@Arg('input', () => CreateIntegrationInput, { description: 'The new integration\'s name, seller and permission.' }) input: CreateIntegrationInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => integrations.createIntegration(ctx, em, input));
  }

  @Mutation(() => IntegrationPayload, { description: 'Revokes the token at once; its next request is refused.' })
  revokeIntegration(@Arg('id', () => ID, { description: 'Id of the integration to revoke.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ integration: await integrations.revokeIntegration(ctx, em, id) }));
  }

  @Mutation(() => IntegrationPayload, {
    description: 'Turns the attribute-write permission on or off; it cannot be turned on for a guest seller\'s integration.',
  })
  updateIntegrationPermissions(
    @Arg('input', () => UpdateIntegrationPermissionsInput, { description: 'The integration and its new attribute-write permission.' }) input: UpdateIntegrationPermissionsInput,
    @Ctx() ctx: Context,
  ) {
    return runMutation(ctx.em, async (em) => ({ integration: await integrations.updateIntegrationPermissions(ctx, em, input) }));
  }
}

/** The seller's "catalog managed by integration" declaration, owned by this module. */
@Resolver(() => SellerType)
export class SellerCatalogIntegrationResolver {
  @Mutation(() => SellerPayload, {
    description: 'Declares that an ERP integration manages the seller\'s catalog (portal edits of products and stock are then refused); null withdraws it.',
  })
  setCatalogIntegration(
    @Arg('sellerId', () => ID, { description: 'Id of the seller whose catalog the integration manages.' }) sellerId: string,
    @Arg('integrationId', () => ID, { nullable: true, description: 'Id of one of the seller\'s integrations; null to let the portal edit the catalog again.' }) integrationId: string | null,
    @Ctx() ctx: Context,
  ) {
    return runMutation(ctx.em, async (em) => ({ seller: await integrations.setCatalogIntegration(ctx, em, sellerId, integrationId ?? null) }));
  }

  @FieldResolver(() => IntegrationType, { nullable: true, description: 'The ERP integration that manages this catalog, if any.' })
  catalogIntegration(@Root() seller: Seller, @Ctx() ctx: Context) {
    return catalogIntegrationBySellerId(ctx).load(seller.id);
  }
}
