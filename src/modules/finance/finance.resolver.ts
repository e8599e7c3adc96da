import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { money, Money } from '../../shared/money/index.js';
import { ConnectionArgs, connectionFromArray } from '../../shared/pagination/index.js';
import { categoryById, CategoryType } from '../catalog/index.js';
import { sellerById, SellerType } from '../sellers/index.js';
import * as commission from './commission.service.js';
import type { CommissionRule, LedgerEntry, LedgerLine } from './finance.entity.js';
import { linesByEntryId } from './finance.loaders.js';
import { CommissionRuleConnection, CommissionRuleInput, CommissionRuleListArgs, CommissionRulePayload, CommissionRuleType, DeleteCommissionRulePayload, LedgerEntryConnection, LedgerEntryListArgs, LedgerEntryType, LedgerLineConnection, LedgerLineType, SellerCommissionRatesType, SellerLedgerArgs, SellerLedgerLineConnection, SetDefaultCommissionPayload } from './finance.types.js';
import * as ledger from './ledger.service.js';

@Resolver(() => CommissionRuleType)
export class CommissionRuleResolver {
  @Query(() => CommissionRuleConnection, { description: 'Commission rules, oldest first. Operator owners and admins.' })
  commissionRules(@Args(() => CommissionRuleListArgs) args: CommissionRuleListArgs, @Ctx() ctx: Context) {
    return commission.listCommissionRules(ctx, args);
  }

  @Query(() => SellerCommissionRatesType, {
    description: "The commission that can apply to a seller's sales. Seller owners/finance see their own; operator owners/admins name a seller.",
  })
  myCommissionRates(@Arg('sellerId', () => ID, { nullable: true, description: 'Operator staff name the seller; seller users get their own (another id is FORBIDDEN).' }) sellerId: string | undefined, @Ctx() ctx: Context) {
    return commission.sellerCommissionRates(ctx, sellerId);
  }

  @FieldResolver(() => SellerType, { nullable: true, description: 'Null for a store-wide category rule.' })
  seller(@Root() rule: CommissionRule, @Ctx() ctx: Context) {
    return rule.seller ? sellerById(ctx).load(rule.seller.id) : null;
  }

  @FieldResolver(() => CategoryType, { nullable: true, description: 'Null for a rule covering all of a seller\'s categories.' })
  category(@Root() rule: CommissionRule, @Ctx() ctx: Context) {
    return rule.category ? categoryById(ctx).load(rule.category.id) : null;
  }

  @Mutation(() => CommissionRulePayload, { description: 'CONFLICT when a rule for the same (seller, category) pair exists.' })
  createCommissionRule(@Arg('input', () => CommissionRuleInput, { description: 'The seller and/or category and the rate; `rateBps` is required.' }) input: CommissionRuleInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ commissionRule: await commission.createCommissionRule(ctx, em, input) }));
  }

  @Mutation(() => CommissionRulePayload, { description: 'Orders already placed keep the rate frozen on their lines.' })
  updateCommissionRule(@Arg('id', () => ID, { description: 'Id of the rule to change.' }) id: string, @Arg('input', () => CommissionRuleInput, { description: 'The fields to change; unset fields stay as they are.' }) input: CommissionRuleInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ commissionRule: await commission.updateCommissionRule(ctx, em, id, input) }));
  }

  @Mutation(() => DeleteCommissionRulePayload, { description: 'Deletes a commission rule; orders already placed keep their frozen rates. Operator owners and admins.' })
  deleteCommissionRule(@Arg('id', () => ID, { description: 'Id of the rule to delete.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ deletedCommissionRule: await commission.deleteCommissionRule(ctx, em, id) }));
  }

  @Mutation(() => SetDefaultCommissionPayload, { description: 'The store default commission (basis points), used when no rule matches.' })
  setDefaultCommission(@Arg('rateBps', () => Int, { description: 'Basis points, 0 to 10000 (1500 = 15 %). Orders already placed keep their frozen rates.' }) rateBps: number, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ marketplaceSettings: await commission.setDefaultCommission(ctx, em, rateBps) }));
  }
}

@Resolver(() => SellerCommissionRatesType)
export class SellerCommissionRatesResolver {
  @FieldResolver(() => CommissionRuleConnection, { description: "The seller's own rules and the store-wide category rules, oldest first." })
  rules(@Root() rates: SellerCommissionRatesType, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return commission.rulesApplyingTo(ctx, rates.sellerId, args);
  }
}

@Resolver(() => LedgerEntryType)
export class LedgerEntryResolver {
  @Query(() => LedgerEntryConnection, { description: 'Journal entries in posting order. Operator owners and admins.' })
  ledgerEntries(@Args(() => LedgerEntryListArgs) args: LedgerEntryListArgs, @Ctx() ctx: Context) {
    return ledger.listLedgerEntries(ctx, args, args);
  }

  @Query(() => SellerLedgerLineConnection, { description: "A seller's receivable movements, oldest first: seller owners/finance see their own; operator owners/admins name a seller." })
  sellerLedger(@Args(() => SellerLedgerArgs) args: SellerLedgerArgs, @Ctx() ctx: Context) {
    return ledger.sellerLedger(ctx, args, args);
  }

  @FieldResolver(() => LedgerLineConnection, { description: 'Its lines in posting order (an entry has a handful).' })
  async lines(@Root() entry: LedgerEntry, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return connectionFromArray(await linesByEntryId(ctx).load(entry.id), args);
  }

  @FieldResolver(() => Money, { description: 'The sum of its debits (equal to the sum of its credits).' })
  async total(@Root() entry: LedgerEntry, @Ctx() ctx: Context) {
    const lines = await linesByEntryId(ctx).load(entry.id);
    return money(lines.reduce((s, l) => s + l.debit, 0), lines[0]?.currency);
  }
}

@Resolver(() => LedgerLineType)
export class LedgerLineResolver {
  @FieldResolver(() => SellerType, { nullable: true, description: 'The seller of a SELLER_PAYABLE line; on other accounts, the seller the amount came from.' })
  seller(@Root() line: LedgerLine, @Ctx() ctx: Context) {
    return line.seller ? sellerById(ctx).load(line.seller.id) : null;
  }

  @FieldResolver(() => Money, { description: 'Amount debited to the account (BRL centavos); 0 on a credit line.' })
  debit(@Root() line: LedgerLine) {
    return money(line.debit, line.currency);
  }

  @FieldResolver(() => Money, { description: 'Amount credited to the account (BRL centavos); 0 on a debit line.' })
  credit(@Root() line: LedgerLine) {
    return money(line.credit, line.currency);
  }
}
