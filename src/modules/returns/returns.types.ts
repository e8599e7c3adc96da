import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionArgs, ConnectionType } from '../../shared/pagination/index.js';
import { UserRole } from '../../shared/access/index.js';
import { OrderActorKind } from '../orders/index.js';
import { ReturnReason, ReturnStatus } from './returns.entity.js';
import { ReturnAction } from './return-state.js';

registerEnumType(ReturnStatus, {
  name: 'ReturnStatus',
  description: 'Where a return stands: REQUESTED → APPROVED | REJECTED, APPROVED → RECEIVED → REFUNDED | EXCHANGED.',
  valuesConfig: {
    REQUESTED: { description: 'Opened; the seller or the store decides.' },
    APPROVED: { description: 'Accepted; the items are on their way back.' },
    REJECTED: { description: 'Refused, with a reason; nothing moves.' },
    RECEIVED: { description: 'The items arrived; resellable units are back in stock.' },
    REFUNDED: { description: 'The returned units\' merchandise − discount went back to the buyer.' },
    EXCHANGED: { description: 'A replacement order was placed instead (a cheaper one refunds the difference).' },
  },
});
registerEnumType(ReturnReason, {
  name: 'ReturnReason',
  description: 'Why the buyer sends the items back.',
  valuesConfig: {
    REGRET: { description: 'Changed their mind (right of withdrawal, CDC art. 49).' },
    DAMAGED: { description: 'Arrived damaged.' },
    DEFECTIVE: { description: 'Does not work.' },
    WRONG_ITEM: { description: 'Not the item ordered.' },
    NOT_AS_DESCRIBED: { description: 'Differs from its description.' },
    DOES_NOT_FIT: { description: 'Size or colour does not fit.' },
    OTHER: { description: 'Another reason, told in the description.' },
  },
});
registerEnumType(ReturnAction, {
  name: 'ReturnAction',
  description: 'What moved a return (a row of the returns module\'s transition table).',
  valuesConfig: {
    OPEN: { description: 'The return was opened.' },
    APPROVE: { description: 'The seller or the store accepted it.' },
    REJECT: { description: 'The seller or the store refused it.' },
    TRACK: { description: 'Reverse-logistics tracking given; the status stays.' },
    RECEIVE: { description: 'The items arrived.' },
    REFUND: { description: 'The money went back to the buyer.' },
    EXCHANGE: { description: 'A replacement order was placed.' },
  },
});

@ObjectType('Return', { description: 'A return of lines and units of one delivered order, coded `[<concat>-]R<n>`.' })
export class ReturnType {
  @Field(() => ID, { description: 'The return\'s id.' }) id!: string;
  @Field(() => String, { description: '`[<concat>-]R<n>`: the concatenation code of the order\'s seller, then the store-wide return number.' }) code!: string;
  @Field(() => ReturnStatus, { description: 'Where it stands.' }) status!: ReturnStatus;
  @Field(() => ReturnReason, { description: 'Why the items go back.' }) reason!: ReturnReason;
  @Field(() => String, { nullable: true, description: 'The opener\'s own words.' }) description!: string | null;
  @Field(() => String, { nullable: true, description: 'Why it was rejected.' }) rejectionReason!: string | null;
  @Field(() => DateTimeResolver, { description: 'When it was opened.' }) openedAt!: Date;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was approved or rejected.' }) decidedAt!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When the items arrived.' }) receivedAt!: Date | null;
  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was refunded or exchanged.' }) closedAt!: Date | null;
}

@ObjectType('ReturnLine', { description: 'Units of one order line in a return.' })
export class ReturnLineType {
  @Field(() => Int, { description: 'The order line\'s position.' }) position!: number;
  @Field(() => String, { description: 'Displayed SKU code; an ERP integration reads its raw code.' }) skuCode!: string;
  @Field(() => String, { description: 'The product\'s name at checkout.' }) productName!: string;
  @Field(() => Int, { description: 'Units returned.' }) quantity!: number;
  @Field(() => Int, { nullable: true, description: 'Units received fit to sell again (restocked); null until received.' }) resellableQuantity!: number | null;
}

@ObjectType('ReturnTracking', { description: 'Reverse logistics: how the items travel back.' })
export class ReturnTrackingType {
  @Field(() => String, { description: 'The carrier bringing the items back, e.g. "Correios".' }) carrier!: string;
  @Field(() => String, { description: 'The tracking code.' }) code!: string;
  @Field(() => String, { nullable: true, description: 'Where to follow it.' }) url!: string | null;
}

@ObjectType('ReturnStatusChange', { description: 'One change of a return, recorded with it. Operator staff also read who exactly acted and the note.' })
export class ReturnStatusChangeType {
  @Field(() => ReturnStatus, { nullable: true, description: 'The status before; null for the opening.' }) from!: ReturnStatus | null;
  @Field(() => ReturnStatus, { description: 'The status after.' }) to!: ReturnStatus;
  @Field(() => ReturnAction, { description: 'What moved the return.' }) action!: ReturnAction;
  @Field(() => OrderActorKind, { description: 'Who moved it.' }) actorKind!: OrderActorKind;
  @Field(() => String, { description: 'Who moved it, in words ("customer", "shopper (order link)", "seller <name>", "store staff"…); never a person\'s name.' }) actorLabel!: string;
  @Field(() => UserRole, { nullable: true, description: 'Operator staff only: the role of the user who acted.' }) actorRole!: UserRole | null;
  @Field(() => ID, { nullable: true, description: 'Operator staff only: the user who acted.' }) actorUserId!: string | null;
  @Field(() => ID, { nullable: true, description: 'Operator staff only: the integration that acted.' }) actorIntegrationId!: string | null;
  @Field(() => String, { nullable: true, description: 'Operator staff only: the actor\'s words.' }) note!: string | null;
  @Field(() => DateTimeResolver, { description: 'When it changed.' }) at!: Date;
}

