import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionType } from '../../shared/pagination/index.js';
import { UserRole } from '../../shared/access/index.js';

export enum ViewerKind {
  ANONYMOUS = 'ANONYMOUS',
  CUSTOMER = 'CUSTOMER',
  OPERATOR = 'OPERATOR',
  SELLER = 'SELLER',
  INTEGRATION = 'INTEGRATION',
}
registerEnumType(ViewerKind, { name: 'ViewerKind' });

@ObjectType('User', { description: 'An account: a customer, operator staff or a guest seller\'s user.' })
export class UserType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => UserRole, { nullable: true, description: 'Null for customers.' })
  role?: UserRole | null;

  @Field(() => Boolean)
  active!: boolean;

  @Field(() => DateTimeResolver, { nullable: true })
  lastLoginAt?: Date | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;
}

export const UserConnection = ConnectionType('User', UserType);

@ObjectType('Viewer', { description: 'Who is calling.' })
export class ViewerType {
  @Field(() => ViewerKind)
  kind!: ViewerKind;

  @Field(() => UserRole, { nullable: true })
  role?: UserRole | null;
}

@ObjectType()
export class AuthPayload {
  @Field(() => String, { nullable: true, description: 'Bearer token for the Authorization header. Shown once.' })
  token?: string;

  @Field(() => DateTimeResolver, { nullable: true })
  expiresAt?: Date;

  @Field(() => UserType, { nullable: true })
  user?: UserType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class OkPayload {
  @Field(() => Boolean)
  ok!: boolean;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@InputType()
export class LoginInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;
}

@InputType()
export class SignUpInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;

  @Field(() => String)
  name!: string;
}

@InputType({ description: 'The token of an e-mailed sign-up verification link.' })
export class VerifyEmailInput {
  @Field(() => String, { description: 'The token from the verification link (the `token` query parameter, or the "Token:" line of the e-mail).' })
  token!: string;
}

@InputType()
export class ResetPasswordInput {
  @Field(() => String, { description: 'The token from the e-mailed link.' })
  token!: string;

  @Field(() => String)
  password!: string;
}

@InputType()
export class CreateSellerUserInput {
  @Field(() => ID)
  sellerId!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => UserRole)
  role!: UserRole;

  @Field(() => String, { nullable: true, description: 'Omitted: the user is e-mailed a link to choose one.' })
  password?: string;
}

@ObjectType()
export class CreateSellerUserPayload {
  @Field(() => UserType, { nullable: true })
  user?: UserType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
