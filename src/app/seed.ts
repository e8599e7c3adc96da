import { LockMode } from '@mikro-orm/core';
import { randomBytes } from 'node:crypto';
import type { Config } from '../config.js';
import { UserRole } from '../shared/access/index.js';
import { User, createSellerUser, hashPassword } from '../modules/auth/index.js';
import { MarketplaceSettings, adminSeller, approveSeller, createSeller, updateSettings } from '../modules/sellers/index.js';
import { createIntegration } from '../modules/integrations/index.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context, Runtime } from '../shared/runtime/index.js';
import { DEMO_COUPON, checkoutDemoCarts, seedShop, type SeededCart } from './seed-shop.js';

export interface SeededCredential {
  who: string;
  email?: string;
  password?: string;
  token?: string;
}

/** What the seed reports once: credentials, then (demo seed only) the example carts. */
export type SeedEntry = SeededCredential | SeededCart;

const isCart = (e: SeedEntry): e is SeededCart => 'verdict' in e;

const randomPassword = () => randomBytes(12).toString('base64url');

/**
 * Creates the first operator owner (ADMIN_EMAIL / ADMIN_PASSWORD, or a default e-mail and a
 * printed random password) inside the caller's transaction.
 */
async function createFirstOperator(em: EntityManager, config: Pick<Config, 'ADMIN_EMAIL' | 'ADMIN_PASSWORD'>) {
  const admin = await adminSeller(em);
  const email = (config.ADMIN_EMAIL ?? 'admin@marketplace.local').toLowerCase();
  const password = config.ADMIN_PASSWORD ?? randomPassword();
  const owner = em.create(User, { email, name: 'Store owner', role: UserRole.OWNER, seller: admin, passwordHash: await hashPassword(password) });
  em.persist(owner);
  const credential: SeededCredential = {
    who: 'operator OWNER (admin seller)',
    email,
    password: config.ADMIN_PASSWORD ? '(from ADMIN_PASSWORD)' : password,
  };
  return { admin, owner, credential };
}

/**
 * With SEED=false an empty database still needs someone who can sign in as staff: only the
 * first operator owner is created (nothing else), once, when no user exists.
 */
