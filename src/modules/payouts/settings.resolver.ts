import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { readPayoutSettings, updatePayoutSettings } from './settings.service.js';
import { PayoutSettingsPayload, PayoutSettingsType, UpdatePayoutSettingsInput } from './settings.types.js';

@Resolver(() => PayoutSettingsType)
export class PayoutSettingsResolver {
  @Query(() => PayoutSettingsType, { description: "The store's settlement rule and payout calendar. Operator staff, seller owners/finance users and integrations." })
  payoutSettings(@Ctx() ctx: Context) {
    return readPayoutSettings(ctx);
  }

  @Mutation(() => PayoutSettingsPayload, { description: 'Changes the settlement rule, the payout calendar, the time zone or the chargeback bearer. Operator owners and admins.' })
  updatePayoutSettings(@Arg('input', () => UpdatePayoutSettingsInput, { description: 'The settings to change; unset fields stay as they are.' }) input: UpdatePayoutSettingsInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ payoutSettings: await updatePayoutSettings(ctx, em, input) }));
  }
}
