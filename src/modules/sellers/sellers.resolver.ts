import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { ConnectionArgs } from '../../shared/pagination/index.js';
import type { Seller } from './sellers.entity.js';
import { fileUrl } from '../../shared/files/index.js';
import * as sellers from './sellers.service.js';
import { BankDataInput, BankDataType, MarketplaceSettingsType, SellerConnection, SellerFilter, SellerInput, SellerPayload, SellerType, UpdateMarketplaceSettingsInput, UpdateMarketplaceSettingsPayload } from './sellers.types.js';

@Resolver()
export class MarketplaceSettingsResolver {
  @Query(() => MarketplaceSettingsType, { description: 'The store-wide settings. Public; commission and review policy are readable by operator staff only.' })
  marketplaceSettings(@Ctx() ctx: Context) {
    return sellers.getSettings(ctx.em);
  }

  @Mutation(() => UpdateMarketplaceSettingsPayload, { description: 'Operator owners and admins change the store-wide settings.' })
  updateMarketplaceSettings(@Arg('input', () => UpdateMarketplaceSettingsInput, { description: 'The settings to change; unset fields stay as they are.' }) input: UpdateMarketplaceSettingsInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ marketplaceSettings: await sellers.updateSettings(em, input) }));
  }
}

@Resolver(() => SellerType)
export class SellerResolver {
  @Query(() => SellerConnection, { description: 'Sellers the caller may see: all for operator staff; the storefront\'s sellers otherwise.' })
  sellers(
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Arg('filter', () => SellerFilter, { nullable: true, description: 'Narrows the list by status or by a part of the name or concatenation code.' }) filter: SellerFilter | undefined,
    @Ctx() ctx: Context,
  ) {
    return sellers.listSellers(ctx, filter ?? {}, args);
  }

  @Query(() => SellerType, { nullable: true, description: 'A seller by id or by concatenation code.' })
  seller(
    @Arg('id', () => ID, { nullable: true, description: 'Id of the seller. Give `id` or `code`.' }) id: string | undefined,
    @Arg('code', () => String, { nullable: true, description: 'Concatenation code of the seller (e.g. `ACME`). Give `id` or `code`.' }) code: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return sellers.findSeller(ctx, { id, code });
  }

  @FieldResolver(() => String, { nullable: true, description: "The seller's logo: a stable public URL (GET /files/<id>, cached for a year — a new logo gets a new URL); null when none is set." })
  logoUrl(@Root() seller: Seller, @Ctx() ctx: Context) {
    return seller.logoFileId ? fileUrl(ctx.runtime.config.publicUrl, seller.logoFileId) : null;
  }

  @Mutation(() => SellerPayload, {
    description: "Sets the seller's logo to a file uploaded with POST /files?purpose=LOGO by the caller (PNG, JPEG or WebP by its bytes, at most 1 MB); null removes it. The seller's owner, or operator owners/admins.",
  })
  setSellerLogo(@Arg('sellerId', () => ID, { description: "The seller whose logo this is (a seller's owner: its own)." }) sellerId: string, @Arg('fileId', () => ID, { nullable: true, description: 'The id POST /files answered; null removes the logo.' }) fileId: string | null, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ seller: await sellers.setSellerLogo(ctx, em, sellerId, fileId) }));
  }

  @FieldResolver(() => BankDataType, { nullable: true, description: 'Where payouts go. Null when not yet set. Readable by the seller\'s owner and finance users and by operator owners/admins.' })
  bankData(@Root() seller: Seller) {
    return seller.bankData?.bankCode ? seller.bankData : null;
  }

  @Mutation(() => SellerPayload, { description: 'Adds a guest seller (PENDING until approved). Needs the marketplace switch on.' })
  createSeller(@Arg('input', () => SellerInput, { description: 'The new seller\'s profile; `name`, `concatenationCode` and `document` are required.' }) input: SellerInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ seller: await sellers.createSeller(em, input) }));
  }

  @Mutation(() => SellerPayload, { description: 'Operator staff change any seller; a seller\'s owner changes its own profile and policies.' })
  updateSeller(@Arg('id', () => ID, { description: 'Id of the seller to change. A seller\'s owner may pass only its own seller.' }) id: string, @Arg('input', () => SellerInput, { description: 'The fields to change. A seller\'s owner may change only name, e-mail, phone, policies and notes.' }) input: SellerInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ seller: await sellers.updateSeller(ctx, em, id, input) }));
  }

  @Mutation(() => SellerPayload, { description: 'Sets where payouts go. Seller owner/finance users, or operator owners/admins.' })
  updateSellerBankData(@Arg('sellerId', () => ID, { description: 'Id of the seller whose bank data changes. Seller users may pass only their own seller.' }) sellerId: string, @Arg('input', () => BankDataInput, { description: 'The new bank data; it replaces the current one.' }) input: BankDataInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ seller: await sellers.updateBankData(ctx, em, sellerId, input) }));
  }

  @Mutation(() => SellerPayload, { description: 'PENDING or SUSPENDED → ACTIVE.' })
  approveSeller(@Arg('id', () => ID, { description: 'Id of the guest seller to approve.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ seller: await sellers.approveSeller(em, id) }));
  }

  @Mutation(() => SellerPayload, { description: 'Hides the seller\'s products and stops new carts; orders in progress continue.' })
  suspendSeller(@Arg('id', () => ID, { description: 'Id of the guest seller to suspend. The admin seller cannot be suspended.' }) id: string, @Arg('reason', () => String, { description: 'Why the seller is suspended (not empty); kept on the seller and shown to its users.' }) reason: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ seller: await sellers.suspendSeller(em, id, reason) }));
  }
}