export async function ensureFirstOperator(runtime: Runtime, config: Pick<Config, 'ADMIN_EMAIL' | 'ADMIN_PASSWORD'>): Promise<SeededCredential[] | null> {
  return runtime.orm.em.fork().transactional(async (em) => {
    // The settings row lock serialises simultaneous first starts, as in seedDemo.
    await em.findOneOrFail(MarketplaceSettings, { id: 1 }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (await em.count(User, {})) return null;
    return [(await createFirstOperator(em, config)).credential];
  });
}

/**
 * Seeds a small demo marketplace the first time the app starts on an empty database: an
 * operator owner, the marketplace switch on, two active guest sellers with users, an unlinked
 * and a seller-linked ERP integration, a small catalog of the three sellers, Correios PAC and
 * contingency freight tables, the BEMVINDO50 coupon and a Pix discount; then three example
 * carts checked out (one per fraud verdict). Returns the credentials (shown once, never
 * stored in clear) and the carts, or null when the database was already seeded or already
 * has users.
 *
 * Everything but the carts is one transaction under the settings row lock, so of several
 * processes starting at once exactly one seeds. The carts go through the real checkout,
 * which runs its own transactions and must see the committed catalog, so they follow the
 * commit, in the process that seeded. If that process stops in between, the demo simply has
 * no carts: seededAt is set, and the seed never runs twice.
 */
export async function seedDemo(runtime: Runtime, config: Pick<Config, 'ADMIN_EMAIL' | 'ADMIN_PASSWORD'>): Promise<SeedEntry[] | null> {
  const seeded = await runtime.orm.em.fork().transactional(async (em) => {
    const settings = await em.findOneOrFail(MarketplaceSettings, { id: 1 }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (settings.seededAt || (await em.count(User, {}))) return null;
    const { admin, owner, credential } = await createFirstOperator(em, config);
    const creds: SeededCredential[] = [credential];

    const ctx: Context = {
      runtime,
      em,
      viewer: { kind: 'OPERATOR', user: owner, role: UserRole.OWNER, seller: admin, sessionId: 'seed' },
      loaders: new Map(),
      requestId: 'seed',
    };
    await updateSettings(em, { storeName: 'Demo Store', usesMarketplace: true });
    admin.name = 'Demo Store';

    const demo = [
      { name: 'Alfa Modas', concatenationCode: 'ALFA', document: '11.222.333/0001-81', users: [['owner', UserRole.OWNER], ['catalog', UserRole.CATALOG]] },
      // An alphanumeric CNPJ, the format issued since July 2026.
      { name: 'Beta Eletrônicos', concatenationCode: 'BETA', document: 'Q0.SLF.MBD/7VX4-39', users: [['owner', UserRole.OWNER], ['finance', UserRole.FINANCE]] },
    ] as const;
    const created = [];
    for (const d of demo) {
      const seller = await createSeller(em, {
        name: d.name,
        concatenationCode: d.concatenationCode,
        document: d.document,
        shippingPolicy: `${d.name} dispatches within 2 business days from the store's warehouse.`,
        returnPolicy: 'Returns accepted within 7 days of delivery (CDC art. 49).',
        notes: `Demo seller ${d.concatenationCode}.`,
      });
      await em.flush();
      await approveSeller(em, seller.id);
      for (const [label, role] of d.users) {
        const email = `${label}@${d.concatenationCode.toLowerCase()}.example`;
        const password = randomPassword();
        await createSellerUser(ctx, em, { sellerId: seller.id, email, name: `${d.name} ${label}`, role, password });
        creds.push({ who: `${d.name} ${role}`, email, password });
      }
      created.push(seller);
    }

    const storeErp = await createIntegration(ctx, em, { name: 'Store ERP (unlinked)' });
    creds.push({ who: 'integration, unlinked (acts for the admin seller)', token: storeErp.token });
    const alfaErp = await createIntegration(ctx, em, { name: 'Alfa ERP', sellerId: created[0]!.id });
    creds.push({ who: 'integration linked to Alfa Modas', token: alfaErp.token });

    const shop = { admin, alfa: created[0]!, beta: created[1]! };
    await seedShop(ctx, em, shop);

    settings.seededAt = new Date();
    return { creds, shop };
  });
  if (!seeded) return null;
  return [...seeded.creds, ...(await checkoutDemoCarts(runtime, seeded.shop))];
}

export function formatCredentials(entries: SeedEntry[], heading = 'Seeded a demo marketplace.'): string {
  const creds = entries.filter((e): e is SeededCredential => !isCart(e));
  const carts = entries.filter(isCart);
  const lines = creds.map((c) =>
    c.token ? `  ${c.who}\n      token: ${c.token}` : `  ${c.who}\n      e-mail: ${c.email}   password: ${c.password}`,
  );
  const cartLines = carts.length
    ? [
        '',
        'Demo carts, checked out by anonymous shoppers with the sandbox card tok_approve (look one up with',
        'fraudAnalysis(cartNumber:) and orders as operator staff):',
        ...carts.map((c) => `  ${c.cartNumber ? `cart ${c.cartNumber}` : 'no cart'}  ${c.verdict}  ${c.summary}`),
        `Try a checkout yourself: coupon ${DEMO_COUPON} (R$ 50,00 off from R$ 100,00), 5% off paying by Pix alone,`,
        'sandbox cards tok_approve and tok_decline_insufficient_funds.',
      ]
    : [];
  return [
    '',
    `${heading} These credentials are shown once; only hashes are stored:`,
    ...lines,
    '  Log in with the `login` mutation and send `Authorization: Bearer <token>`.',
    ...cartLines,
    '',
  ].join('\n');
}
