import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { plainReadEm, type Context, type Runtime } from '../../shared/runtime/index.js';
import { AppError, ErrorCode, Validation, badInput, unauthenticated } from '../../shared/errors/index.js';
import { checkEmail, normaliseEmail } from '../../shared/validation/index.js';
import { enqueueEmail } from '../../shared/outbox/outbox.js';
import { Seller } from '../sellers/index.js';
import { INTEGRATION_TOKEN_PREFIX, Integration } from '../integrations/index.js';
import { PasswordResetToken, Session, SignUpRequest, User } from './auth.entity.js';
import { AUTH_THROTTLE } from './auth.throttle.js';
import { atLeast } from '../../shared/time/index.js';
import { hashPassword, verifyPassword } from './crypto.js';
import { hashToken, newToken } from '../../shared/crypto/index.js';
import { loadedProjection, preparedRead, type Plain } from '../../shared/db/plain.js';
import { anonymous, type UserRole, type Viewer, type ViewerSeller, type ViewerUser } from '../../shared/access/index.js';

export const SESSION_TOKEN_PREFIX = 'mks';
const RESET_TOKEN_PREFIX = 'mkr';
const VERIFY_TOKEN_PREFIX = 'mkv';
const VERIFY_TTL_HOURS = 24;

/** Sign-up, login and reset answer no sooner than AUTH_MIN_RESPONSE_MS (shared/time/equalise.ts). */
const equalised = <T>(ctx: Context, work: () => Promise<T>) => atLeast(ctx.runtime.config.AUTH_MIN_RESPONSE_MS, work);
const throttle = (ctx: Context) => ctx.runtime.services.get(AUTH_THROTTLE);

export const MIN_PASSWORD_LENGTH = 10;
export function checkPassword(v: Validation, password: string, field: string[]): void {
  v.check(
    password.length >= MIN_PASSWORD_LENGTH && password.length <= 200,
    `The password must have between ${MIN_PASSWORD_LENGTH} and 200 characters.`,
    field,
  );
}

/** Resolves the bearer token of a request into a viewer; an unknown or expired token is refused. */
export async function resolveViewer(runtime: Runtime, entities: () => EntityManager, token: string | undefined): Promise<Viewer> {
  if (!token) return anonymous;
  const tokenHash = hashToken(token);
  if (token.startsWith(`${INTEGRATION_TOKEN_PREFIX}_`)) {
    // The integration and its seller are entities of the request's EntityManager, as its writes load them.
    const em = entities();
    const integration = await em.findOne(Integration, { tokenHash, revokedAt: null }, { populate: ['seller'] });
    if (!integration) throw unauthenticated('The integration token is not valid or was revoked.');
    let seller = integration.seller?.getEntity() ?? null;
    if (!seller || seller.isAdmin) seller = await em.findOneOrFail(Seller, { isAdmin: true });
    // Write the last-use time at most once a minute: it is for operators, not for auditing.
    const now = new Date();
    if (!integration.lastUsedAt || now.getTime() - integration.lastUsedAt.getTime() > 60_000) {
      await em.nativeUpdate(Integration, { id: integration.id }, { lastUsedAt: now });
    }
    return { kind: 'INTEGRATION', integration, seller };
  }
  // A session is read as plain rows (no identity map): the ORM's own EntityManager only lends its connection.
  const found = await sessionOf(plainReadEm(runtime), tokenHash);
  if (!found || !found.user.active) throw unauthenticated('The session is not valid or has expired; sign in again.');
  return viewerFor(found.user, found.seller, found.sessionId);
}

const sessionStatements = new WeakMap<object, string>();
function sessionStatement(em: EntityManager): string {
  const metadata = em.getMetadata();
  let text = sessionStatements.get(metadata);
  if (!text) {
    const table = (entity: { name: string }) => metadata.get(entity.name).tableName;
    // The user and the seller as one json array each: a row of sixty columns cost more to
    // describe and parse, on every signed-in request, than the two arrays.
    text = `select s.id, ${loadedProjection(em, User).jsonArray('u')} as u, ${loadedProjection(em, Seller).jsonArray('x')} as x
       from ${table(Session)} s
       join ${table(User)} u on u.id = s.user_id
       left join ${table(Seller)} x on x.id = u.seller_id
      where s.token_hash = ? and s.revoked_at is null and s.expires_at > ?`;
    sessionStatements.set(metadata, text);
  }
  return text;
}

/**
 * A live session's user and the seller it works for: one statement on every signed-in request,
 * as plain rows (shared/db/plain.ts). The viewer is a snapshot of the two (shared/access
 * Viewer): code that changes an account or a seller loads it through its EntityManager. Mapping
 * them into the request's EntityManager instead (em.map: identity map, change-set snapshots)
 * cost a third of a signed-in request's CPU before it did anything.
 */
async function sessionOf(em: EntityManager, tokenHash: string): Promise<{ sessionId: string; user: Plain<User>; seller: Plain<Seller> | null } | null> {
  // On the primary: a session opened a moment ago (on this instance or another) must be found.
  const [row] = await preparedRead(em, sessionStatement(em), [tokenHash, new Date()], 'write');
  if (!row) return null;
  return { sessionId: row.id as string, user: loadedProjection(em, User).fromArray(row.u as unknown[])!, seller: loadedProjection(em, Seller).fromArray(row.x as unknown[]) };
}

