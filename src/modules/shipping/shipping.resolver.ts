import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ArgMaxChars, CSV_MAX_CHARS } from '../../shared/validation/index.js';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { Money, money } from '../../shared/money/index.js';
import { ConnectionArgs, connectionFromArray } from '../../shared/pagination/index.js';
import { CreateFreightRuleInput, CreateShippingTableInput, DeleteFreightRulePayload, DeleteShippingTablePayload, FreightRuleConnection, FreightRuleListArgs, FreightRulePayload, FreightRuleType, ImportShippingTableRowsPayload, PostalCodeRangeType, ShippingRowsImportMode, ShippingSettingsInput, ShippingSettingsPayload, ShippingSettingsType, ShippingTableConnection, ShippingTableListArgs, ShippingTablePayload, ShippingTableRowConnection, ShippingTableRowType, ShippingTableType, ShippingQuotePreviewInput, UpdateFreightRuleInput, UpdateShippingTableInput } from './admin.types.js';
import { formatCep } from './parse.js';
import * as rules from './rules.service.js';
import type { FreightRuleEntity, ShippingSettings, ShippingTableEntity } from './shipping.entity.js';
import * as tables from './tables.service.js';
import { quoteForCart } from './quote.service.js';
import { ShippingQuoteType, toShippingQuoteType } from './quote.types.js';

@Resolver(() => ShippingTableType)
export class ShippingTableResolver {
  @Query(() => ShippingTableConnection, { description: 'Operator staff: the contingency table first, then tables by carrier and method.' })
  shippingTables(@Args(() => ShippingTableListArgs) args: ShippingTableListArgs, @Ctx() ctx: Context) {
    return tables.listShippingTables(ctx, args);
  }

  @Query(() => ShippingTableType, { nullable: true, description: 'One shipping table by id. Operator staff only.' })
  shippingTable(@Arg('id', () => ID, { description: 'Id of the table.' }) id: string, @Ctx() ctx: Context) {
    return tables.findShippingTable(ctx, id);
  }

  @Query(() => ShippingTableType, { nullable: true, description: "The store's contingency table, when it has one." })
  contingencyShippingTable(@Ctx() ctx: Context) {
    return tables.findContingencyTable(ctx);
  }

  @FieldResolver(() => Int, { description: 'Number of rows in the table.' })
  rowCount(@Root() table: ShippingTableEntity) {
    return table.rows.length;
  }

  @FieldResolver(() => ShippingTableRowConnection, { description: 'By CEP, then weight.' })
  rows(@Root() table: ShippingTableEntity, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    const page = connectionFromArray(table.rows, args);
    return {
      ...page,
      edges: page.edges.map((e) => ({
        cursor: e.cursor,
        node: {
          postalCodeFrom: formatCep(e.node.postalCodeFrom),
          postalCodeTo: formatCep(e.node.postalCodeTo),
          weightFromGrams: e.node.weightFromGrams,
          weightToGrams: e.node.weightToGrams,
          price: money(e.node.priceCents),
          days: e.node.days,
        } satisfies ShippingTableRowType,
      })),
    };
  }

