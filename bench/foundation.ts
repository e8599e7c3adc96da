import { generateCnpj } from '@brazilian-utils/brazilian-utils';
import type { App } from '../src/app/app.js';
import { Session, User } from '../src/modules/auth/index.js';
import { UserRole } from '../src/shared/access/index.js';
import { hashToken, newToken } from '../src/shared/crypto/index.js';
import { DocumentType, MarketplaceSettings, Seller, SellerStatus } from '../src/modules/sellers/index.js';
import type { Scenario } from './harness.js';

/** The foundation rows: the storefront sellers listing and an authenticated `viewer`. */

const STOREFRONT_SELLERS = `query StorefrontSellers {
  sellers(first: 24) {
    totalCount
    edges { cursor node { id name concatenationCode status shippingPolicy returnPolicy } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const VIEWER = `query Viewer {
  viewer { kind role user { id email name role } seller { id name concatenationCode status document } }
}`;

/** `count` guest sellers (one in ten suspended) and one seller owner with a session. */
export async function seedFoundation(app: App, count: number): Promise<{ token: string }> {
  const em = app.runtime.orm.em.fork();
  await em.nativeUpdate(MarketplaceSettings, { id: 1 }, { usesMarketplace: true });
  const sellers: Seller[] = [];
  for (let i = 0; i < count; i++) {
    const seller = em.create(Seller, {
      name: `Bench Seller ${String(i).padStart(5, '0')}`,
      concatenationCode: `B${i.toString(36).toUpperCase().padStart(4, '0')}`,
      status: i % 10 === 9 ? SellerStatus.SUSPENDED : SellerStatus.ACTIVE,
      // The branch block makes every generated CNPJ distinct.
      document: generateCnpj({ branch: (i % 9999) + 1 }),
      documentType: DocumentType.CNPJ,
      shippingPolicy: 'Dispatches within 2 business days from the store warehouse.',
      returnPolicy: 'Returns accepted within 7 days of delivery.',
      notes: 'Benchmark seller.',
    });
    sellers.push(seller);
  }
  const owner = em.create(User, { email: 'owner@bench.example', name: 'Bench owner', seller: sellers[0]!, role: UserRole.OWNER });
  const token = newToken('mks');
  em.create(Session, { user: owner, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3600_000) });
  await em.flush();
  return { token };
}

export function foundationScenarios(token: string): Scenario[] {
  return [
    {
      name: 'storefront sellers(first: 24)',
      query: STOREFRONT_SELLERS,
      check: (b) => (b.data?.sellers as { edges: unknown[] } | undefined)?.edges.length === 24,
    },
    {
      name: 'viewer (seller owner)',
      query: VIEWER,
      token,
      check: (b) => (b.data?.viewer as { kind: string } | undefined)?.kind === 'SELLER',
    },
  ];
}
