import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { findById } from '../../shared/db/ids.js';
import { AppError, ErrorCode, Validation, conflict, notFound, type UserErrorData } from '../../shared/errors/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { assertMay, type Viewer } from '../../shared/access/index.js';
import { SHIPPING_ACCESS } from './shipping.access.js';
import { parseShippingTableCsv } from './csv.js';
import { formatCep, normalizeCep } from './parse.js';
import { ShippingTableEntity } from './shipping.entity.js';
import type { ShippingTableRow } from './shipping.types.js';
import { findOverlaps, rowProblems } from './table-quote.js';

/*
 * Shipping tables and the contingency table, managed by operator staff. Every write is
 * validated whole before anything is saved: a refused import or update leaves the table as
 * it was. Writes lock the table's record, so an APPEND never loses a concurrent one's rows
 * and the overlap check always sees the rows it will be saved next to.
 */

/** A table's rows are read whole by every quote; this keeps one table's jsonb to a few MB. */
export const MAX_TABLE_ROWS = 20_000;
/** Roughly 20 000 rows of a generous width; bigger files are split or the table is. */
const MAX_CSV_CHARS = 2_000_000;
const NAME_MAX = 120;
const CARRIER_MAX = 80;

export interface ListTablesArgs extends ConnectionArgs {
  contingency?: boolean | null;
  active?: boolean | null;
  search?: string | null;
}

export interface RowData {
  postalCodeFrom: string;
  postalCodeTo: string;
  weightFromGrams: number;
  weightToGrams: number;
  priceCents: number;
  days: number;
}

export interface CreateTableData {
  name: string;
  carrier: string;
  method: string;
  scheduled?: boolean | null;
  active?: boolean | null;
  contingency?: boolean | null;
  rows?: RowData[] | null;
}

export interface UpdateTableData {
  name?: string | null;
  carrier?: string | null;
  method?: string | null;
  scheduled?: boolean | null;
  active?: boolean | null;
  rows?: RowData[] | null;
}

export type ImportMode = 'REPLACE' | 'APPEND';

/** SHIPPING_ACCESS.writeShipping: the shield rule says the same, this guards other callers. */
export function assertShippingWriter(viewer: Viewer): void {
  assertMay(viewer, SHIPPING_ACCESS.writeShipping);
}

