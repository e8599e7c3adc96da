// Returns and exchanges of delivered orders (design.md, "Orders after checkout"): their own
// state machine, services by use case, the buyer's e-mails read from their domain events.
import { Return, ReturnLine, ReturnStatusChange } from './returns.entity.js';
import { OrderReturnsResolver, ReturnResolver } from './returns.resolver.js';
import { returnRules as rules } from './returns.rules.js';

export const returnResolvers = [ReturnResolver, OrderReturnsResolver] as const;
export const returnRules: Record<string, Record<string, unknown>> = rules;
export const returnEntities = [Return, ReturnLine, ReturnStatusChange] as const;

export { Return, ReturnLine, ReturnStatusChange, ReturnStatus, ReturnReason } from './returns.entity.js';
export { ReturnAction, RETURN_TRANSITIONS, RETURN_ROLES, renderReturnTransitionsMarkdown, viewerMayEverReturn } from './return-state.js';
/** The buyer's return and exchange e-mails: an EventConsumer for src/app/wiring.ts. */
export { returnEmailConsumer, RETURN_EVENT_TYPES } from './returns.emails.js';
