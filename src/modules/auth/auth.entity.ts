import { Entity, Enum, Index, ManyToOne, Property, Unique, type Ref, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { UserRole } from '../../shared/access/index.js';
import { Seller } from '../sellers/index.js';

@Entity({ tableName: 'app_user' })
export class User extends BaseEntity {
  /** Stored lower-cased; unique store-wide. */
  @Property({ type: 'string', length: 320 })
  @Unique({ name: 'app_user_email_unique' })
  email!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  /** scrypt$N$r$p$salt$hash; null until the user sets a password (invited users). */
  @Property({ type: 'string', length: 255, nullable: true, hidden: true })
  passwordHash?: string | null;

  /** Null for customers; the admin seller for operator staff; the guest seller for its users. */
  @ManyToOne({ entity: () => Seller, nullable: true, ref: true, index: true, deleteRule: 'restrict' })
  seller?: Ref<Seller> | null;

  @Enum({ items: () => UserRole, nullable: true })
  role?: UserRole | null;

  @Property({ type: 'boolean', default: true })
  active: Opt<boolean> = true;

  /** Customer's CPF/CNPJ, normalised. */
  @Property({ type: 'string', length: 14, nullable: true })
  document?: string | null;

  @Property({ type: 'string', length: 30, nullable: true })
  phone?: string | null;

  @Property({ type: 'datetime', nullable: true })
  lastLoginAt?: Date | null;
}

/** A bearer session; only the SHA-256 of the token is stored. */
@Entity({ tableName: 'user_session' })
export class Session extends BaseEntity {
  @ManyToOne({ entity: () => User, ref: true, index: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @Property({ type: 'string', length: 64 })
  @Unique({ name: 'user_session_token_hash_unique' })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;
}

/** Single-use password reset (and invitation) token; only its hash is stored. */
@Entity({ tableName: 'password_reset_token' })
@Index({ properties: ['user'] })
export class PasswordResetToken extends BaseEntity {
  @ManyToOne({ entity: () => User, ref: true, deleteRule: 'cascade' })
  user!: Ref<User>;

  @Property({ type: 'string', length: 64 })
  @Unique({ name: 'password_reset_token_hash_unique' })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Date | null;
}

/**
 * A customer sign-up waiting for its e-mail to be verified (issue 12, item 3): the account is
 * created only when the e-mailed link is used, so signing up never tells whether the e-mail
 * already has an account. Only the token's hash is stored.
 */
@Entity({ tableName: 'sign_up_request' })
@Index({ properties: ['email'] })
export class SignUpRequest extends BaseEntity {
  @Property({ type: 'string', length: 320 })
  email!: string;

  @Property({ type: 'string', length: 200 })
  name!: string;

  @Property({ type: 'string', length: 255, hidden: true })
  passwordHash!: string;

  @Property({ type: 'string', length: 64 })
  @Unique({ name: 'sign_up_request_token_hash_unique' })
  tokenHash!: string;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  usedAt?: Date | null;
}
