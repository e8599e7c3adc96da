import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { OPERATOR_ROLES, SELLER_ROLES, UserRole, assertMay } from '../../shared/access/index.js';
import { Validation, conflict, forbidden, notFound } from '../../shared/errors/index.js';
import { checkEmail, checkText, normaliseEmail } from '../../shared/validation/index.js';
import { canSeeSellerPrivate, lockSeller } from '../sellers/index.js';
import { Session, User } from './auth.entity.js';
import { isId } from '../../shared/db/ids.js';
import { checkPassword, issuePasswordToken } from './auth.service.js';
import { hashPassword } from './crypto.js';
import { AUTH_ACCESS, PRIVILEGED_OPERATOR_ROLES } from './auth.access.js';

/** The users of a seller: operator staff are the admin seller's users, a guest seller's staff its own. */
export interface SellerUserInput {
  sellerId: string;
  email: string;
  name: string;
  role: UserRole;
  password?: string | null;
}

export async function createSellerUser(ctx: Context, em: EntityManager, input: SellerUserInput): Promise<User> {
  if (!canSeeSellerPrivate(ctx.viewer, input.sellerId)) throw forbidden('You can only add users to your own seller.');
  const seller = await lockSeller(em, input.sellerId, ['input', 'sellerId']);
  const allowed = seller.isAdmin ? OPERATOR_ROLES : SELLER_ROLES;
  const v = new Validation();
  checkEmail(v, input.email, ['input', 'email']);
  checkText(v, input.name, 'name', 200, true);
  v.check(
    allowed.includes(input.role),
    `${seller.isAdmin ? 'Operator staff' : 'Guest seller users'} take one of the roles ${allowed.join(', ')}.`,
    ['input', 'role'],
  );
  if (input.password != null) checkPassword(v, input.password, ['input', 'password']);
  v.throwIfAny();
  // Only an operator owner hands out the operator's OWNER and ADMIN roles.
  if (seller.isAdmin && PRIVILEGED_OPERATOR_ROLES.includes(input.role)) assertMay(ctx.viewer, AUTH_ACCESS.grantPrivilegedOperatorRole);
  const email = normaliseEmail(input.email);
  if (await em.count(User, { email })) throw conflict('An account with this e-mail already exists.', 'input', 'email');
  const user = em.create(User, {
    email,
    name: input.name.trim(),
    role: input.role,
    seller,
    passwordHash: input.password != null ? await hashPassword(input.password) : null,
  });
  em.persist(user);
  // Without a password the user is invited to choose one through the e-mailed token.
  if (input.password == null) await issuePasswordToken(ctx, em, user, 'invite');
  return user;
}

/** A change to a seller's user by its owner (or operator staff): a new role, deactivation or reactivation. */
export interface SellerUserChange {
  userId: string;
  role?: UserRole | null;
  active?: boolean | null;
}

/**
 * Changes a user of a seller. Deactivating ends every session of the user at once (the
 * bearer check also refuses inactive users, so a token in flight is refused on its next
 * request). The seller row is locked first, so two owners demoting each other at the same
 * time cannot leave the seller without an active OWNER: the second one sees the first's change.
 */
export async function updateSellerUser(ctx: Context, em: EntityManager, input: SellerUserChange): Promise<User> {
  const found = isId(input.userId) ? await em.findOne(User, { id: input.userId, seller: { $ne: null } }) : null;
  // Another seller's user answers like a missing one: its existence is not the caller's business.
  if (!found || !canSeeSellerPrivate(ctx.viewer, found.seller!.id)) throw notFound('No user of your seller has this id.', 'input', 'userId');
  assertMay(ctx.viewer, AUTH_ACCESS.manageSellerUsers, found.seller!.id);
  const seller = await lockSeller(em, found.seller!.id, ['input', 'userId']);
  const user = await em.findOneOrFail(User, { id: found.id }, { refresh: true });
  const allowed = seller.isAdmin ? OPERATOR_ROLES : SELLER_ROLES;
  const v = new Validation();
  if (input.role != null) {
    v.check(allowed.includes(input.role), `${seller.isAdmin ? 'Operator staff' : 'Guest seller users'} take one of the roles ${allowed.join(', ')}.`, ['input', 'role']);
  }
  v.throwIfAny();
  const role = input.role ?? user.role!;
  const active = input.active ?? user.active;
  if (seller.isAdmin && (PRIVILEGED_OPERATOR_ROLES.includes(role) || PRIVILEGED_OPERATOR_ROLES.includes(user.role!)) && (role !== user.role || active !== user.active)) {
    assertMay(ctx.viewer, AUTH_ACCESS.grantPrivilegedOperatorRole);
  }
  const losesOwner = user.role === UserRole.OWNER && user.active && (role !== UserRole.OWNER || !active);
  if (losesOwner) {
    const owners = await em.count(User, { seller: seller.id, role: UserRole.OWNER, active: true, id: { $ne: user.id } });
    if (owners === 0) {
      throw conflict(`${user.name} is the last active owner of ${seller.name}: make another user OWNER first.`, 'input', input.active === false ? 'active' : 'role');
    }
  }
  user.role = role;
  if (active !== user.active) {
    user.active = active;
    if (!active) await em.nativeUpdate(Session, { user: user.id, revokedAt: null }, { revokedAt: new Date() });
  }
  return user;
}
