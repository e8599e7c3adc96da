import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionType } from '../../shared/pagination/index.js';

/** An ERP integration as GraphQL shows it; the token hash is never exposed. */
@ObjectType('Integration')
export class IntegrationType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'First characters of the token, to tell tokens apart.' })
  tokenPrefix!: string;

  @Field(() => Boolean, {
    description: 'May create and change store attributes. Always false for integrations of guest sellers.',
  })
  canWriteAttributes!: boolean;

  @Field(() => DateTimeResolver, { nullable: true })
  lastUsedAt?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  revokedAt?: Date | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

export const IntegrationConnection = ConnectionType('Integration', IntegrationType);

@InputType()
export class CreateIntegrationInput {
  @Field(() => String)
  name!: string;

  @Field(() => ID, { nullable: true, description: 'The seller it acts for; omitted, it acts for the admin seller.' })
  sellerId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Defaults to true where allowed (admin-linked and unlinked).' })
  canWriteAttributes?: boolean;
}

@InputType()
export class UpdateIntegrationPermissionsInput {
  @Field(() => ID)
  id!: string;

  @Field(() => Boolean)
  canWriteAttributes!: boolean;
}

@ObjectType()
export class CreateIntegrationPayload {
  @Field(() => IntegrationType, { nullable: true })
  integration?: IntegrationType;

  @Field(() => String, { nullable: true, description: 'The bearer token. Shown only here, once; store it safely.' })
  token?: string;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class IntegrationPayload {
  @Field(() => IntegrationType, { nullable: true })
  integration?: IntegrationType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
