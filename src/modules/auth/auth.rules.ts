import { rule } from 'graphql-shield';
import type { Context } from '../../shared/runtime/index.js';
import { accessRule, anyone, forbiddenError, may, unauthenticatedError, user } from '../../shared/access/index.js';
import { sellerPrivate } from '../sellers/index.js';
import type { User } from './auth.entity.js';
import { AUTH_ACCESS } from './auth.access.js';

/** A user's account data: the user itself, and who AUTH_ACCESS.readUser allows (an owner: of the user's own seller). */
const userVisible = rule('user.visible', { cache: 'no_cache' })((parent: User, _args, ctx: Context) => {
  const v = ctx.viewer;
  if (v.kind === 'ANONYMOUS') return unauthenticatedError();
  if ((v.kind === 'CUSTOMER' || v.kind === 'OPERATOR' || v.kind === 'SELLER') && v.user.id === parent.id) return true;
  if (may(v, AUTH_ACCESS.readUser, parent.seller?.id ?? null)) return true;
  return forbiddenError();
});

/** The auth module's own fields. */
export const authRules = {
  Query: { viewer: anyone },
  Mutation: {
    login: anyone,
    signUp: anyone,
    verifyEmail: anyone,
    requestPasswordReset: anyone,
    resetPassword: anyone,
    logout: user,
    createSellerUser: accessRule('auth.createSellerUser', AUTH_ACCESS.createSellerUser),
    updateSellerUser: accessRule('auth.updateSellerUser', AUTH_ACCESS.manageSellerUsers),
  },
  Seller: {
    users: sellerPrivate('The user list', AUTH_ACCESS.readSellerUsers),
  },
  Viewer: { '*': anyone },
  User: { '*': userVisible },
};
