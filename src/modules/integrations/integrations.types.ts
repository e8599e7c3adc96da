import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionType } from '../../shared/pagination/index.js';

/** An ERP integration as GraphQL shows it; the token hash is never exposed. */
@ObjectType('Integration', { description: 'An ERP integration: a bearer token that acts for one seller (or for the admin seller when unlinked). The token itself is never readable again after creation.' })
export class IntegrationType {
  @Field(() => ID, { description: 'Opaque id of the integration.' })
  id!: string;

  @Field(() => String, { description: 'The name given at creation.' })
  name!: string;

  @Field(() => String, { description: "The token's first characters (mki_ and a random handle), to tell tokens apart; no part of its secret." })
  tokenPrefix!: string;

  @Field(() => Boolean, {
    description: 'May create and change store attributes. Always false for integrations of guest sellers.',
  })
  canWriteAttributes!: boolean;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When a request last came with this token (ISO 8601, UTC). Null if never used.' })
  lastUsedAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the token was revoked (ISO 8601, UTC); a revoked token is refused. Null while active.' })
  revokedAt?: Date | null;

  @Field(() => DateTimeResolver, { description: 'When the integration was created (ISO 8601, UTC).' })
  createdAt!: Date;
}

export const IntegrationConnection = ConnectionType('Integration', IntegrationType);

@InputType({ description: 'A new ERP integration.' })
export class CreateIntegrationInput {
  @Field(() => String, { description: 'A name to recognise the integration by, e.g. the ERP\'s name; not empty.' })
  name!: string;

  @Field(() => ID, { nullable: true, description: 'The seller it acts for; omitted, it acts for the admin seller.' })
  sellerId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Defaults to true where allowed (admin-linked and unlinked).' })
  canWriteAttributes?: boolean;
}

@InputType({ description: 'Changes to an integration\'s permissions.' })
export class UpdateIntegrationPermissionsInput {
  @Field(() => ID, { description: 'Id of the integration.' })
  id!: string;

  @Field(() => Boolean, { description: 'Whether the integration may create and change store attributes (categories, brands, colours, sizes, tags). Setting true on a guest seller\'s integration is FORBIDDEN.' })
  canWriteAttributes!: boolean;
}

@ObjectType({ description: 'Result of createIntegration: the integration and its token, shown only here.' })
export class CreateIntegrationPayload {
  @Field(() => IntegrationType, { nullable: true, description: 'The new integration. Null when refused.' })
  integration?: IntegrationType;

  @Field(() => String, { nullable: true, description: 'The bearer token. Shown only here, once; store it safely.' })
  token?: string;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was created when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a mutation on an integration.' })
export class IntegrationPayload {
  @Field(() => IntegrationType, { nullable: true, description: 'The integration as it is after the change. Null when refused.' })
  integration?: IntegrationType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}
