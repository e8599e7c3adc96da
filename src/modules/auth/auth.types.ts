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
registerEnumType(ViewerKind, {
  name: 'ViewerKind',
  description: 'What kind of caller a request comes from, decided by its bearer token.',
  valuesConfig: {
    ANONYMOUS: { description: 'No token: a storefront shopper (a cart is reached by its cart token).' },
    CUSTOMER: { description: 'A signed-in customer.' },
    INTEGRATION: { description: 'An ERP integration\'s token.' },
    OPERATOR: { description: 'A user of the admin seller: operator staff.' },
    SELLER: { description: 'A user of a guest seller.' },
  },
});

@ObjectType('User', { description: 'An account: a customer, operator staff or a guest seller\'s user.' })
export class UserType {
  @Field(() => ID, { description: 'Opaque id of the account.' })
  id!: string;

  @Field(() => String, { description: 'E-mail used to sign in, lower-cased.' })
  email!: string;

  @Field(() => String, { description: 'The user\'s name.' })
  name!: string;

  @Field(() => UserRole, { nullable: true, description: 'Null for customers.' })
  role?: UserRole | null;

  @Field(() => Boolean, { description: 'False when the account was deactivated; it can no longer sign in.' })
  active!: boolean;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the user last signed in (ISO 8601, UTC). Null if never.' })
  lastLoginAt?: Date | null;

  @Field(() => DateTimeResolver, { description: 'When the account was created (ISO 8601, UTC).' })
  createdAt!: Date;
}

export const UserConnection = ConnectionType('User', UserType);

@ObjectType('Viewer', { description: 'Who is calling.' })
export class ViewerType {
  @Field(() => ViewerKind, { description: 'What kind of caller this is.' })
  kind!: ViewerKind;

  @Field(() => UserRole, { nullable: true, description: 'The signed-in staff or seller user\'s role. Null for customers, integrations and anonymous callers.' })
  role?: UserRole | null;
}

@ObjectType({ description: 'Result of signing in, signing up or resetting a password.' })
export class AuthPayload {
  @Field(() => String, { nullable: true, description: 'Bearer token for the Authorization header. Shown once.' })
  token?: string;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the session token stops working (ISO 8601, UTC); sessions last SESSION_TTL_HOURS (a week by default). Null when refused.' })
  expiresAt?: Date;

  @Field(() => UserType, { nullable: true, description: 'The signed-in account. Null when refused.' })
  user?: UserType;

  @Field(() => [UserError], { description: 'Why the request was refused (a wrong e-mail or password is UNAUTHENTICATED); empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of a mutation that returns nothing but success.' })
export class OkPayload {
  @Field(() => Boolean, { description: 'True when the request was accepted.' })
  ok!: boolean;

  @Field(() => [UserError], { description: 'Why the request was refused; empty on success.' })
  userErrors!: UserError[];
}

@InputType({ description: 'Credentials of an account.' })
export class LoginInput {
  @Field(() => String, { description: 'The account\'s e-mail, in any letter case.' })
  email!: string;

  @Field(() => String, { description: 'The account\'s password.' })
  password!: string;
}

@InputType({ description: 'A new customer account.' })
export class SignUpInput {
  @Field(() => String, { description: 'The customer\'s e-mail, used to sign in; unique, stored lower-cased.' })
  email!: string;

  @Field(() => String, { description: 'The password, at least 10 characters.' })
  password!: string;

  @Field(() => String, { description: 'The customer\'s name.' })
  name!: string;
}

@InputType({ description: 'The token of an e-mailed sign-up verification link.' })
export class VerifyEmailInput {
  @Field(() => String, { description: 'The token from the verification link (the `token` query parameter, or the "Token:" line of the e-mail).' })
  token!: string;
}

@InputType({ description: 'A password reset from the e-mailed link.' })
export class ResetPasswordInput {
  @Field(() => String, { description: 'The token from the e-mailed link.' })
  token!: string;

  @Field(() => String, { description: 'The new password, at least 10 characters.' })
  password!: string;
}

@InputType({ description: 'A new user of a seller: a guest seller\'s user, or operator staff when the seller is the admin seller.' })
export class CreateSellerUserInput {
  @Field(() => ID, { description: 'Id of the seller the user works for. A seller\'s owner may pass only its own seller.' })
  sellerId!: string;

  @Field(() => String, { description: 'The user\'s e-mail, used to sign in; unique over all accounts, stored lower-cased.' })
  email!: string;

  @Field(() => String, { description: 'The user\'s name, as colleagues see it.' })
  name!: string;

  @Field(() => UserRole, { description: 'The user\'s role: OWNER, FINANCE, CATALOG or SERVICE for a guest seller; OWNER, ADMIN, AGENT or SUPPORT for operator staff.' })
  role!: UserRole;

  @Field(() => String, { nullable: true, description: 'Omitted: the user is e-mailed a link to choose one.' })
  password?: string;
}

@ObjectType({ description: 'Result of createSellerUser.' })
export class CreateSellerUserPayload {
  @Field(() => UserType, { nullable: true, description: 'The new user. Null when refused.' })
  user?: UserType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was created when it is not empty.' })
  userErrors!: UserError[];
}

@InputType({ description: "A change to a seller's user by its owner (operator owners/admins for any seller). Fields left out stay as they are." })
export class UpdateSellerUserInput {
  @Field(() => ID, { description: 'The user to change; a user of the caller\'s own seller.' })
  userId!: string;

  @Field(() => UserRole, { nullable: true, description: "The new role, one of the seller's roles. The last active OWNER cannot lose it." })
  role?: UserRole | null;

  @Field(() => Boolean, { nullable: true, description: 'false deactivates the user and ends all its sessions at once; true lets it sign in again. The last active OWNER cannot be deactivated.' })
  active?: boolean | null;
}

@ObjectType({ description: 'The result of updateSellerUser.' })
export class UpdateSellerUserPayload {
  @Field(() => UserType, { nullable: true, description: 'The user as changed; null when userErrors say why not.' })
  user?: UserType;

  @Field(() => [UserError], { description: 'Why the change was refused (CONFLICT for the last owner, NOT_FOUND, BAD_USER_INPUT).' })
  userErrors!: UserError[];
}
