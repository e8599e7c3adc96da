import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { money, formatBRL } from '../shared/money/index.js';
import { AppError } from '../shared/errors/index.js';
import { anonymous } from '../shared/access/index.js';
import { ProductStatus, displayedCode, createProduct, reviewProduct } from '../modules/catalog/index.js';
import { createShippingTable } from '../modules/shipping/index.js';
import { createPromotion, FundedByKind, PromotionKind, PromotionPaymentMethod } from '../modules/promotions/index.js';
import { addCartLine, applyVoucher, createCart, setBuyer, setShippingAddress } from '../modules/carts/index.js';
import { checkout } from '../modules/checkout/index.js';
import { FraudAnalysis } from '../modules/fraud/index.js';
import { Order } from '../modules/orders/index.js';
import type { Seller } from '../modules/sellers/index.js';
import type { Context, Runtime } from '../shared/runtime/index.js';
import { paymentProviders } from '../modules/payments/index.js';

/*
 * The demo shop behind `npm start`: a small catalog, freight tables, a coupon and a Pix
 * discount, written through the modules' own services (so the demo obeys the same validation
 * and review rules as the API), and three carts checked out through the real checkout so a
 * newcomer finds one cart per fraud verdict.
 */

export const DEMO_COUPON = 'BEMVINDO50';

interface DemoSku {
  sellerCode: string;
  price: number;
  weightGrams: number;
  stock: number;
}

type SellerKey = 'admin' | 'alfa' | 'beta';
export type DemoSellers = Record<SellerKey, Seller>;

interface DemoProduct {
  seller: SellerKey;
  sellerCode: string;
  name: string;
  description: string;
  skus: DemoSku[];
}

/** Prices in centavos, weights in grams. The Alfa jacket and the Beta phone are the fraud demo's big tickets. */
const CATALOG: DemoProduct[] = [
  { seller: 'admin', sellerCode: 'CANECA', name: 'Caneca de cerâmica 350 ml', description: 'Caneca branca da loja, vai ao micro-ondas.', skus: [{ sellerCode: 'CANECA_350', price: 4_990, weightGrams: 400, stock: 100 }] },
  { seller: 'admin', sellerCode: 'CAFE', name: 'Café especial em grãos 500 g', description: 'Torra média, notas de chocolate.', skus: [{ sellerCode: 'CAFE_500', price: 5_990, weightGrams: 550, stock: 60 }] },
  {
    seller: 'alfa',
    sellerCode: 'CAMISETA',
    name: 'Camiseta básica de algodão',
    description: 'Algodão penteado, modelagem reta.',
    skus: [
      { sellerCode: 'CAMISETA_M', price: 7_990, weightGrams: 250, stock: 50 },
      { sellerCode: 'CAMISETA_G', price: 7_990, weightGrams: 270, stock: 50 },
    ],
  },
  { seller: 'alfa', sellerCode: 'JAQUETA', name: 'Jaqueta de couro legítimo', description: 'Couro bovino, forro de viscose.', skus: [{ sellerCode: 'JAQUETA_M', price: 349_900, weightGrams: 1_800, stock: 10 }] },
  { seller: 'beta', sellerCode: 'FONE', name: 'Fone de ouvido Bluetooth', description: 'Cancelamento de ruído, 30 h de bateria.', skus: [{ sellerCode: 'FONE_PRETO', price: 29_990, weightGrams: 300, stock: 40 }] },
  { seller: 'beta', sellerCode: 'SMARTPHONE', name: 'Smartphone Pro 256 GB', description: 'Tela de 6,7", câmera tripla.', skus: [{ sellerCode: 'SMARTPHONE_256', price: 649_900, weightGrams: 450, stock: 10 }] },
];

/**
 * Catalog, freight and promotions, in the seed's transaction, acting as the seeded operator
 * owner. Guest sellers' products go through the store's product review like any other.
 */
