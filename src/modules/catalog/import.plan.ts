import { ErrorCode } from '../../shared/errors/index.js';
import { ProductStatus } from './catalog.entity.js';
import { LIST_COLUMNS, type Cell, type ImportColumn, type RawRow } from './import.parse.js';


/**
 * Turning a file's rows into one plan per product (rows sharing product_code), with every row
 * problem reported against its line before anything is written (import.service.ts saves).
 */

export type ProductField = 'name' | 'description' | 'category_slug' | 'brand' | 'tags' | 'status';
export const PRODUCT_FIELDS: ProductField[] = ['name', 'description', 'category_slug', 'brand', 'tags', 'status'];

/** A cell's meaning: `undefined` the column is absent (keep), `null` empty (clear). */
export type Given<T> = T | null | undefined;

export interface ImportRow {
  line: number;
  skuCode: string;
  /** False when a cell could not be read; the row then takes no part in the product checks. */
  readable: boolean;
  color: Given<string>;
  size: Given<string>;
  price: number | undefined;
  listPrice: Given<number>;
  weightGrams: Given<number>;
  heightMm: Given<number>;
  widthMm: Given<number>;
  lengthMm: Given<number>;
  /** Empty and absent alike: leave the stock as it is. */
  stock: number | undefined;
  /** The SKU's image URLs; an empty cell is an empty list (clears them). */
  images: string[] | undefined;
}

export interface ProductPlan {
  code: string;
  rows: ImportRow[];
  /** Product-level values and the line that gave them; `value` null = the column is there but empty. */
  fields: Map<ProductField, { value: string | string[] | null; line: number }>;
  failed: boolean;
}

export class ImportReport {
  created = 0;
  updated = 0;
  unchanged = 0;
  /** Rows without a usable product_code: each counts as one failed product. */
  orphanRows = 0;
  readonly errors: { line: number; column: string | null; code: ErrorCode; message: string; productCode: string | null }[] = [];

  add(plan: ProductPlan | null, line: number, column: ImportColumn | null, message: string, code = ErrorCode.BAD_USER_INPUT) {
    if (plan) plan.failed = true;
    this.errors.push({ line, column, code, message, productCode: plan?.code ?? null });
  }

  result(plans: ProductPlan[]) {
    const failedCodes = plans.filter((p) => p.failed).map((p) => p.code);
    return {
      created: this.created,
      updated: this.updated,
      unchanged: this.unchanged,
      failed: failedCodes.length + this.orphanRows,
      failedProductCodes: failedCodes,
      errors: this.errors.sort((a, b) => a.line - b.line),
    };
  }
}

export const text = (cell: Cell | undefined): string | undefined => (cell === undefined ? undefined : Array.isArray(cell) ? cell.join('|') : cell.trim());

export function list(cell: Cell): string[] {
  return [...new Set((Array.isArray(cell) ? cell : cell.split('|')).map((s) => s.trim()).filter(Boolean))];
}

const WHOLE = /^[+-]?\d+$/;

export const toStatus = (value: string): ProductStatus | undefined => Object.values(ProductStatus).find((s) => s === value);
const MONEY_COLUMNS = new Set<ImportColumn>(['price', 'list_price']);

/** Cells → rows, rows → products (in order of first appearance), and the checks that need no database. */
export function planProducts(raw: RawRow[], report: ImportReport): ProductPlan[] {
  const plans = new Map<string, ProductPlan>();
  for (const r of raw) {
    const code = text(r.cells.product_code) ?? '';
    const plan: ProductPlan | null = code ? (plans.get(code) ?? { code, rows: [], fields: new Map(), failed: false }) : null;
    if (plan) plans.set(code, plan);
    else report.orphanRows += 1;
    if (!code) report.add(null, r.line, r.error ? null : 'product_code', r.error ? r.error.message : 'Every row needs its product_code.');
    else if (r.error) report.add(plan, r.line, r.error.column, r.error.message);
    if (!plan || r.error) continue;

    let readable = true;
    const int = (column: ImportColumn): Given<number> => {
      const cell = r.cells[column];
      if (cell === undefined) return undefined;
      const value = text(cell)!;
      if (value === '') return null;
      if (WHOLE.test(value)) return Number(value);
      readable = false;
      report.add(
        plan,
        r.line,
        column,
        MONEY_COLUMNS.has(column) && /^[+-]?[\d.,]+$/.test(value)
          ? `Prices are whole centavos: write 1990 for R$ 19,90 (got "${value}").`
          : `Must be a whole number (got "${value}").`,
      );
      return undefined;
    };
    const name = (column: ImportColumn): Given<string> => {
      const cell = r.cells[column];
      return cell === undefined ? undefined : text(cell) || null;
    };
    const price = int('price');
    if (price === null || (price === undefined && readable)) {
      readable = false;
      report.add(plan, r.line, 'price', 'Every row needs its price, in centavos.');
    }
    const row: ImportRow = {
      line: r.line,
      skuCode: text(r.cells.sku_code) ?? '',
      readable: true,
      color: name('color'),
      size: name('size'),
      price: price ?? undefined,
      listPrice: int('list_price'),
      weightGrams: int('weight_grams'),
      heightMm: int('height_mm'),
      widthMm: int('width_mm'),
      lengthMm: int('length_mm'),
      stock: int('stock') ?? undefined,
      images: r.cells.image_urls === undefined ? undefined : list(r.cells.image_urls),
    };
    row.readable = readable;
    plan.rows.push(row);

    for (const field of PRODUCT_FIELDS) {
      const cell = r.cells[field];
      if (cell === undefined) continue;
      const value = LIST_COLUMNS.has(field) ? list(cell) : field === 'status' ? text(cell)!.toUpperCase() : text(cell)!;
      const empty = value.length === 0;
      const had = plan.fields.get(field);
      if (!had || (had.value === null && !empty)) plan.fields.set(field, { value: empty ? null : value, line: r.line });
      else if (!empty && had.value !== null && String(had.value) !== String(value)) {
        report.add(plan, r.line, field, `Line ${had.line} gives this product another ${field} ("${String(had.value)}"); rows of one product must agree.`);
      }
    }
    const status = plan.fields.get('status');
    if (status?.line === r.line && typeof status.value === 'string') {
      if (!toStatus(status.value)) report.add(plan, r.line, 'status', 'status is DRAFT or PUBLISHED (or empty to leave it as it is).');
    }
  }

  // A SKU belongs to one product: the same sku_code under two product codes fails both.
  const uses = [...plans.values()].flatMap((plan) => plan.rows.filter((row) => row.skuCode).map((row) => ({ plan, line: row.line, skuCode: row.skuCode })));
  for (const [skuCode, owners] of groupBy(uses, (u) => u.skuCode)) {
    if (new Set(owners.map((u) => u.plan)).size < 2) continue;
    for (const use of owners) {
      const other = owners.find((u) => u.plan !== use.plan)!;
      report.add(use.plan, use.line, 'sku_code', `SKU ${skuCode} is also under product ${other.plan.code} (line ${other.line}); a SKU belongs to one product.`, ErrorCode.CONFLICT);
    }
  }
  return [...plans.values()];
}

export const SKU_COLUMNS: Record<string, ImportColumn> = {
  sellerCode: 'sku_code',
  price: 'price',
  listPrice: 'list_price',
  weightGrams: 'weight_grams',
  heightMm: 'height_mm',
  widthMm: 'width_mm',
  lengthMm: 'length_mm',
  stock: 'stock',
  images: 'image_urls',
};

export function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
