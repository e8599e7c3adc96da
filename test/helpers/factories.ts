import { randomBytes } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { Session, User } from '../../src/modules/auth/auth.entity.js';
import { UserRole } from '../../src/shared/access/index.js';
import { hashToken, newHandledToken, newToken } from '../../src/shared/crypto/index.js';
import { Integration } from '../../src/modules/integrations/integrations.entity.js';
import { MarketplaceSettings, Seller, SellerStatus } from '../../src/modules/sellers/sellers.entity.js';
import { parseDocument } from '../../src/modules/sellers/documents.js';
import { Brand, Category, Tag } from '../../src/modules/catalog/attributes.entity.js';
import { Product, ProductStatus, Sku } from '../../src/modules/catalog/catalog.entity.js';
import { displayedCode } from '../../src/modules/catalog/codes.js';

/**
 * Small factories that write straight to the database (fast, no password hashing) and hand
 * back bearer tokens, so tests spend their time on the API under test.
 */
/** What the factories write through: a test app, or just a database (tests running the app as processes). */
export interface FactoryHost {
  app: { runtime: { orm: MikroORM } };
}

export class Factory {
  private n = 0;
  constructor(private readonly t: FactoryHost) {}

  em(): EntityManager {
    return this.t.app.runtime.orm.em.fork() as EntityManager;
  }

  private unique(): string {
    this.n += 1;
    return `${this.n}${randomBytes(3).toString('hex')}`;
  }

  async setMarketplace(on: boolean): Promise<void> {
    await this.em().nativeUpdate(MarketplaceSettings, { id: 1 }, { usesMarketplace: on });
  }

  async adminSeller(): Promise<Seller> {
    return this.em().findOneOrFail(Seller, { isAdmin: true });
  }

  /** A guest seller; ACTIVE unless told otherwise. Documents are valid CNPJs generated per call. */
  async seller(opts: { code?: string; status?: SellerStatus; name?: string } = {}): Promise<Seller> {
    const em = this.em();
    const code = opts.code ?? `S${randomBytes(3).toString('hex').toUpperCase()}`;
    const document = parseDocument(validCnpj())!;
    const seller = em.create(Seller, {
      name: opts.name ?? `Seller ${code}`,
      concatenationCode: code,
      status: opts.status ?? SellerStatus.ACTIVE,
      document: document.value,
      documentType: document.type,
      shippingPolicy: 'Ships in 2 days.',
      returnPolicy: '7 days.',
      notes: 'Public notes.',
    });
    await em.persistAndFlush(seller);
    return seller;
  }

  /** A user with an open session; returns the user and its bearer token. */
  async user(opts: { seller?: Seller | null; role?: UserRole | null; email?: string } = {}): Promise<{ user: User; token: string }> {
    const em = this.em();
    const user = em.create(User, {
      email: opts.email ?? `u${this.unique()}@test.example`,
      name: 'Test user',
      seller: opts.seller ? em.getReference(Seller, opts.seller.id) : null,
      role: opts.role ?? null,
    });
    const token = newToken('mks');
    em.persist(user);
    em.persist(em.create(Session, { user, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3600_000) }));
    await em.flush();
    return { user, token };
  }

  async operator(role: UserRole = UserRole.OWNER) {
    return this.user({ seller: await this.adminSeller(), role });
  }

  async customer() {
    return this.user();
  }

  async integration(opts: { seller?: Seller | null; canWriteAttributes?: boolean } = {}): Promise<{ integration: Integration; token: string }> {
    const em = this.em();
    const { token, handle } = newHandledToken('mki');
    const integration = em.create(Integration, {
      name: 'Test ERP',
      seller: opts.seller ? em.getReference(Seller, opts.seller.id) : null,
      tokenHash: hashToken(token),
      tokenPrefix: handle,
      canWriteAttributes: opts.canWriteAttributes ?? !(opts.seller && !opts.seller.isAdmin),
    });
    await em.persistAndFlush(integration);
    return { integration, token };
  }
}

/** A random numeric CNPJ with correct check digits. */
export function validCnpj(): string {
  const base = Array.from({ length: 12 }, (_, i) => (i < 8 ? Math.floor(Math.random() * 10) : [0, 0, 0, 1][i - 8]!));
  const digit = (nums: number[]) => {
    const weights = nums.length === 12 ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2] : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    const sum = nums.reduce((acc, n, i) => acc + n * weights[i]!, 0);
    const r = sum % 11;
    return r < 2 ? 0 : 11 - r;
  };
  const d1 = digit(base);
  const d2 = digit([...base, d1]);
  return [...base, d1, d2].join('');
}

/** Catalog rows straight into the database, for tests that need a catalog to exist. */
export class CatalogFactory {
  constructor(private readonly f: Factory) {}

  async category(name: string, parent?: Category): Promise<Category> {
    const em = this.f.em();
    const c = em.create(Category, { name, slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${randomBytes(2).toString('hex')}`, path: '' });
    c.path = `${parent?.path ?? '/'}${c.id}/`;
    if (parent) c.parent = em.getReference(Category, parent.id, { wrapped: true });
    await em.persistAndFlush(c);
    return c;
  }

  async brand(name: string) {
    const em = this.f.em();
    const b = em.create(Brand, { name });
    await em.persistAndFlush(b);
    return b;
  }

  async tag(name: string) {
    const em = this.f.em();
    const t = em.create(Tag, { name });
    await em.persistAndFlush(t);
    return t;
  }

  /** A published product with one SKU per entry of `skus` (code, price in centavos, stock). */
  async product(
    seller: Seller,
    opts: { sellerCode?: string; name?: string; status?: ProductStatus; skus?: { code: string; price: number; stock?: number; weight?: number }[]; category?: Category; brand?: Brand; tags?: Tag[]; marketplaceOut?: boolean; createdAt?: Date } = {},
  ): Promise<Product> {
    const em = this.f.em();
    const code = opts.sellerCode ?? `P${randomBytes(4).toString('hex')}`;
    const skus = opts.skus ?? [{ code: `${code}_1`, price: 1000, stock: 5 }];
    const p = em.create(Product, {
      seller: em.getReference(Seller, seller.id),
      sellerCode: code,
      code: displayedCode(seller, code),
      name: opts.name ?? `Product ${code}`,
      status: opts.status ?? ProductStatus.PUBLISHED,
      category: opts.category ? em.getReference(Category, opts.category.id) : null,
      brand: opts.brand ? em.getReference(Brand, opts.brand.id) : null,
      marketplaceOut: opts.marketplaceOut ?? false,
      minPriceCents: Math.min(...skus.map((s) => s.price)),
      ...(opts.createdAt ? { createdAt: opts.createdAt } : {}),
    });
    for (const t of opts.tags ?? []) p.tags.add(em.getReference(Tag, t.id));
    skus.forEach((s, position) =>
      em.persist(
        em.create(Sku, {
          product: p,
          seller: em.getReference(Seller, seller.id),
          sellerCode: s.code,
          code: displayedCode(seller, s.code),
          priceCents: s.price,
          stock: s.stock ?? 0,
          weightGrams: s.weight ?? 500,
          position,
        }),
      ),
    );
    await em.persistAndFlush(p);
    return p;
  }
}
