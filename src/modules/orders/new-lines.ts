import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../shared/access/index.js';
import { ErrorCode, Validation, type UserErrorData, AppError } from '../../shared/errors/index.js';
import { lockSkusForStock, Product, saleProblem, Sku } from '../catalog/index.js';
import { commissionRatesFor, settleLine } from '../finance/index.js';
import { Seller, getSettings } from '../sellers/index.js';
import { OrderLine, type Order } from './orders.entity.js';
import type { Figures } from './order-money.js';

/**
 * Lines that join an order after checkout — an edit's added lines, an exchange's replacement
 * order — from SKUs of the order's own seller only, at today's price, discount share 0 and
 * today's commission rate.
 */

export interface WantedSku {
  skuCode: string;
  quantity: number;
}

export interface NewLine {
  sku: Sku;
  product: Product;
  quantity: number;
  rateBps: number;
  figures: Figures;
}

/**
 * The SKUs a request names, each the seller's own and on sale with enough stock (read without
 * a lock; takeStock checks again under it). An ERP integration names its raw codes, everybody
 * else the displayed ones. Another seller's SKU is refused: an order holds one seller's items.
 */
export async function resolveSellerSkus(em: EntityManager, viewer: Viewer, seller: Seller, wanted: readonly WantedSku[], field: string[]): Promise<NewLine[]> {
  const v = new Validation();
  const raw = viewer.kind === 'INTEGRATION';
  const codes = wanted.map((w) => w.skuCode.trim());
  const skus = codes.length ? await em.find(Sku, raw ? { seller: seller.id, sellerCode: { $in: codes } } : { code: { $in: codes } }) : [];
  const products = skus.length ? await em.find(Product, { id: { $in: [...new Set(skus.map((s) => s.product.id))] } }) : [];
  const settings = await getSettings(em);
  const out: { sku: Sku; product: Product; quantity: number }[] = [];
  const seen = new Set<string>();
  wanted.forEach((w, i) => {
    const at = [...field, String(i)];
    const code = w.skuCode.trim();
    const sku = skus.find((s) => (raw ? s.sellerCode : s.code) === code);
    v.check(Number.isInteger(w.quantity) && w.quantity > 0 && w.quantity <= 1000, 'The quantity is a whole number of units, 1 to 1000.', [...at, 'quantity']);
    if (!sku) {
      v.add(ErrorCode.NOT_FOUND, `No SKU ${code || '(empty code)'}.`, [...at, 'skuCode']);
      return;
    }
    if (sku.seller.id !== seller.id) {
      v.add(ErrorCode.BAD_USER_INPUT, `${sku.code} is not sold by ${seller.name}: an order holds only its own seller's SKUs.`, [...at, 'skuCode']);
      return;
    }
    if (seen.has(sku.id)) {
      v.add(ErrorCode.BAD_USER_INPUT, `${sku.code} is named twice.`, [...at, 'skuCode']);
      return;
    }
    seen.add(sku.id);
    const product = products.find((p) => p.id === sku.product.id)!;
    const problem = saleProblem({ product, seller, sku }, settings, { quantity: w.quantity });
    if (problem === 'OUT_OF_STOCK') v.add(ErrorCode.OUT_OF_STOCK, `Only ${sku.stock} unit(s) of ${sku.code} left; ${w.quantity} asked.`, [...at, 'quantity']);
    else if (problem) v.add(ErrorCode.BAD_USER_INPUT, `${sku.code} is not for sale now.`, [...at, 'skuCode']);
    else out.push({ sku, product, quantity: w.quantity });
  });
  v.throwIfAny();
  const rates = await commissionRatesFor(em, out.map((o) => ({ sellerId: seller.id, categoryId: o.product.category?.id ?? null })));
  return out.map((o, i) => {
    const merchandise = o.sku.priceCents * o.quantity;
    const settled = settleLine({ merchandiseCents: merchandise, sellerFundedDiscountCents: 0, rateBps: rates[i]! });
    return { ...o, rateBps: rates[i]!, figures: { merchandise, discount: 0, sellerFundedDiscount: 0, commission: settled.commissionCents, receivable: settled.receivableCents } };
  });
}

/**
 * Takes stock for new lines: SKUs locked in primary-key order (the store's order, last of all
 * locks), stock re-read under the lock, never below zero (OUT_OF_STOCK otherwise).
 */
export async function takeStock(em: EntityManager, lines: readonly NewLine[], field: string[]): Promise<void> {
  const ids = [...new Set(lines.map((l) => l.sku.id))].sort();
  if (!ids.length) return;
  await lockSkusForStock(em, ids);
  const skus = await em.find(Sku, { id: { $in: ids } }, { refresh: true });
  const errors: UserErrorData[] = [];
  for (const l of lines) {
    const sku = skus.find((s) => s.id === l.sku.id)!;
    if (sku.stock < l.quantity) errors.push({ code: ErrorCode.OUT_OF_STOCK, message: `Only ${sku.stock} unit(s) of ${sku.code} left; ${l.quantity} asked.`, field });
    else sku.stock -= l.quantity;
  }
  if (errors.length) throw new AppError(errors);
}

/** Writes a new line of `order` at `position`, with its figures frozen like checkout's (freight share 0). */
export function createLine(em: EntityManager, order: Order, position: number, l: NewLine, opts: { addedByEdit: boolean; figures?: Figures }): OrderLine {
  const f = opts.figures ?? l.figures;
  return em.create(OrderLine, {
    order,
    position,
    sku: l.sku.id,
    skuCode: l.sku.code,
    skuSellerCode: l.sku.sellerCode,
    productName: l.product.name,
    categoryId: l.product.category?.id ?? null,
    quantity: l.quantity,
    unitPriceCents: l.sku.priceCents,
    weightGrams: l.sku.weightGrams * l.quantity,
    merchandiseCents: f.merchandise,
    discountCents: f.discount,
    sellerFundedDiscountCents: f.sellerFundedDiscount,
    freightCents: 0,
    totalCents: f.merchandise - f.discount,
    commissionBps: opts.figures ? 0 : l.rateBps,
    commissionBaseCents: f.merchandise - f.sellerFundedDiscount,
    commissionCents: f.commission,
    sellerReceivableCents: f.receivable,
    addedByEdit: opts.addedByEdit,
  });
}
