import { countDistinctSellers, type FraudAddress, type FraudBuyer, type FraudItem, type FraudPaymentPart, type FraudRequest, type FraudSeller } from '../../src/modules/fraud/index.js';

/**
 * Three example carts that the default rules answer APPROVED, REVIEW and REJECTED
 * (tests only). They use the demo seed's sellers by name; pass the real seller rows (ids)
 * when building them against a database.
 *
 * | cart | what it is | rules that fire | verdict |
 * |---|---|---|---|
 * | approved | R$ 335,60 of the admin seller and Alfa, paid by Pix, long-standing customer | none | APPROVED, score 0 |
 * | review | R$ 4.108,70 from three sellers (admin, Alfa, Beta), card in 10 installments | HIGH_VALUE (40), MANY_SELLERS_HIGH_VALUE (25) | REVIEW, score 65 |
 * | rejected | R$ 13.996,00 of Beta phones on a card, account 2 h old, billed in SP for delivery in MG | VERY_HIGH_VALUE_REVOCABLE (hard), HIGH_VALUE, DISTANT_BILLING_ADDRESS, NEW_ACCOUNT_HIGH_VALUE | REJECTED, score 100 |
 */

export interface ExampleSellers {
  admin: FraudSeller;
  alfa: FraudSeller;
  beta: FraudSeller;
}

/** The demo seed's sellers (src/app/seed.ts); ids are placeholders until a database assigns them. */
export const DEMO_FRAUD_SELLERS: Readonly<ExampleSellers> = Object.freeze({
  admin: { id: 'admin', name: 'Demo Store', concatenationCode: null },
  alfa: { id: 'alfa', name: 'Alfa Modas', concatenationCode: 'ALFA', document: '11222333000181' },
  beta: { id: 'beta', name: 'Beta Eletrônicos', concatenationCode: 'BETA', document: 'Q0SLFMBD7VX439' },
});

export interface ExampleCarts {
  approved: FraudRequest;
  review: FraudRequest;
  rejected: FraudRequest;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function address(street: string, number: string, district: string, city: string, state: string, postalCode: string): FraudAddress {
  return { street, number, district, city, state, postalCode, country: 'BR' };
}

const PAULISTA = address('Avenida Paulista', '1578', 'Bela Vista', 'São Paulo', 'SP', '01310200');
const COPACABANA = address('Avenida Atlântica', '1702', 'Copacabana', 'Rio de Janeiro', 'RJ', '22021001');
const SAVASSI = address('Rua Pernambuco', '1000', 'Savassi', 'Belo Horizonte', 'MG', '30130151');

/** The displayed SKU code: `<concat>-<raw>` when the seller has a concatenation code. */
function item(seller: FraudSeller, rawCode: string, name: string, quantity: number, unitPrice: number, categoryName: string, admin: FraudSeller): FraudItem {
  const skuCode = seller.concatenationCode ? `${seller.concatenationCode}-${rawCode}` : rawCode;
  return { skuCode, name, quantity, unitPrice, categoryName, seller, marketplace: seller.id !== admin.id };
}

function cart(parts: {
  cartNumber: string;
  placedAt: Date;
  items: FraudItem[];
  discount: number;
  freight: number;
  buyer: FraudBuyer;
  delivery: FraudAddress;
  billing: FraudAddress;
  payments: (total: number) => FraudPaymentPart[];
}): FraudRequest {
  const merchandise = parts.items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0);
  const total = merchandise - parts.discount + parts.freight;
  return {
    cartNumber: parts.cartNumber,
    placedAt: parts.placedAt,
    currency: 'BRL',
    totals: { merchandise, discount: parts.discount, freight: parts.freight, total },
    payments: parts.payments(total),
    buyer: parts.buyer,
    delivery: parts.delivery,
    billing: parts.billing,
    items: parts.items,
    distinctSellers: countDistinctSellers(parts.items),
  };
}

export function buildExampleCarts(sellers: ExampleSellers = DEMO_FRAUD_SELLERS, placedAt = new Date('2026-11-23T15:00:00Z')): ExampleCarts {
  const { admin, alfa, beta } = sellers;
  const at = placedAt.getTime();

  const approved = cart({
    cartNumber: '100001',
    placedAt,
    items: [
      item(admin, 'CANECA01', 'Caneca de cerâmica 300 ml', 1, 4_990, 'Casa', admin),
      item(alfa, 'CAM01.M', 'Camiseta básica algodão M', 2, 12_990, 'Moda', admin),
    ],
    discount: 0,
    freight: 2_590,
    buyer: {
      customerId: 'customer-maria',
      name: 'Maria Aparecida Silva',
      email: 'maria.silva@mail.example',
      document: '529.982.247-25',
      phone: '(11) 98765-4321',
      accountCreatedAt: new Date(at - 420 * DAY),
      ip: '203.0.113.10',
    },
    delivery: { ...PAULISTA, recipientName: 'Maria Aparecida Silva' },
    billing: PAULISTA,
    payments: (total) => [{ method: 'PIX', amount: total, provider: 'mercadopago' }],
  });

  const review = cart({
    cartNumber: '100002',
    placedAt,
    items: [
      item(admin, 'CAFETEIRA', 'Cafeteira expresso', 1, 89_900, 'Casa', admin),
      item(alfa, 'JAQ02.G', 'Jaqueta jeans G', 3, 15_990, 'Moda', admin),
      item(beta, 'NOTE14', 'Notebook 14"', 1, 279_900, 'Informática', admin),
    ],
    discount: 10_000,
    freight: 3_100,
    buyer: {
      customerId: 'customer-joao',
      name: 'João Pedro Souza',
      email: 'joao.souza@mail.example',
      document: '123.456.789-09',
      phone: '+55 21 99876-5432',
      accountCreatedAt: new Date(at - 800 * DAY),
      ip: '203.0.113.20',
    },
    delivery: { ...COPACABANA, recipientName: 'João Pedro Souza' },
    billing: COPACABANA,
    payments: (total) => [
      { method: 'CREDIT_CARD', amount: total, provider: 'cielo', card: { bin: '411111', last4: '1111', brand: 'visa', holderName: 'JOAO P SOUZA', installments: 10 } },
    ],
  });

  const rejected = cart({
    cartNumber: '100003',
    placedAt,
    items: [item(beta, 'CEL512', 'Smartphone 512 GB', 4, 349_900, 'Telefonia', admin)],
    discount: 0,
    freight: 0,
    buyer: {
      customerId: 'customer-carlos',
      name: 'Carlos Lima',
      email: 'carlos.lima@mail.example',
      document: '111.444.777-35',
      phone: '31 3222-1100',
      accountCreatedAt: new Date(at - 2 * HOUR),
      ip: '198.51.100.7',
    },
    delivery: { ...SAVASSI, recipientName: 'Carlos Lima' },
    billing: PAULISTA,
    payments: (total) => [
      { method: 'CREDIT_CARD', amount: total, provider: 'cielo', card: { bin: '550209', last4: '0004', brand: 'mastercard', holderName: 'CARLOS LIMA', installments: 12 } },
    ],
  });

  return { approved, review, rejected };
}

/** The three example carts with the demo sellers, built once (frozen only at the top: tests that change a cart build their own with `buildExampleCarts`). */
export const EXAMPLE_CARTS: Readonly<ExampleCarts> = Object.freeze(buildExampleCarts());
