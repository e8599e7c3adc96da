import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { OPERATOR_ROLES, SELLER_ROLES, UserRole, assertMay } from '../../shared/access/index.js';
import { Validation, conflict, forbidden } from '../../shared/errors/index.js';
import { checkEmail, checkText, normaliseEmail } from '../../shared/validation/index.js';
import { canSeeSellerPrivate, lockSeller } from '../sellers/index.js';
import { User } from './auth.entity.js';
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