function viewerFor(user: ViewerUser & { role?: UserRole | null }, seller: ViewerSeller | null, sessionId: string): Viewer {
  if (!seller) return { kind: 'CUSTOMER', user, sessionId };
  if (!user.role) throw new Error(`user ${user.id} works for a seller but has no role`);
  return seller.isAdmin
    ? { kind: 'OPERATOR', user, role: user.role, seller, sessionId }
    : { kind: 'SELLER', user, role: user.role, seller, sessionId };
}

/**
 * Opens a session and makes its user the viewer of the rest of this request, so the payload
 * of `login`/`signUp`/`resetPassword` is read with the new identity.
 */
export async function createSession(ctx: Context, em: EntityManager, user: User): Promise<{ token: string; session: Session }> {
  const token = newToken(SESSION_TOKEN_PREFIX);
  const ttlMs = ctx.runtime.config.SESSION_TTL_HOURS * 3600_000;
  const session = em.create(Session, { user, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + ttlMs) });
  user.lastLoginAt = new Date();
  em.persist(session);
  if (user.seller) await em.populate(user, ['seller']);
  ctx.viewer = viewerFor(user, user.seller?.getEntity() ?? null, session.id);
  return { token, session };
}

export async function login(ctx: Context, em: EntityManager, input: { email: string; password: string }) {
  return equalised(ctx, async () => {
    // Throttled before the password is hashed: a refused attempt costs no scrypt.
    await throttle(ctx).attempt(ctx, 'login', input.email);
    const user = await em.findOne(User, { email: normaliseEmail(input.email) }, { populate: ['passwordHash', 'seller'] });
    const ok = await verifyPassword(input.password, user?.passwordHash);
    // One message for every failure so the response never tells which accounts exist.
    if (!user || !ok || !user.active) {
      await throttle(ctx).failed(input.email);
      throw new AppError(ErrorCode.UNAUTHENTICATED, 'E-mail or password is incorrect.', ['input', 'password']);
    }
    await throttle(ctx).succeeded(input.email);
    const { token, session } = await createSession(ctx, em, user);
    return { token, expiresAt: session.expiresAt, user };
  });
}

export async function logout(ctx: Context, em: EntityManager): Promise<boolean> {
  const v = ctx.viewer;
  if (v.kind === 'ANONYMOUS' || v.kind === 'INTEGRATION') return false;
  await em.nativeUpdate(Session, { id: v.sessionId, revokedAt: null }, { revokedAt: new Date() });
  return true;
}

/**
 * Starts a customer sign-up and answers the same whether the e-mail has an account or not
 * (issue 12, item 3): a new address gets a verification link (the account is created when it
 * is used, see verifyEmail); an existing account's owner gets a "someone tried to sign up
 * with your e-mail" message instead. Both paths hash the password, write and queue alike.
 */
export async function signUp(ctx: Context, em: EntityManager, input: { email: string; password: string; name: string }): Promise<void> {
  const v = new Validation();
  checkEmail(v, input.email, ['input', 'email']);
  checkPassword(v, input.password, ['input', 'password']);
  v.check(input.name.trim().length > 0 && input.name.length <= 200, 'Enter your name.', ['input', 'name']);
  v.throwIfAny();
  await equalised(ctx, async () => {
    await throttle(ctx).attempt(ctx, 'signup', input.email);
    const email = normaliseEmail(input.email);
    const passwordHash = await hashPassword(input.password);
    const existing = await em.findOne(User, { email });
    if (existing) {
      enqueueEmail(em, 'auth.sign_up_existing', {
        to: existing.email,
        subject: 'Someone tried to sign up with your e-mail',
        text: `Hello ${existing.name},\n\nSomeone tried to create a new account with this e-mail address, which already has one. Nothing changed.\n\nIf it was you, sign in instead, or reset your password at ${ctx.runtime.config.publicUrl}/reset-password.\nIf it was not you, ignore this message.\n`,
      });
      await em.flush();
      return;
    }
    const token = newToken(VERIFY_TOKEN_PREFIX);
    em.persist(em.create(SignUpRequest, { email, name: input.name.trim(), passwordHash, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + VERIFY_TTL_HOURS * 3600_000) }));
    const link = `${ctx.runtime.config.publicUrl}/verify-email?token=${encodeURIComponent(token)}`;
    enqueueEmail(em, 'auth.verify_email', {
      to: email,
      subject: 'Confirm your e-mail to finish signing up',
      text: `Hello ${input.name.trim()},\n\nConfirm this e-mail address within ${VERIFY_TTL_HOURS} hours to create your account:\n\n${link}\n\nToken: ${token}\n\nIf you did not sign up, ignore this message.\n`,
    });
    // Written inside the equalised time, like the other path's message.
    await em.flush();
  });
}

const BAD_VERIFICATION = 'This verification link is not valid, was already used or has expired; sign up again.';

