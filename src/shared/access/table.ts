import { rule } from 'graphql-shield';
import { forbidden, unauthenticated } from '../errors/index.js';
import type { UserRole } from './roles.js';
import { forbiddenError, suspendedMessage, unauthenticatedError, viewerRule, type AccessContext } from './rules.js';
import type { Viewer } from './viewer.js';

/**
 * Who may do one thing, as data. Each module writes its actions down once, in an access
 * table (`src/modules/<m>/<m>.access.ts`), and both its shield rules (accessRule,
 * sellerAccessRule) and its services (may, assertMay) read that table, so a role list is
 * never spelled twice. Whose data it is (a seller's own products, orders, statements) stays
 * the service's scope check (sellers.scope); this says which kinds of caller and roles.
 */
export interface Access {
  /** Operator staff with one of these roles ('ALL': every operator role). */
  operator?: readonly UserRole[] | 'ALL';
  /** A guest seller's users with one of these roles ('ALL': every seller role). */
  seller?: readonly UserRole[] | 'ALL';
  /**
   * ERP integrations, by the seller they act for: ANY, ADMIN (unlinked or admin-linked),
   * GUEST, or ATTRIBUTE_WRITER (admin side and holding the attribute-write permission).
   */
  integration?: 'ANY' | 'ADMIN' | 'GUEST' | 'ATTRIBUTE_WRITER';
  /** Signed-in customers. */
  customer?: boolean;
  /** Callers with no token (implies nothing else: list the others too). */
  anonymous?: boolean;
  /** A change: a suspended seller's users and integrations are refused, naming the suspension. */
  write?: boolean;
  /** The FORBIDDEN message for everybody else (a generic one when left out). */
  denied?: string;
}

export type AccessTable<K extends string = string> = Readonly<Record<K, Access>>;

const hasRole = (allowed: readonly UserRole[] | 'ALL' | undefined, role: UserRole) => allowed === 'ALL' || (!!allowed && allowed.includes(role));

/**
 * true when the viewer may; otherwise the reason (a suspension, or `denied`) or false.
 * With `sellerId`, seller users and integrations must also work for that seller.
 */
export function accessCheck(viewer: Viewer, access: Access, sellerId?: string | null): true | string | false {
  const refused = access.denied ?? false;
  switch (viewer.kind) {
    case 'ANONYMOUS':
      return access.anonymous === true;
    case 'CUSTOMER':
      return access.customer === true || refused;
    case 'OPERATOR':
      return hasRole(access.operator, viewer.role) || refused;
    case 'SELLER':
      if (!hasRole(access.seller, viewer.role) || (sellerId !== undefined && sellerId !== viewer.seller.id)) return refused;
      return (access.write && suspendedMessage(viewer)) || true;
    case 'INTEGRATION': {
      const scope = access.integration;
      const fits =
        scope === 'ANY' ||
        (scope === 'ADMIN' && viewer.seller.isAdmin) ||
        (scope === 'GUEST' && !viewer.seller.isAdmin) ||
        (scope === 'ATTRIBUTE_WRITER' && viewer.seller.isAdmin && viewer.integration.canWriteAttributes);
      if (!fits || (sellerId !== undefined && sellerId !== viewer.seller.id)) return refused;
      return (access.write && suspendedMessage(viewer)) || true;
    }
  }
}

/** Whether the viewer may (see accessCheck). */
export function may(viewer: Viewer, access: Access, sellerId?: string | null): boolean {
  return accessCheck(viewer, access, sellerId) === true;
}

/** The service-side twin of the shield rule: UNAUTHENTICATED for nobody, FORBIDDEN with the reason for the others. */
export function assertMay(viewer: Viewer, access: Access, sellerId?: string | null): void {
  const ok = accessCheck(viewer, access, sellerId);
  if (ok === true) return;
  if (viewer.kind === 'ANONYMOUS') throw unauthenticated();
  throw typeof ok === 'string' ? forbidden(ok) : forbidden();
}

/** The shield rule of a table entry; `name` is unique store-wide (module.action), since shield caches by name. */
export function accessRule(name: string, access: Access) {
  return viewerRule(name, (v) => accessCheck(v, access));
}

/** A table's entries as shield rules, named `<prefix>.<action>`. */
export function accessRules<K extends string>(prefix: string, table: AccessTable<K>): Record<K, ReturnType<typeof accessRule>> {
  return Object.fromEntries(Object.entries<Access>(table).map(([action, access]) => [action, accessRule(`${prefix}.${action}`, access)])) as Record<
    K,
    ReturnType<typeof accessRule>
  >;
}

/**
 * A rule on a field of something that belongs to a seller (its private profile fields, its
 * statement lines): seller users and integrations pass only for their own seller's.
 * `sellerIdOf` returning undefined means "no particular seller" (e.g. a store-wide rule).
 */
export function sellerAccessRule<P>(name: string, access: Access, sellerIdOf: (parent: P) => string | null | undefined) {
  return rule(name, { cache: 'no_cache' })((parent: P, _args, ctx: AccessContext) => {
    const ok = accessCheck(ctx.viewer, access, sellerIdOf(parent));
    if (ok === true) return true;
    if (ctx.viewer.kind === 'ANONYMOUS') return unauthenticatedError();
    return forbiddenError(typeof ok === 'string' ? ok : undefined);
  });
}