export const ReturnConnection = ConnectionType('Return', ReturnType);

@ArgsType()
export class ReturnListArgs extends ConnectionArgs {
  @Field(() => ReturnStatus, { nullable: true, description: 'Only returns in this status.' })
  status?: ReturnStatus;

  @Field(() => String, { nullable: true, description: 'Only the returns of this order (its full code).' })
  orderCode?: string;

  @Field(() => ID, { nullable: true, description: 'Operator staff: one seller\'s returns. Others: only their own seller (FORBIDDEN otherwise).' })
  sellerId?: string;
}

@InputType({ description: 'Units of an order line to return.' })
export class ReturnLineInput {
  @Field(() => Int, { description: 'The order line\'s position (OrderLine.position).' }) position!: number;
  @Field(() => Int, { description: 'Units to return.' }) quantity!: number;
}

@InputType({ description: 'Opens a return. Name the order by its code (signed in) or by the token of its signed link (from the order\'s e-mails), one of the two.' })
export class OpenReturnInput {
  @Field(() => String, { nullable: true, description: 'The order\'s full code.' }) orderCode?: string;
  @Field(() => String, { nullable: true, description: 'The token of the order\'s signed link: opens a return of that order only, without signing in.' }) orderLinkToken?: string;
  @Field(() => [ReturnLineInput], { description: 'Lines and units to return (1 to 100 lines).' }) lines!: ReturnLineInput[];
  @Field(() => ReturnReason, { description: 'Why the items go back; OTHER needs the description.' }) reason!: ReturnReason;
  @Field(() => String, { nullable: true, description: 'More words about it (up to 2,000 characters).' }) description?: string;
}

@InputType({ description: 'Accepts a requested return.' })
export class ApproveReturnInput {
  @Field(() => String, { description: 'The return\'s code.' }) returnCode!: string;
  @Field(() => String, { nullable: true, description: 'A note for the history (operator staff read it).' }) note?: string;
}

@InputType({ description: 'Refuses a requested return.' })
export class RejectReturnInput {
  @Field(() => String, { description: 'The return\'s code.' }) returnCode!: string;
  @Field(() => String, { description: 'Why, in words the buyer reads.' }) reason!: string;
}

@InputType({ description: 'Reverse-logistics tracking of an approved return.' })
export class SetReturnTrackingInput {
  @Field(() => String, { description: 'The return\'s code.' }) returnCode!: string;
  @Field(() => String, { description: 'The carrier bringing the items back, e.g. "Correios".' }) carrier!: string;
  @Field(() => String, { description: 'The tracking (or reverse-posting authorization) code.' }) trackingCode!: string;
  @Field(() => String, { nullable: true, description: 'Where to follow it.' }) trackingUrl?: string;
}

@InputType({ description: 'How many units of a returned line arrived fit to sell again.' })
export class ReceivedLineInput {
  @Field(() => Int, { description: 'The order line\'s position.' }) position!: number;
  @Field(() => Int, { description: 'Units to put back in stock (0 to the units returned).' }) resellableQuantity!: number;
}

@InputType({ description: 'The items of an approved return arrived.' })
export class ReceiveReturnInput {
  @Field(() => String, { description: 'The return\'s code.' }) returnCode!: string;
  @Field(() => [ReceivedLineInput], { nullable: true, description: 'Per line, the resellable units; lines left out are wholly resellable.' }) lines?: ReceivedLineInput[];
  @Field(() => String, { nullable: true, description: 'A note for the history.' }) note?: string;
}

@InputType({ description: 'Refunds a received return.' })
export class RefundReturnInput {
  @Field(() => String, { description: 'The return\'s code.' }) returnCode!: string;
  @Field(() => Boolean, { nullable: true, description: 'Operator staff only: also give back the order\'s freight share not refunded yet.' }) refundFreight?: boolean;
  @Field(() => String, { description: 'Same key ⇒ same result; the refund happens once.' }) idempotencyKey!: string;
}

@InputType({ description: 'A replacement item: a SKU of the original order\'s seller.' })
export class ReplacementLineInput {
  @Field(() => String, { description: 'Displayed SKU code; an ERP integration sends its raw code.' }) skuCode!: string;
  @Field(() => Int, { description: 'Units, 1 to 1000.' }) quantity!: number;
}

@InputType({ description: 'Ends a received return in an exchange: a replacement order of the same seller.' })
export class ExchangeReturnInput {
  @Field(() => String, { description: 'The return\'s code.' }) returnCode!: string;
  @Field(() => [ReplacementLineInput], { description: 'The replacement items, at today\'s prices worth at most the returned items\' frozen merchandise.' }) lines!: ReplacementLineInput[];
  @Field(() => String, { description: 'Same key ⇒ same result; the replacement is placed once.' }) idempotencyKey!: string;
}

@ObjectType({ description: 'A return after a change.' })
export class ReturnPayload {
  @Field(() => ReturnType, { name: 'return', nullable: true, description: 'The return as it is now.' })
  ret?: unknown;

  @Field(() => [UserError], { description: 'What was refused; nothing changed when not empty.' })
  userErrors!: UserError[];
}
