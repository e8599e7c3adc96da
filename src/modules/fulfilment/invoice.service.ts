import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { ErrorCode, Validation, conflict } from '../../shared/errors/index.js';
import { checkText, checkUrl } from '../../shared/validation/index.js';
import { yearMonthIn } from '../../shared/time/index.js';
import { OrderAction, assertMayEver, transitionOrders, type Order } from '../orders/index.js';
import { Seller } from '../sellers/index.js';
import { OrderInvoice } from './fulfilment.entity.js';
import { CLOCK_SKEW_MS, lockOrderByCode } from './fulfilment.shared.js';
import { NFE_MODEL, documentInKey, parseAccessKey } from './nfe-key.js';

export interface InvoiceInput {
  orderCode: string;
  number: string;
  series: number;
  issuedAt: Date;
  /** Centavos; must equal the order total unless `amountReason` says why not. */
  amount: number;
  amountReason?: string | null;
  accessKey: string;
  xmlUrl?: string | null;
  pdfUrl?: string | null;
}

/**
 * Brazil's time zones run from UTC−2 to UTC−5: the month an NF-e's key carries is the issuer's
 * local month, so an instant near midnight at a month's end may carry either neighbour.
 */
const BRAZIL_ZONES = ['America/Noronha', 'America/Sao_Paulo', 'America/Manaus', 'America/Rio_Branco'];

/**
 * Records the order's NF-e and moves it APPROVED → INVOICED (design.md). The key's structure
 * and check digit, its issuer (the order's seller: CNPJ, possibly alphanumeric, or CPF
 * zero-padded), model 55, series, number and month must agree with the fields sent; the
 * amount is the order total unless a reason is given. The same invoice sent again returns the
 * first result; a different one for an invoiced order is a CONFLICT.
 */
export async function invoiceOrder(ctx: Context, em: EntityManager, input: InvoiceInput): Promise<{ order: Order; invoice: OrderInvoice }> {
  const order = await lockOrderByCode(ctx, em, input.orderCode, ['input', 'orderCode']);
  const actor = { viewer: ctx.viewer };
  assertMayEver(order, OrderAction.INVOICE, actor);
  const seller = await em.findOneOrFail(Seller, order.seller.id);
  const accessKey = checkInvoice(input, order, seller);

  const existing = await em.findOne(OrderInvoice, { order: order.id });
  if (existing) {
    if (sameInvoice(existing, input, accessKey)) return { order, invoice: existing };
    throw conflict(`Order ${order.code} already has invoice ${existing.number}/${existing.series} (key ${existing.accessKey}); it cannot be replaced.`, 'input', 'accessKey');
  }
  if (await em.count(OrderInvoice, { accessKey })) throw conflict('This access key already belongs to another order\'s invoice.', 'input', 'accessKey');

  await transitionOrders(em, [order], OrderAction.INVOICE, actor, { at: input.issuedAt });
  const invoice = em.create(OrderInvoice, {
    order,
    number: input.number.trim(),
    series: input.series,
    issuedAt: input.issuedAt,
    amountCents: input.amount,
    amountReason: input.amountReason?.trim() || null,
    accessKey,
    xmlUrl: input.xmlUrl?.trim() || null,
    pdfUrl: input.pdfUrl?.trim() || null,
  });
  em.persist(invoice);
  return { order, invoice };
}

/** Every field's problems at once; returns the normalised access key. */
function checkInvoice(input: InvoiceInput, order: Order, seller: Seller): string {
  const v = new Validation();
  const number = input.number.trim();
  v.check(/^[1-9]\d{0,8}$/.test(number), 'The NF-e number has 1 to 9 digits and is not 0.', ['input', 'number']);
  v.check(Number.isInteger(input.series) && input.series >= 0 && input.series <= 999, 'The series is 0 to 999.', ['input', 'series']);
  const now = Date.now();
  v.check(input.issuedAt.getTime() <= now + CLOCK_SKEW_MS, 'The issue date is in the future.', ['input', 'issuedAt']);
  v.check(input.issuedAt.getTime() >= order.placedAt.getTime() - 24 * 3600_000, `The invoice cannot be issued before order ${order.code} was placed.`, ['input', 'issuedAt']);
  const reason = input.amountReason?.trim() || null;
  v.check(Number.isSafeInteger(input.amount) && input.amount > 0, 'The amount is a positive whole number of centavos.', ['input', 'amount']);
  if (!reason) v.check(input.amount === order.totalCents, `The amount must be the order total (${order.totalCents} centavos), or say why it differs in amountReason.`, ['input', 'amount']);
  checkText(v, input.amountReason, 'amountReason', 500);
  checkUrl(v, input.xmlUrl, ['input', 'xmlUrl']);
  checkUrl(v, input.pdfUrl, ['input', 'pdfUrl']);

  const parsed = parseAccessKey(input.accessKey);
  if ('problem' in parsed) v.add(ErrorCode.BAD_USER_INPUT, parsed.problem, ['input', 'accessKey']);
  else {
    const key = parsed.key;
    const field = ['input', 'accessKey'];
    v.check(key.model === NFE_MODEL, `The key is of model ${key.model}; an order is invoiced with an NF-e (model ${NFE_MODEL}).`, field);
    if (!seller.document) v.add(ErrorCode.BAD_USER_INPUT, `Seller ${seller.name} has no CNPJ or CPF on file to issue invoices with.`, field);
    else v.check(key.issuerDocument === documentInKey(seller.document), `The key was issued by ${key.issuerDocument}, not by the order's seller.`, field);
    v.check(String(key.number) === number.replace(/^0+/, ''), `The key is of NF-e number ${key.number}, not ${number}.`, field);
    v.check(key.series === input.series, `The key is of series ${key.series}, not ${input.series}.`, field);
    const months = new Set(BRAZIL_ZONES.map((tz) => yearMonthIn(input.issuedAt, tz)).map((m) => `${m.year}-${m.month}`));
    v.check(months.has(`${key.year}-${key.month}`), `The key was issued in ${String(key.month).padStart(2, '0')}/${key.year}, not in the month of issuedAt.`, field);
  }
  v.throwIfAny();
  return (parsed as { value: string }).value;
}

function sameInvoice(existing: OrderInvoice, input: InvoiceInput, accessKey: string): boolean {
  return (
    existing.accessKey === accessKey &&
    existing.number === input.number.trim() &&
    existing.series === input.series &&
    existing.amountCents === input.amount &&
    Math.abs(existing.issuedAt.getTime() - input.issuedAt.getTime()) < 1000
  );
}
