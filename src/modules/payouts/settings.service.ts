import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import type { Context } from '../../shared/runtime/index.js';
import { assertMay } from '../../shared/access/index.js';
import { Validation } from '../../shared/errors/index.js';
import { isTimeZone } from '../../shared/time/index.js';
import { ChargebackBearer, MarketplaceSettings, PayoutFrequency, SettlementBasis, getSettings } from '../sellers/index.js';
import { PAYOUTS_ACCESS } from './payouts.access.js';

export interface PayoutSettingsInput {
  settlementBasis?: SettlementBasis | null;
  settlementDays?: number | null;
  settlementFallbackDays?: number | null;
  returnWindowDays?: number | null;
  payoutFrequency?: PayoutFrequency | null;
  payoutWeekday?: number | null;
  payoutMonthDay?: number | null;
  timeZone?: string | null;
  chargebackBearer?: ChargebackBearer | null;
}

/** The settlement rule and payout calendar (stored with the store settings). */
export async function readPayoutSettings(ctx: Context): Promise<MarketplaceSettings> {
  assertMay(ctx.viewer, PAYOUTS_ACCESS.readPayouts);
  return getSettings(ctx.em);
}

const days = (v: number) => Number.isInteger(v) && v >= 0 && v <= 365;

/**
 * Changes the rule for what happens next: receivables already dated keep their dates (a date
 * never moves later), chargebacks already booked keep their bearer.
 */
export async function updatePayoutSettings(ctx: Context, em: EntityManager, input: PayoutSettingsInput): Promise<MarketplaceSettings> {
  assertMay(ctx.viewer, PAYOUTS_ACCESS.manageSettings);
  const v = new Validation();
  for (const key of ['settlementDays', 'settlementFallbackDays', 'returnWindowDays'] as const) {
    if (input[key] != null) v.check(days(input[key]!), 'A number of days from 0 to 365.', ['input', key]);
  }
  if (input.payoutWeekday != null) v.check(Number.isInteger(input.payoutWeekday) && input.payoutWeekday >= 1 && input.payoutWeekday <= 7, 'An ISO weekday: 1 (Monday) to 7 (Sunday).', ['input', 'payoutWeekday']);
  if (input.payoutMonthDay != null) v.check(Number.isInteger(input.payoutMonthDay) && input.payoutMonthDay >= 1 && input.payoutMonthDay <= 31, 'A day of the month, 1 to 31 (shorter months pay on their last day).', ['input', 'payoutMonthDay']);
  if (input.timeZone != null) v.check(isTimeZone(input.timeZone.trim()), 'An IANA time zone, e.g. America/Sao_Paulo.', ['input', 'timeZone']);
  v.throwIfAny();
  const s = await em.findOneOrFail(MarketplaceSettings, { id: 1 }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (input.settlementBasis != null) s.settlementBasis = input.settlementBasis;
  if (input.settlementDays != null) s.settlementDays = input.settlementDays;
  if (input.settlementFallbackDays != null) s.settlementFallbackDays = input.settlementFallbackDays;
  if (input.returnWindowDays != null) s.returnWindowDays = input.returnWindowDays;
  if (input.payoutFrequency != null) s.payoutFrequency = input.payoutFrequency;
  if (input.payoutWeekday != null) s.payoutWeekday = input.payoutWeekday;
  if (input.payoutMonthDay != null) s.payoutMonthDay = input.payoutMonthDay;
  if (input.timeZone != null) s.timeZone = input.timeZone.trim();
  if (input.chargebackBearer != null) s.chargebackBearer = input.chargebackBearer;
  return s;
}
