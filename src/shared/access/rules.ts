import { GraphQLError } from 'graphql';
import { allow, rule } from 'graphql-shield';
import type { UserRole } from './roles.js';
import type { Viewer } from './viewer.js';

/**
 * Building blocks for every module's shield rules. A rule answers true, or returns the error
 * to show: UNAUTHENTICATED when nobody signed in, FORBIDDEN when the caller lacks the right.
 */
export const unauthenticatedError = () =>
  new GraphQLError('Sign in first.', { extensions: { code: 'UNAUTHENTICATED' } });
export const forbiddenError = (message = 'You are not allowed to do this.') =>
  new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });

/** What a rule reads of the request context (the runtime's Context has it). */
export interface AccessContext {
  viewer: Viewer;
}

// graphql-shield caches results by rule name, so one name must mean one rule instance.
// Rules that read the parent object use cache 'no_cache': they are a comparison or two, and
// shield's 'strict' cache hashes the whole parent (an ORM entity graph) on every field.
const viewerRules = new Map<string, ReturnType<ReturnType<typeof rule>>>();

/** Builds a rule from a predicate over the viewer; anonymous callers get UNAUTHENTICATED. */
export function viewerRule(name: string, test: (viewer: Viewer) => boolean | string) {
  let r = viewerRules.get(name);
  if (!r) {
    r = rule(name, { cache: 'contextual' })((_parent, _args, ctx: AccessContext) => {
      const ok = test(ctx.viewer);
      if (ok === true) return true;
      if (ctx.viewer.kind === 'ANONYMOUS') return unauthenticatedError();
      return forbiddenError(typeof ok === 'string' ? ok : undefined);
    });
    viewerRules.set(name, r);
  }
  return r;
}

/** Why a suspended seller's users and integrations may not write, or null when they may. */
export const suspendedMessage = (v: Viewer) =>
  (v.kind === 'SELLER' || v.kind === 'INTEGRATION') && v.seller.status === 'SUSPENDED'
    ? `Seller ${v.seller.name} is suspended: its users and integrations cannot make changes.`
    : null;

export const anyone = allow;
export const authenticated = viewerRule('authenticated', (v) => v.kind !== 'ANONYMOUS');
export const customer = viewerRule('customer', (v) => v.kind === 'CUSTOMER');
/** Users with a password-based session (not integrations). */
export const user = viewerRule('user', (v) => v.kind === 'CUSTOMER' || v.kind === 'OPERATOR' || v.kind === 'SELLER');

/** Operator staff, optionally limited to some roles. */
export function operator(...roles: UserRole[]) {
  return viewerRule(`operator:${roles.join(',') || '*'}`, (v) => v.kind === 'OPERATOR' && (!roles.length || roles.includes(v.role)));
}

/**
 * Users of a guest seller with one of the roles. `write` refuses a suspended seller's users:
 * a suspended seller keeps read access (orders in progress continue) but changes nothing else.
 */
export function sellerUser(roles: readonly UserRole[], opts: { write?: boolean } = {}) {
  return viewerRule(`seller:${roles.join(',')}:${opts.write ? 'w' : 'r'}`, (v) => {
    if (v.kind !== 'SELLER' || !roles.includes(v.role)) return false;
    return (opts.write && suspendedMessage(v)) || true;
  });
}

/** ERP integrations; `guestOnly` / `adminOnly` pick by the seller they act for. */
export function integration(opts: { write?: boolean; scope?: 'any' | 'admin' | 'guest' } = {}) {
  const scope = opts.scope ?? 'any';
  return viewerRule(`integration:${scope}:${opts.write ? 'w' : 'r'}`, (v) => {
    if (v.kind !== 'INTEGRATION') return false;
    if (scope === 'admin' && !v.seller.isAdmin) return false;
    if (scope === 'guest' && v.seller.isAdmin) return false;
    return (opts.write && suspendedMessage(v)) || true;
  });
}
