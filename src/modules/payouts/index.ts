// Receivables, payout runs and transfers, chargebacks' effect on sellers, adjustments and
// statements. Other modules reach it only through here; src/app wires its pieces in.
import { Chargeback, ChargebackShare } from './chargebacks.entity.js';
import { Payout, PayoutItem, PayoutRun } from './payouts.entity.js';
import { Receivable, SellerAdjustment } from './receivables.entity.js';
import { ReceivableResolver } from './receivables.resolver.js';
import { PayoutResolver, PayoutRunResolver } from './payouts.resolver.js';
import { PayoutCalendarResolver, StatementResolver } from './statements.resolver.js';
import { ChargebackResolver, SellerAdjustmentResolver } from './chargebacks.resolver.js';
import { PayoutSettingsResolver } from './settings.resolver.js';
import { payoutsRules as rules } from './payouts.rules.js';

export const payoutResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [
  ReceivableResolver,
  PayoutResolver,
  PayoutRunResolver,
  StatementResolver,
  PayoutCalendarResolver,
  ChargebackResolver,
  SellerAdjustmentResolver,
  PayoutSettingsResolver,
];
export const payoutRules: Record<string, Record<string, unknown>> = rules;
export const payoutEntities: readonly (abstract new (...args: never[]) => unknown)[] = [Receivable, SellerAdjustment, PayoutRun, Payout, PayoutItem, Chargeback, ChargebackShare];

// Wiring (src/app): the transfer provider, the chargeback reaction, the receivables consumer, routes and jobs.
export { TRANSFER_PROVIDER, ManualTransferProvider, TransferRejectedError, TransferUncertainError, TransferWebhookError, type TransferProvider, type TransferSnapshot, type TransferRequest } from './transfer.provider.js';
export { AsaasTransferProvider, ASAAS_PRODUCTION, ASAAS_SANDBOX, pixKeyType } from './asaas.provider.js';
export { loadPayoutsConfig, createTransferProvider, PAYOUT_SETTINGS, payoutSettings, PayoutConfigError, type PayoutsConfig } from './payouts.config.js';
export { payoutChargebacks } from './chargebacks.service.js';
export { receivablesConsumer, syncOrderReceivable } from './receivables.service.js';
export { payoutRoutes, TRANSFER_WEBHOOK_PREFIX } from './payouts.routes.js';
export { runPayouts, CALENDAR_ACTOR } from './payout-run.service.js';
export { reconcileTransfers, submitTransfer } from './transfers.service.js';
export { computeBalance, type SellerBalanceView } from './balance.service.js';
export { buildStatement, statementCsv, STATEMENT_CSV_COLUMNS, MovementType, type Statement, type Movement } from './statements.service.js';
export { availableOnFor, isPeriodEnd, lastPeriodEnd, periodEndsAfter, payoutCalendarOf, settlementRuleOf, type PayoutCalendar, type SettlementRule } from './settlement.js';
export { Payout, PayoutItem, PayoutRun, PayoutRunTrigger, PayoutStatus, TransferState } from './payouts.entity.js';
export { Receivable, ReceivableKind, ReceivableStatus, SellerAdjustment } from './receivables.entity.js';
export { Chargeback, ChargebackShare, ChargebackStatus } from './chargebacks.entity.js';
export { storeSettingsOf } from './scope.js';