/** Every operator role reads the shipping configuration (support answers freight questions). */
export function assertShippingReader(viewer: Viewer): void {
  assertMay(viewer, SHIPPING_ACCESS.readShipping);
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listShippingTables(ctx: Context, args: ListTablesArgs) {
  assertShippingReader(ctx.viewer);
  const where: FilterQuery<ShippingTableEntity>[] = [];
  if (args.contingency != null) where.push({ contingency: args.contingency });
  if (args.active != null) where.push({ active: args.active });
  const term = args.search?.trim();
  if (term) {
    const like = { $ilike: `%${escapeLike(term)}%` };
    where.push({ $or: [{ name: like }, { carrier: like }, { method: like }] });
  }
  // The contingency table first, then ordinary tables as shoppers would find them.
  return paginate(ctx.em, ShippingTableEntity, where.length ? { $and: where } : {}, args, {
    contingency: 'desc',
    carrier: 'asc',
    method: 'asc',
  } as never);
}

export async function findShippingTable(ctx: Context, id: string): Promise<ShippingTableEntity | null> {
  assertShippingReader(ctx.viewer);
  return findById(ctx.em, ShippingTableEntity, id);
}

export async function findContingencyTable(ctx: Context): Promise<ShippingTableEntity | null> {
  assertShippingReader(ctx.viewer);
  return ctx.em.findOne(ShippingTableEntity, { contingency: true });
}

function text(v: Validation, value: string | null | undefined, label: string, max: number, field: string[], required: boolean): string | undefined {
  if (value == null) {
    if (required) v.add(ErrorCode.BAD_USER_INPUT, `Give the ${label}.`, field);
    return undefined;
  }
  const clean = value.trim().replace(/\s+/g, ' ');
  v.check(clean.length > 0 && clean.length <= max, `The ${label} has 1 to ${max} characters.`, field);
  return clean;
}

/** Normalises rows given through the API; every problem lands on its row's field path. */
function checkRows(v: Validation, rows: readonly RowData[], field: string[]): ShippingTableRow[] {
  v.check(rows.length <= MAX_TABLE_ROWS, `A table holds at most ${MAX_TABLE_ROWS} rows.`, field);
  const out: ShippingTableRow[] = [];
  let valid = true;
  rows.forEach((row, i) => {
    const at = [...field, String(i)];
    const from = normalizeCep(row.postalCodeFrom);
    const to = normalizeCep(row.postalCodeTo);
    v.check(from !== undefined, `"${row.postalCodeFrom}" is not a CEP of 8 digits (01310-100 or 01310100).`, [...at, 'postalCodeFrom']);
    v.check(to !== undefined, `"${row.postalCodeTo}" is not a CEP of 8 digits (01310-100 or 01310100).`, [...at, 'postalCodeTo']);
    if (from === undefined || to === undefined) {
      valid = false;
      return;
    }
    const normalized: ShippingTableRow = { ...pickRow(row), postalCodeFrom: from, postalCodeTo: to };
    const problems = rowProblems(normalized);
    for (const message of problems) v.add(ErrorCode.BAD_USER_INPUT, `${capitalise(message)}.`, at);
    if (problems.length) valid = false;
    else out.push(normalized);
  });
  if (valid) {
    for (const { first, second } of findOverlaps(out)) {
      v.add(ErrorCode.BAD_USER_INPUT, `Row ${second} overlaps row ${first}: both price the same CEPs and weights.`, [...field, String(second)]);
    }
  }
  return out;
}

const pickRow = (r: RowData): ShippingTableRow => ({
  postalCodeFrom: r.postalCodeFrom,
  postalCodeTo: r.postalCodeTo,
  weightFromGrams: r.weightFromGrams,
  weightToGrams: r.weightToGrams,
  priceCents: r.priceCents,
  days: r.days,
});

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** Stored sorted, so the API pages rows in a reading order whatever order they came in. */
const sortRows = (rows: ShippingTableRow[]) =>
  rows.sort((a, b) => cmp(a.postalCodeFrom, b.postalCodeFrom) || a.weightFromGrams - b.weightFromGrams || cmp(a.postalCodeTo, b.postalCodeTo));
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function assertFreeSlot(em: EntityManager, table: { id?: string; carrier: string; method: string; contingency: boolean }, field: string[]): Promise<void> {
  const except = table.id ? { id: { $ne: table.id } } : {};
  if (table.contingency) {
    const other = await em.findOne(ShippingTableEntity, { contingency: true, ...except });
    if (other) throw conflict(`The store already has a contingency table ("${other.name}"); update that one.`, 'input', 'contingency');
    return;
  }
  const other = await em.findOne(ShippingTableEntity, { contingency: false, carrier: table.carrier, method: table.method, ...except });
  if (other) throw conflict(`Table "${other.name}" already prices ${table.carrier} ${table.method}; one table per carrier and method.`, ...field);
}

/** Flushes inside the mutation's transaction so a lost race on a unique index becomes a CONFLICT. */
async function flushOrConflict(em: EntityManager, message: string, field: string[]): Promise<void> {
  try {
    await em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw conflict(message, ...field);
    throw err;
  }
}

const scheduledContingency = 'The contingency table serves every cart, marketplace ones included, so it cannot be a scheduled-delivery method.';

export async function createShippingTable(ctx: Context, em: EntityManager, input: CreateTableData): Promise<ShippingTableEntity> {
  assertShippingWriter(ctx.viewer);
  const v = new Validation();
  const name = text(v, input.name, 'name', NAME_MAX, ['input', 'name'], true);
  const carrier = text(v, input.carrier, 'carrier', CARRIER_MAX, ['input', 'carrier'], true);
  const method = text(v, input.method, 'method', CARRIER_MAX, ['input', 'method'], true);
  const contingency = input.contingency ?? false;
  const scheduled = input.scheduled ?? false;
  v.check(!(contingency && scheduled), scheduledContingency, ['input', 'scheduled']);
  const rows = checkRows(v, input.rows ?? [], ['input', 'rows']);
  v.throwIfAny();

  await assertFreeSlot(em, { carrier: carrier!, method: method!, contingency }, ['input', 'method']);
  const table = em.create(ShippingTableEntity, {
    name: name!,
    carrier: carrier!,
    method: method!,
    scheduled,
    active: input.active ?? true,
    contingency,
    rows: sortRows(rows),
  });
  await flushOrConflict(
    em,
    contingency ? 'The store already has a contingency table.' : `Another table already prices ${carrier} ${method}.`,
    contingency ? ['input', 'contingency'] : ['input', 'method'],
  );
  return table;
}

async function lockTable(em: EntityManager, id: string, field: string): Promise<ShippingTableEntity> {
  const table = await findById(em, ShippingTableEntity, id, { options: { lockMode: LockMode.PESSIMISTIC_WRITE } });
  if (!table) throw notFound('No shipping table has this id.', field);
  return table;
}

export async function updateShippingTable(ctx: Context, em: EntityManager, id: string, input: UpdateTableData): Promise<ShippingTableEntity> {
  assertShippingWriter(ctx.viewer);
  const table = await lockTable(em, id, 'id');
  const v = new Validation();
  const name = text(v, input.name, 'name', NAME_MAX, ['input', 'name'], false);
  const carrier = text(v, input.carrier, 'carrier', CARRIER_MAX, ['input', 'carrier'], false);
  const method = text(v, input.method, 'method', CARRIER_MAX, ['input', 'method'], false);
  const scheduled = input.scheduled ?? table.scheduled;
  v.check(!(table.contingency && scheduled), scheduledContingency, ['input', 'scheduled']);
  const rows = input.rows == null ? undefined : checkRows(v, input.rows, ['input', 'rows']);
  v.throwIfAny();

  const next = { id: table.id, carrier: carrier ?? table.carrier, method: method ?? table.method, contingency: table.contingency };
  if (!table.contingency && (next.carrier !== table.carrier || next.method !== table.method)) {
    await assertFreeSlot(em, next, ['input', carrier !== undefined && method === undefined ? 'carrier' : 'method']);
  }
  if (name !== undefined) table.name = name;
  table.carrier = next.carrier;
  table.method = next.method;
  table.scheduled = scheduled;
  if (input.active != null) table.active = input.active;
  if (rows) table.rows = sortRows(rows);
  await flushOrConflict(em, `Another table already prices ${next.carrier} ${next.method}.`, ['input', 'method']);
  return table;
}

export async function deleteShippingTable(ctx: Context, em: EntityManager, id: string): Promise<ShippingTableEntity> {
  assertShippingWriter(ctx.viewer);
  const table = await lockTable(em, id, 'id');
  // Carts keep only (carrier, method) and re-quote at checkout, so nothing references a table.
  em.remove(table);
  await em.flush();
  return table;
}

/**
 * Reads rows from a CSV file (csv.ts describes the format) into a table. Problems come back
 * as userErrors on the physical line of the file (field ["csv", "<line>", "<column>"]), all of
 * them at once; with any problem nothing changes. APPEND refuses rows overlapping the table's
 * existing rows (CONFLICT), naming the line and the existing row.
 */
export async function importShippingTableRows(
  ctx: Context,
  em: EntityManager,
  tableId: string,
  csv: string,
  mode: ImportMode,
): Promise<ShippingTableEntity> {
  assertShippingWriter(ctx.viewer);
  if (csv.length > MAX_CSV_CHARS) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `The file has more than ${MAX_CSV_CHARS} characters; split it and APPEND the parts.`, ['csv']);
  }
  const table = await lockTable(em, tableId, 'tableId');
  const parsed = parseShippingTableCsv(csv);
  const errors: UserErrorData[] = parsed.errors.map((p) => ({
    code: ErrorCode.BAD_USER_INPUT,
    message: `Line ${p.line}: ${p.message}`,
    field: ['csv', String(p.line), ...(p.column ? [p.column] : [])],
  }));
  if (errors.length) throw new AppError(errors);
  if (parsed.rows.length === 0) throw new AppError(ErrorCode.BAD_USER_INPUT, 'The file has a header but no rows.', ['csv']);

  const incoming = parsed.rows.map(({ line: _line, ...row }) => row);
  const existing = mode === 'APPEND' ? table.rows : [];
  if (existing.length + incoming.length > MAX_TABLE_ROWS) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, `A table holds at most ${MAX_TABLE_ROWS} rows; this would make ${existing.length + incoming.length}.`, ['csv']);
  }
  if (existing.length) {
    // Rows within the file were checked against each other by the parser; here only pairs
    // of one existing and one new row matter. Indexes past `existing` are the file's rows.
    const all = [...existing, ...incoming];
    const clashes = findOverlaps(all).filter((o) => o.first < existing.length && o.second >= existing.length);
    if (clashes.length) {
      throw new AppError(
        clashes.map(({ first, second }) => {
          const line = parsed.rows[second - existing.length]!.line;
          const old = existing[first]!;
          return {
            code: ErrorCode.CONFLICT,
            message: `Line ${line}: overlaps the existing row ${formatCep(old.postalCodeFrom)}–${formatCep(old.postalCodeTo)}, ${old.weightFromGrams}–${old.weightToGrams} g.`,
            field: ['csv', String(line)],
          };
        }),
      );
    }
  }
  table.rows = sortRows([...existing, ...incoming]);
  await em.flush();
  return table;
}