export async function seedShop(ctx: Context, em: EntityManager, sellers: DemoSellers): Promise<void> {
  for (const p of CATALOG) {
    const product = await createProduct(ctx, em, {
      sellerId: sellers[p.seller].id,
      sellerCode: p.sellerCode,
      name: p.name,
      description: p.description,
      status: ProductStatus.PUBLISHED,
      skus: p.skus.map((s) => ({ sellerCode: s.sellerCode, price: s.price, weightGrams: s.weightGrams, stock: s.stock })),
    });
    await em.flush();
    if (product.status === ProductStatus.PENDING_REVIEW) await reviewProduct(em, product.id, { approve: true });
  }

  // Correios PAC to every CEP by weight band (inclusive grams), and a flat contingency table
  // that only quotes when PAC (and any configured carrier) gives nothing.
  const pacBands: [number, number, number, number][] = [
    [0, 1_000, 2_490, 6],
    [1_001, 5_000, 3_990, 8],
    [5_001, 30_000, 6_990, 10],
  ];
  await createShippingTable(ctx, em, {
    name: 'Correios PAC — Brasil',
    carrier: 'Correios',
    method: 'PAC',
    rows: pacBands.map(([from, to, price, days]) => ({
      postalCodeFrom: '00000-000',
      postalCodeTo: '99999-999',
      weightFromGrams: from,
      weightToGrams: to,
      priceCents: price,
      days,
    })),
  });
  await createShippingTable(ctx, em, {
    name: 'Contingência — tarifa única',
    carrier: 'Transportadora da loja',
    method: 'Contingência',
    contingency: true,
    rows: [{ postalCodeFrom: '00000-000', postalCodeTo: '99999-999', weightFromGrams: 0, weightToGrams: 30_000, priceCents: 5_990, days: 12 }],
  });

  await createPromotion(ctx, em, {
    kind: PromotionKind.FIXED,
    name: 'Boas-vindas: R$ 50 off',
    code: DEMO_COUPON,
    value: 5_000,
    minMerchandise: 10_000,
    fundedBy: FundedByKind.OPERATOR,
  });
  await createPromotion(ctx, em, {
    kind: PromotionKind.PAYMENT_METHOD,
    name: 'Pix à vista: 5% off',
    paymentMethod: PromotionPaymentMethod.PIX,
    value: 500,
    fundedBy: FundedByKind.OPERATOR,
  });
}

/** One demo cart as the seed's summary prints it. `cartNumber` is null when it could not be placed. */
export interface SeededCart {
  cartNumber: string | null;
  /** The fraud analysis' status (APPROVED, REVIEW, REJECTED), or why the cart is missing. */
  verdict: string;
  /** What the cart holds and what became of its orders, for the newcomer to look at. */
  summary: string;
}

interface DemoCart {
  label: string;
  /** Seller, the seller's own SKU code, quantity: the shopper adds SKUs by their displayed code. */
  lines: [seller: SellerKey, skuCode: string, quantity: number][];
  voucher?: string;
  buyer: { name: string; email: string; document: string; phone: string };
  address: { recipient: string; street: string; number: string; complement?: string | null; district: string; city: string; state: string; postalCode: string };
  /** Shown after the verdict: where to go next. */
  hint: string;
}

const SP = { street: 'Av. Paulista', number: '1000', district: 'Bela Vista', city: 'São Paulo', state: 'SP', postalCode: '01310-100' };

/**
 * With the rule-based analyzer: a small cart scores 0 (APPROVED), R$ 3.000+ on a card is
 * HIGH_VALUE (REVIEW), R$ 10.000+ on a card is VERY_HIGH_VALUE_REVOCABLE (REJECTED). The
 * buyers' documents are valid and their e-mails carry their names, so no other rule fires.
 */
