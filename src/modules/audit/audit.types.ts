import { ArgsType, Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeResolver, JSONObjectResolver } from 'graphql-scalars';
import { ConnectionArgs, ConnectionType } from '../../shared/pagination/index.js';

@ObjectType('AuditActor', { description: 'Who made a change.' })
export class AuditActorType {
  @Field(() => String, { description: 'OPERATOR (store staff), SELLER (a seller\'s user), CUSTOMER, INTEGRATION (an ERP token), ANONYMOUS (a shopper without an account) or SYSTEM (a job or a provider\'s notification).' })
  kind!: string;

  @Field(() => ID, { nullable: true, description: 'The user\'s or integration\'s id.' })
  id!: string | null;

  @Field(() => String, { nullable: true, description: 'The user\'s or integration\'s name, or the part of the system.' })
  name!: string | null;

  @Field(() => ID, { nullable: true, description: "Set when operator staff changed a guest seller's data: the seller they acted for." })
  actingForSellerId!: string | null;
}

@ObjectType('AuditEntry', { description: 'One change to a seller, user, integration, product, SKU (price, stock), order, return, payout, commission rule, promotion, webhook or the store settings. Secrets never appear: they read "[redacted]".' })
export class AuditEntryType {
  @Field(() => ID, { description: 'The entry\'s id.' })
  id!: string;

  @Field(() => DateTimeResolver, { description: 'When the change was made (its transaction\'s time).' })
  at!: Date;

  @Field(() => AuditActorType, { description: 'Who made it.' })
  actor!: AuditActorType;

  @Field(() => String, { description: 'CREATE, UPDATE or DELETE.' })
  action!: string;

  @Field(() => String, { description: 'What kind of thing changed: seller, settings, user, integration, catalog_integration, product, sku, order, return, payout, adjustment, commission_rule, promotion or webhook_subscription.' })
  entityType!: string;

  @Field(() => ID, { description: 'Id of the changed seller, user, product, SKU, order … (the settings row is `1`).' })
  entityId!: string;

  @Field(() => String, { nullable: true, description: 'The code people know it by (product, SKU, order or return code; a user\'s e-mail), when it has one.' })
  entityCode!: string | null;

  @Field(() => ID, { nullable: true, description: 'The seller whose data it is; null for store-wide things.' })
  sellerId!: string | null;

  @Field(() => JSONObjectResolver, { description: 'Each changed field with its value `before` and `after` (before is null on CREATE, after on DELETE).' })
  changes!: Record<string, unknown>;
}

export const AuditEntryConnection = ConnectionType('AuditEntry', AuditEntryType);

@InputType({ description: 'Narrows the audit log; every filter given must hold.' })
export class AuditLogFilter {
  @Field(() => ID, { nullable: true, description: "Operator staff: one seller's entries. A seller's owner always reads its own." })
  sellerId?: string | null;

  @Field(() => String, { nullable: true, description: 'One kind of thing (e.g. `sku`, `order`, `settings`).' })
  entityType?: string | null;

  @Field(() => ID, { nullable: true, description: 'One thing, by id.' })
  entityId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Changes made by this user or integration.' })
  actorId?: string | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Changes at or after this time.' })
  from?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Changes before this time.' })
  to?: Date | null;
}

@ArgsType()
export class AuditLogArgs extends ConnectionArgs {
  @Field(() => AuditLogFilter, { nullable: true, description: 'What to read; omitted, everything the caller may see.' })
  filter?: AuditLogFilter | null;
}
