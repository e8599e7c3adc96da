import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { ConnectionArgs, connectionFromArray } from '../../shared/pagination/index.js';
import { SellerType, type Seller } from '../sellers/index.js';
import { IntegrationType } from '../integrations/index.js';
import * as auth from './auth.service.js';
import { AuthPayload, CreateSellerUserInput, CreateSellerUserPayload, LoginInput, OkPayload, ResetPasswordInput, SignUpInput, UpdateSellerUserInput, UpdateSellerUserPayload, VerifyEmailInput, UserConnection, UserType, ViewerKind, ViewerType } from './auth.types.js';
import { usersBySellerId } from './auth.loaders.js';
import { createSellerUser, updateSellerUser } from './users.service.js';
import type { Viewer } from '../../shared/access/index.js';

@Resolver(() => ViewerType)
export class ViewerResolver {
  @Query(() => ViewerType, { description: 'Who is calling; works for everyone, signed in or not.' })
  viewer(@Ctx() ctx: Context): Viewer {
    return ctx.viewer;
  }

  @FieldResolver(() => ViewerKind)
  kind(@Root() v: Viewer): ViewerKind {
    return ViewerKind[v.kind];
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'The signed-in account. Null for integrations and anonymous callers.' })
  user(@Root() v: Viewer) {
    return v.kind === 'ANONYMOUS' || v.kind === 'INTEGRATION' ? null : v.user;
  }

  @FieldResolver(() => SellerType, { nullable: true, description: 'The seller the caller works for (operator staff: the admin seller).' })
  seller(@Root() v: Viewer) {
    return v.kind === 'OPERATOR' || v.kind === 'SELLER' || v.kind === 'INTEGRATION' ? v.seller : null;
  }

  @FieldResolver(() => IntegrationType, { nullable: true, description: 'The integration whose token was sent. Null unless `kind` is INTEGRATION.' })
  integration(@Root() v: Viewer) {
    return v.kind === 'INTEGRATION' ? v.integration : null;
  }
}

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, { description: 'Signs in with e-mail and password and returns a bearer session token.' })
  login(@Arg('input', () => LoginInput, { description: 'E-mail and password.' }) input: LoginInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => auth.login(ctx, em, input));
  }

  @Mutation(() => OkPayload, { description: 'Ends the current session.' })
  logout(@Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ ok: await auth.logout(ctx, em) }));
  }

  @Mutation(() => OkPayload, {
    description:
      'Starts a customer sign-up: answers ok (check your e-mail) whether or not the address already has an account, and e-mails a verification link ' +
      '(or, to an existing account, a notice that someone tried). `verifyEmail` with the link\'s token creates the account and signs in. ' +
      'Until 2026-12 this created the account and signed in at once (breaking change, see schema/BREAKING_CHANGES.md).',
  })
  signUp(@Arg('input', () => SignUpInput, { description: 'The new customer\'s e-mail, password and name.' }) input: SignUpInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => {
      await auth.signUp(ctx, em, input);
      return { ok: true };
    });
  }

  @Mutation(() => AuthPayload, { description: 'Finishes a sign-up with the token of the e-mailed verification link: creates the customer account and returns a bearer session token.' })
  verifyEmail(@Arg('input', () => VerifyEmailInput, { description: 'The e-mailed token.' }) input: VerifyEmailInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => auth.verifyEmail(ctx, em, input));
  }

  @Mutation(() => OkPayload, {
    description: 'E-mails a single-use reset link when the account exists. Answers the same either way.',
  })
  requestPasswordReset(@Arg('email', () => String, { description: 'The account\'s e-mail. The link expires after PASSWORD_RESET_TTL_MINUTES (60 by default).' }) email: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => {
      await auth.requestPasswordReset(ctx, em, email);
      return { ok: true };
    });
  }

  @Mutation(() => AuthPayload, { description: 'Sets a new password with an e-mailed token, ends other sessions and signs in.' })
  resetPassword(@Arg('input', () => ResetPasswordInput, { description: 'The e-mailed token and the new password.' }) input: ResetPasswordInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => auth.resetPassword(ctx, em, input));
  }
}

/** Who works for a seller: its users, listed on the seller and added by its owner or operator staff. */
@Resolver(() => SellerType)
export class SellerUsersResolver {
  @FieldResolver(() => UserConnection, { nullable: true, description: "The seller's users. Its owner and operator owners/admins only." })
  async users(@Root() seller: Seller, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return connectionFromArray(await usersBySellerId(ctx).load(seller.id), args);
  }

  @Mutation(() => CreateSellerUserPayload, { description: 'Adds a user to a seller (operator staff to the admin seller).' })
  createSellerUser(@Arg('input', () => CreateSellerUserInput, { description: 'The new user\'s seller, e-mail, name and role.' }) input: CreateSellerUserInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ user: await createSellerUser(ctx, em, input) }));
  }

  @Mutation(() => UpdateSellerUserPayload, {
    description: "Changes a seller's user: its role, or deactivates it (its sessions end at once) or reactivates it. The seller's OWNER, or operator owners/admins. The last active OWNER is kept.",
  })
  updateSellerUser(@Arg('input', () => UpdateSellerUserInput, { description: 'The user, and its new role and/or active flag (deactivating ends its sessions at once).' }) input: UpdateSellerUserInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ user: await updateSellerUser(ctx, em, input) }));
  }
}