const DEMO_CARTS: DemoCart[] = [
  {
    label: 'admin + Alfa, small, coupon BEMVINDO50',
    lines: [['admin', 'CANECA_350', 2], ['alfa', 'CAMISETA_M', 1]],
    voucher: DEMO_COUPON,
    buyer: { name: 'Maria da Silva', email: 'maria.silva@example.com', document: '529.982.247-25', phone: '(11) 98765-4321' },
    address: { recipient: 'Maria da Silva', ...SP, complement: 'apto 12' },
    hint: 'payment captured',
  },
  {
    label: 'Alfa leather jacket on a card',
    lines: [['alfa', 'JAQUETA_M', 1]],
    buyer: { name: 'João Pereira', email: 'joao.pereira@example.com', document: '390.533.447-05', phone: '(21) 99876-5432' },
    address: { recipient: 'João Pereira', street: 'Av. Atlântica', number: '1702', district: 'Copacabana', city: 'Rio de Janeiro', state: 'RJ', postalCode: '22021-001' },
    hint: 'an operator decides it with decideFraudAnalysis',
  },
  {
    label: 'two Beta phones on a card',
    lines: [['beta', 'SMARTPHONE_256', 2]],
    buyer: { name: 'Ana Souza', email: 'ana.souza@example.com', document: '111.444.777-35', phone: '(31) 98888-7777' },
    address: { recipient: 'Ana Souza', street: 'Av. Afonso Pena', number: '1500', district: 'Centro', city: 'Belo Horizonte', state: 'MG', postalCode: '30130-005' },
    hint: 'stock returned, card authorization voided',
  },
];

/**
 * Builds the demo carts as an anonymous shopper would (one transaction per cart call, as the
 * API runs them) and checks each out with the sandbox card `tok_approve`. Runs after the
 * seed's transaction committed: the checkout opens its own transactions and must see the
 * catalog. A cart that cannot be placed is reported, not thrown: the demo data is a
 * convenience and must never keep the API from starting.
 */
export async function checkoutDemoCarts(runtime: Runtime, sellers: DemoSellers): Promise<SeededCart[]> {
  if (!paymentProviders(runtime).sandbox) {
    return [{ cartNumber: null, verdict: 'SKIPPED', summary: 'demo carts need the sandbox payment provider (tok_approve); a real card provider is configured' }];
  }
  const out: SeededCart[] = [];
  for (const demo of DEMO_CARTS) {
    const ctx: Context = { runtime, em: runtime.orm.em.fork(), viewer: anonymous, loaders: new Map(), requestId: `seed-cart-${randomUUID()}` };
    const step = <T>(work: (em: EntityManager) => Promise<T>) => runtime.orm.em.fork().transactional(work);
    try {
      const { token } = await step((em) => createCart(ctx, em, {}));
      for (const [seller, sku, quantity] of demo.lines) await step((em) => addCartLine(anonymous, em, token, displayedCode(sellers[seller], sku), quantity));
      await step((em) => setBuyer(anonymous, em, token, demo.buyer));
      await step((em) => setShippingAddress(anonymous, em, token, demo.address));
      if (demo.voucher) await step((em) => applyVoucher(anonymous, em, token, demo.voucher!));
      const placed = await checkout(ctx, {
        cartToken: token,
        idempotencyKey: `seed-demo:${randomUUID()}`,
        payment: {
          parts: [
            { method: 'CARD', amount: money(0), installments: 1, card: { token: 'tok_approve', brand: 'Visa', bin: '411111', last4: '1111', holderName: demo.buyer.name.toUpperCase() } },
          ],
        },
      });
      const em = runtime.orm.em.fork();
      const analysis = await em.findOne(FraudAnalysis, { cartId: placed.cartId });
      const orders = await em.find(Order, { cartId: placed.cartId }, { orderBy: { position: 'asc' } });
      const total = orders.reduce((s, o) => s + o.totalCents, 0);
      const statuses = [...new Set(orders.map((o) => o.status))].join('/');
      out.push({
        cartNumber: placed.cartNumber,
        verdict: analysis?.status ?? 'UNKNOWN',
        summary: `${demo.label}, ${formatBRL(total)}: ${orders.length} order(s) ${orders.map((o) => o.code).join(', ')} ${statuses}; ${demo.hint}`,
      });
    } catch (err) {
      const reason = err instanceof AppError ? err.errors.map((e) => e.message).join(' ') : err instanceof Error ? err.message : String(err);
      runtime.logger.warn({ err, cart: demo.label }, 'a demo cart could not be checked out');
      out.push({ cartNumber: null, verdict: 'NOT PLACED', summary: `${demo.label}: ${reason}` });
    }
  }
  return out;
}
