'use strict';
// A minimal storefront: lists the catalog, builds a cart across sellers and checks it out with
// a sandbox card token, all through the marketplace GraphQL API with plain fetch. The API must
// allow this page's origin (CORS_ORIGINS; in development any localhost port is allowed).

const API = new URLSearchParams(location.search).get('api') || 'http://localhost:4000/graphql';
document.getElementById('api').textContent = API;

let cartToken = null;

async function graphql(query, variables) {
  let response;
  try {
    // content-type application/json makes this a CORS request with a preflight.
    response = await fetch(API, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  } catch (err) {
    throw new Error(`Could not reach the API at ${API} (is this origin, ${location.origin}, allowed by its CORS_ORIGINS?)`);
  }
  const body = await response.json();
  if (body.errors && body.errors.length) throw new Error(body.errors.map((e) => e.message).join(' '));
  return body.data;
}

/** Mutation payloads report what the shopper can fix as userErrors. */
function payload(data, field) {
  const p = data[field];
  if (p.userErrors && p.userErrors.length) throw new Error(p.userErrors.map((e) => e.message).join(' '));
  return p;
}

const money = (m) => (m.amount / 100).toLocaleString('pt-BR', { style: 'currency', currency: m.currency });

function el(tag, props, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  for (const c of children) node.append(c);
  return node;
}

function setStatus(id, text, isError) {
  const node = document.getElementById(id);
  node.textContent = text;
  node.className = isError ? 'error' : '';
}

const CATALOG = `query StorefrontCatalog {
  products(first: 50) {
    edges { node { code name seller { name concatenationCode }
      skus(first: 10) { edges { node { code price { amount currency } inStock } } } } }
  }
}`;

async function loadCatalog() {
  const data = await graphql(CATALOG);
  const bySeller = new Map();
  for (const { node: product } of data.products.edges) {
    const key = product.seller.name;
    if (!bySeller.has(key)) bySeller.set(key, []);
    bySeller.get(key).push(product);
  }
  const container = document.getElementById('sellers');
  container.replaceChildren();
  for (const [seller, products] of bySeller) {
    const section = el('section', { className: 'seller' }, el('h3', { textContent: seller }));
    for (const product of products) {
      for (const { node: sku } of product.skus.edges) {
        const button = el('button', { type: 'button', textContent: 'Add to cart', disabled: !sku.inStock });
        button.dataset.sku = sku.code;
        button.addEventListener('click', () => addToCart(sku.code).catch((err) => setStatus('cart-status', err.message, true)));
        section.append(el('div', { className: 'product' }, el('span', { textContent: `${product.name} (${sku.code}) — ${money(sku.price)}` }), button));
      }
    }
    container.append(section);
  }
  setStatus('catalog-status', `${data.products.edges.length} products from ${bySeller.size} sellers.`);
}

const CART_FIELDS = `lines { skuCode productName quantity seller { name } merchandiseTotal { amount currency } }
  totals { merchandise { amount currency } freight { amount currency } total { amount currency } }`;

function showCart(cart) {
  const list = document.getElementById('cart-lines');
  list.replaceChildren(...cart.lines.map((l) => el('li', { textContent: `${l.quantity} × ${l.productName} (${l.seller.name}) — ${money(l.merchandiseTotal)}` })));
  setStatus('cart-status', `Merchandise ${money(cart.totals.merchandise)}, freight ${money(cart.totals.freight)}, total ${money(cart.totals.total)}.`);
}

async function addToCart(skuCode) {
  if (!cartToken) {
    const created = payload(await graphql('mutation CreateCart { createCart { token userErrors { message } } }'), 'createCart');
    cartToken = created.token;
  }
  const added = payload(
    await graphql(
      `mutation AddCartLine($cartToken: String!, $skuCode: String!) {
        addCartLine(cartToken: $cartToken, skuCode: $skuCode, quantity: 1) { cart { ${CART_FIELDS} } userErrors { message } }
      }`,
      { cartToken, skuCode },
    ),
    'addCartLine',
  );
  showCart(added.cart);
}

async function pay(form) {
  if (!cartToken) throw new Error('The cart is empty.');
  const f = Object.fromEntries(new FormData(form));
  payload(
    await graphql(
      `mutation SetBuyer($cartToken: String!, $input: CartBuyerInput!) {
        setBuyer(cartToken: $cartToken, input: $input) { userErrors { message } }
      }`,
      { cartToken, input: { name: f.name, email: f.email, document: f.document, phone: f.phone } },
    ),
    'setBuyer',
  );
  const addressed = payload(
    await graphql(
      `mutation SetShippingAddress($cartToken: String!, $input: CartAddressInput!) {
        setShippingAddress(cartToken: $cartToken, input: $input) { cart { ${CART_FIELDS} } userErrors { message } }
      }`,
      {
        cartToken,
        input: { recipient: f.recipient, street: f.street, number: f.number, complement: f.complement || null, district: f.district, city: f.city, state: f.state, postalCode: f.postalCode },
      },
    ),
    'setShippingAddress',
  );
  showCart(addressed.cart);
  const placed = payload(
    await graphql(
      `mutation Checkout($input: CheckoutInput!) {
        checkout(input: $input) { cartNumber orders { code status total { amount currency } } userErrors { message } }
      }`,
      {
        input: {
          cartToken,
          idempotencyKey: crypto.randomUUID(),
          payment: { parts: [{ method: 'CARD', installments: 1, card: { token: f.cardToken, brand: 'Visa', holderName: f.name.toUpperCase() } }] },
        },
      },
    ),
    'checkout',
  );
  const result = document.getElementById('result');
  result.className = '';
  result.replaceChildren(
    el('p', { textContent: `Cart number ${placed.cartNumber}` }),
    el('ul', { id: 'orders' }, ...placed.orders.map((o) => el('li', { textContent: `${o.code} — ${o.status} — ${money(o.total)}` }))),
  );
  result.dataset.cartNumber = placed.cartNumber;
  result.dataset.orders = placed.orders.map((o) => o.code).join(' ');
  cartToken = null;
}

document.getElementById('checkout-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const button = document.getElementById('pay');
  button.disabled = true;
  pay(event.target)
    .catch((err) => {
      const result = document.getElementById('result');
      result.className = 'error';
      result.textContent = err.message;
    })
    .finally(() => (button.disabled = false));
});

loadCatalog().catch((err) => setStatus('catalog-status', err.message, true));