/** Uses an e-mailed verification token: creates the account and signs it in. */
export async function verifyEmail(ctx: Context, em: EntityManager, input: { token: string }) {
  await throttle(ctx).attempt(ctx, 'verify');
  const found = await em.findOne(SignUpRequest, { tokenHash: hashToken(input.token) }, { fields: ['id', 'email'] });
  if (!found) throw badInput(BAD_VERIFICATION, 'input', 'token');
  // Lock order: every sign-up request of the address, by id, so two links of one address used
  // at once wait for each other instead of deadlocking; the loser then sees its link used.
  const pending = await em.find(SignUpRequest, { email: found.email }, { orderBy: { id: 'asc' }, lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['passwordHash'], refresh: true });
  const request = pending.find((r) => r.id === found.id);
  if (!request || request.usedAt || request.expiresAt <= new Date()) throw badInput(BAD_VERIFICATION, 'input', 'token');
  request.usedAt = new Date();
  // Every other pending sign-up of the address dies with this one.
  for (const other of pending) if (other !== request && !other.usedAt) other.usedAt = request.usedAt;
  if (await em.count(User, { email: request.email })) {
    throw new AppError(ErrorCode.CONFLICT, 'This e-mail already has an account: sign in, or reset its password.', ['input', 'token']);
  }
  const user = em.create(User, { email: request.email, name: request.name, passwordHash: request.passwordHash });
  em.persist(user);
  try {
    await em.flush();
  } catch (err) {
    // Two different links of one address used at once: the unique index decides.
    if (err instanceof UniqueConstraintViolationException) throw new AppError(ErrorCode.CONFLICT, 'This e-mail already has an account: sign in, or reset its password.', ['input', 'token']);
    throw err;
  }
  const { token, session } = await createSession(ctx, em, user);
  return { token, expiresAt: session.expiresAt, user };
}

/**
 * Creates a single-use reset token and queues the e-mail carrying it. Also used to invite
 * seller users created without a password.
 */
export async function issuePasswordToken(
  ctx: Context,
  em: EntityManager,
  user: User,
  purpose: 'reset' | 'invite',
): Promise<void> {
  const token = newToken(RESET_TOKEN_PREFIX);
  const ttlMinutes = purpose === 'invite' ? 7 * 24 * 60 : ctx.runtime.config.PASSWORD_RESET_TTL_MINUTES;
  em.persist(
    em.create(PasswordResetToken, {
      user,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + ttlMinutes * 60_000),
    }),
  );
  const link = `${ctx.runtime.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
  const intro =
    purpose === 'invite'
      ? `You were given access to the marketplace. Choose your password within 7 days:`
      : `Someone asked to reset the password of this account. If it was you, choose a new one within ${ttlMinutes} minutes:`;
  enqueueEmail(em, purpose === 'invite' ? 'auth.invite' : 'auth.password_reset', {
    to: user.email,
    subject: purpose === 'invite' ? 'Your marketplace access' : 'Reset your password',
    text: `Hello ${user.name},\n\n${intro}\n\n${link}\n\nToken: ${token}\n\nIf you did not ask for this, ignore this message.\n`,
  });
}

/** Always succeeds from the caller's point of view, in the same time, so it never reveals whether an account exists. */
export async function requestPasswordReset(ctx: Context, em: EntityManager, email: string): Promise<void> {
  const v = new Validation();
  checkEmail(v, email, ['email']);
  v.throwIfAny();
  await equalised(ctx, async () => {
    await throttle(ctx).attempt(ctx, 'reset', email);
    const user = await em.findOne(User, { email: normaliseEmail(email), active: true });
    if (user) await issuePasswordToken(ctx, em, user, 'reset');
    await em.flush();
  });
}

export async function resetPassword(ctx: Context, em: EntityManager, input: { token: string; password: string }) {
  await throttle(ctx).attempt(ctx, 'verify');
  const v = new Validation();
  checkPassword(v, input.password, ['input', 'password']);
  v.throwIfAny();
  // Lock the token row so two concurrent uses cannot both succeed.
  const reset = await em.findOne(
    PasswordResetToken,
    { tokenHash: hashToken(input.token) },
    { populate: ['user'], lockMode: LockMode.PESSIMISTIC_WRITE },
  );
  if (!reset || reset.usedAt || reset.expiresAt <= new Date() || !reset.user.getEntity().active) {
    throw badInput('This reset link is not valid, was already used or has expired; ask for a new one.', 'input', 'token');
  }
  const user = reset.user.getEntity();
  reset.usedAt = new Date();
  // Every other link e-mailed to the account dies with the old password.
  await em.nativeUpdate(PasswordResetToken, { user: user.id, usedAt: null, id: { $ne: reset.id } }, { usedAt: reset.usedAt });
  user.passwordHash = await hashPassword(input.password);
  // A new password ends every open session of the account.
  await em.nativeUpdate(Session, { user: user.id, revokedAt: null }, { revokedAt: new Date() });
  const { token, session } = await createSession(ctx, em, user);
  return { token, expiresAt: session.expiresAt, user };
}