  @Mutation(() => ShippingTablePayload, { description: 'A table, or the contingency table (contingency: true).' })
  createShippingTable(@Arg('input', () => CreateShippingTableInput, { description: 'The new table and, optionally, its rows.' }) input: CreateShippingTableInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ shippingTable: await tables.createShippingTable(ctx, em, input) }));
  }

  @Mutation(() => ShippingTablePayload, { description: 'Changes a shipping table; given rows replace every row. Operator owners and admins.' })
  updateShippingTable(@Arg('id', () => ID, { description: 'Id of the table to change.' }) id: string, @Arg('input', () => UpdateShippingTableInput, { description: 'The fields to change; unset fields stay as they are.' }) input: UpdateShippingTableInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ shippingTable: await tables.updateShippingTable(ctx, em, id, input) }));
  }

  @Mutation(() => DeleteShippingTablePayload, { description: 'Deletes a shipping table with its rows; quotes stop using it at once. Operator owners and admins.' })
  deleteShippingTable(@Arg('id', () => ID, { description: 'Id of the table to delete.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ deletedShippingTable: await tables.deleteShippingTable(ctx, em, id) }));
  }

  @ArgMaxChars({ csv: CSV_MAX_CHARS })
  @Mutation(() => ImportShippingTableRowsPayload, {
    description:
      'Rows from a CSV file: header cep_from,cep_to,weight_from_g,weight_to_g,price (reais, "12,90") or price_cents,days; "," or ";" separated. ' +
      'Every problem is a userError on its physical line (field ["csv", "<line>", "<column>"]); with any, nothing changes.',
  })
  importShippingTableRows(
    @Arg('tableId', () => ID, { description: 'Id of the table the rows go to.' }) tableId: string,
    @Arg('csv', () => String, { description: 'The CSV text, header on line 1, UTF-8.' }) csv: string,
    @Arg('mode', () => ShippingRowsImportMode, { description: 'Whether the rows replace the table\'s rows or are added to them.' }) mode: ShippingRowsImportMode,
    @Ctx() ctx: Context,
  ) {
    return runMutation(ctx.em, async (em) => ({ shippingTable: await tables.importShippingTableRows(ctx, em, tableId, csv, mode) }));
  }
}

@Resolver(() => FreightRuleType)
export class FreightRuleResolver {
  @Query(() => FreightRuleConnection, { description: 'Operator staff: rules in the order quotes apply them.' })
  freightRules(@Args(() => FreightRuleListArgs) args: FreightRuleListArgs, @Ctx() ctx: Context) {
    return rules.listFreightRules(ctx, args);
  }

  @Query(() => FreightRuleType, { nullable: true, description: 'One freight rule by id. Operator staff only.' })
  freightRule(@Arg('id', () => ID, { description: 'Id of the rule.' }) id: string, @Ctx() ctx: Context) {
    return rules.findFreightRule(ctx, id);
  }

  @FieldResolver(() => Money, { nullable: true, description: 'FREE_SHIPPING: the merchandise subtotal from which it applies, inclusive.' })
  minMerchandise(@Root() rule: FreightRuleEntity): Money | null {
    return rule.minMerchandiseCents == null ? null : money(rule.minMerchandiseCents);
  }

  @FieldResolver(() => Money, { nullable: true, description: 'CUSTOM_FREIGHT: the price of the option offered.' })
  price(@Root() rule: FreightRuleEntity): Money | null {
    return rule.priceCents == null ? null : money(rule.priceCents);
  }

  @FieldResolver(() => [PostalCodeRangeType], { nullable: true, description: 'Destinations covered; null means every destination.' })
  postalCodeRanges(@Root() rule: FreightRuleEntity): PostalCodeRangeType[] | null {
    return rule.postalCodeRanges?.map((r) => ({ from: formatCep(r.from), to: formatCep(r.to) })) ?? null;
  }

  @Mutation(() => FreightRulePayload, { description: 'Adds a free-shipping or custom-freight rule. Operator owners and admins.' })
  createFreightRule(@Arg('input', () => CreateFreightRuleInput, { description: 'The new rule; `kind` and `name` are required, the rest depends on the kind.' }) input: CreateFreightRuleInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ freightRule: await rules.createFreightRule(ctx, em, input) }));
  }

  @Mutation(() => FreightRulePayload, { description: 'Changes a freight rule. Operator owners and admins.' })
  updateFreightRule(@Arg('id', () => ID, { description: 'Id of the rule to change.' }) id: string, @Arg('input', () => UpdateFreightRuleInput, { description: 'The fields to change; unset fields stay, null clears an optional condition.' }) input: UpdateFreightRuleInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ freightRule: await rules.updateFreightRule(ctx, em, id, input) }));
  }

  @Mutation(() => DeleteFreightRulePayload, { description: 'Deletes a freight rule; quotes stop applying it at once. Operator owners and admins.' })
  deleteFreightRule(@Arg('id', () => ID, { description: 'Id of the rule to delete.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ deletedFreightRule: await rules.deleteFreightRule(ctx, em, id) }));
  }
}

@Resolver(() => ShippingSettingsType)
export class ShippingSettingsResolver {
  @Query(() => ShippingSettingsType, { description: 'Operator staff: the store origin and the carrier timeout.' })
  shippingSettings(@Ctx() ctx: Context) {
    return rules.readShippingSettings(ctx);
  }

  @FieldResolver(() => String, { description: 'The store origin CEP, "01310-100".' })
  originPostalCode(@Root() settings: ShippingSettings) {
    return formatCep(settings.originPostalCode);
  }

  @Query(() => ShippingQuoteType, {
    description:
      'Operator staff: quotes a hypothetical cart exactly as checkout would (tables, carriers, contingency, rules), failures included. ' +
      'NO_FREIGHT_AVAILABLE when nothing ships it.',
  })
  async shippingQuotePreview(@Arg('input', () => ShippingQuotePreviewInput, { description: 'The destination, weight and merchandise of the cart to quote.' }) input: ShippingQuotePreviewInput, @Ctx() ctx: Context) {
    tables.assertShippingReader(ctx.viewer);
    const quote = await quoteForCart(
      ctx.runtime,
      ctx.em,
      {
        destinationPostalCode: input.destinationPostalCode,
        weightGrams: input.weightGrams,
        merchandiseCents: input.merchandiseCents ?? 0,
        hasGuestSellerItems: input.hasGuestSellerItems ?? false,
      },
      ['input', 'destinationPostalCode'],
    );
    return toShippingQuoteType(quote);
  }

  @Mutation(() => ShippingSettingsPayload, { description: 'Changes the store origin or the carrier timeout. Operator owners and admins.' })
  updateShippingSettings(@Arg('input', () => ShippingSettingsInput, { description: 'The settings to change; unset fields stay as they are.' }) input: ShippingSettingsInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ shippingSettings: await rules.updateShippingSettings(ctx, em, input) }));
  }
}
