import { allow } from 'graphql-shield';
import { accessRules, operator, viewerRule } from '../../shared/access/index.js';
import { RETURNS_ACCESS } from './returns.access.js';
import { ReturnAction, viewerMayEverReturn } from './return-state.js';

const allowed = accessRules('returns', RETURNS_ACCESS);

/** A mutation's shield rule: the callers on its rows of the return transition table, by kind and role. */
const may = (action: ReturnAction, words: string) => viewerRule(`returns.${action}`, (v) => viewerMayEverReturn(action, v) || words);
const sellerSide = "Only the order's seller (owner, customer service, its integration) and operator staff";

/** Who acted exactly and their note: operator staff. */
const historyDetail = operator();

export const returnRules = {
  // return(code) answers null for a return the caller may not see.
  Query: { return: allow, returns: allowed.listReturns },
  Mutation: {
    // Anonymous callers and customers pass (a signed order link, checked against its order by the service).
    openReturn: may(ReturnAction.OPEN, "Only the order's customer (or whoever holds its signed link), the seller's owner and customer-service users and operator staff open returns."),
    approveReturn: may(ReturnAction.APPROVE, `${sellerSide} approve returns.`),
    rejectReturn: may(ReturnAction.REJECT, `${sellerSide} reject returns.`),
    setReturnTracking: may(ReturnAction.TRACK, `${sellerSide} give return tracking.`),
    receiveReturn: may(ReturnAction.RECEIVE, `${sellerSide} receive returns.`),
    refundReturn: may(ReturnAction.REFUND, `${sellerSide} refund returns.`),
    exchangeReturn: may(ReturnAction.EXCHANGE, `${sellerSide} exchange returns.`),
  },
  // Reached only through return(code), returns, a mutation's payload or Order.returns, each of which shows only returns the caller may see.
  Return: { '*': allow },
  ReturnLine: { '*': allow },
  ReturnTracking: { '*': allow },
  ReturnStatusChange: { '*': allow, actorRole: historyDetail, actorUserId: historyDetail, actorIntegrationId: historyDetail, note: historyDetail },
};
