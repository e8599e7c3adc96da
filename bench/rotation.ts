import { randomUUID } from 'node:crypto';

/**
 * How write scenarios spread their requests, shared by the orchestrator (which prepares the
 * carts) and the load generator (which builds each request body), so both agree.
 */

/** Lines every add-line cart holds before timing, so carts look like a shopper's mid-session. */
export const PREFILLED_LINES = 3;

/**
 * The SKU of the n-th line of cart `cartIndex` (lines 0…PREFILLED_LINES-1 are seeded). Each
 * cart walks the SKU list from its own start, so a cart never gets the same SKU twice (while
 * its lines stay below the list's length) and consecutive requests hit different SKUs.
 */
export function addLineSku(cartIndex: number, lineIndex: number, skuCount: number): number {
  return (cartIndex * 7 + lineIndex) % skuCount;
}

/**
 * Request `i` of the add-line run goes to cart i mod carts, as that cart's next line: every
 * request adds a new line (never a second unit of a line), and carts grow evenly.
 */
export function addLineTarget(i: number, cartCount: number, skuCount: number): { cart: number; sku: number } {
  const cart = i % cartCount;
  return { cart, sku: addLineSku(cart, PREFILLED_LINES + Math.floor(i / cartCount), skuCount) };
}

export const ADD_LINE = `mutation BenchAddCartLine($cartToken: String!, $skuCode: String!) {
  addCartLine(cartToken: $cartToken, skuCode: $skuCode, quantity: 1) {
    cart { id lines { skuCode productName quantity unitPrice { amount currency } } totals { merchandise { amount currency } } }
    userErrors { code field message }
  }
}`;

export function addLineBody(cartToken: string, skuCode: string): string {
  return JSON.stringify({ operationName: 'BenchAddCartLine', query: ADD_LINE, variables: { cartToken, skuCode } });
}

/** What a storefront asks back after placing the orders: their codes and statuses and the payment's. */
export const CHECKOUT = `mutation BenchCheckout($input: CheckoutInput!) {
  checkout(input: $input) {
    cartNumber
    fraudStatus
    orders { code status total { amount currency } }
    payment { status amount { amount currency } }
    userErrors { code field message }
  }
}`;

/** The card the sandbox provider approves; one installment. */
export const CARD = { method: 'CARD', installments: 1, card: { token: 'tok_approve', brand: 'Visa', bin: '411111', last4: '1111' } };

export function checkoutBody(cartToken: string, idempotencyKey = randomUUID()): string {
  return JSON.stringify({ operationName: 'BenchCheckout', query: CHECKOUT, variables: { input: { cartToken, idempotencyKey, payment: { parts: [CARD] } } } });
}
