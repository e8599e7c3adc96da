import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { AppError, ErrorCode, badInput, type UserErrorData } from '../../shared/errors/index.js';
import { readCsvRecords } from '../../shared/csv/index.js';
import { invoiceOrder } from './invoice.service.js';
import { markDelivered, shipOrder } from './shipment.service.js';

export enum FulfilmentAction {
  INVOICE = 'INVOICE',
  SHIP = 'SHIP',
  DELIVER = 'DELIVER',
}

/** One row of a bulk call; which fields count depends on the action. */
export interface FulfilmentRow {
  /** CSV: the physical line; a list: the row's position, from 1. */
  line: number;
  orderCode: string;
  action: FulfilmentAction;
  nfeNumber?: string | null;
  nfeSeries?: number | null;
  nfeIssuedAt?: Date | null;
  nfeAmount?: number | null;
  nfeAmountReason?: string | null;
  nfeAccessKey?: string | null;
  nfeXmlUrl?: string | null;
  nfePdfUrl?: string | null;
  carrier?: string | null;
  trackingCode?: string | null;
  trackingUrl?: string | null;
  shippedAt?: Date | null;
  deliveredAt?: Date | null;
}

export interface FulfilmentRowResult {
  line: number;
  orderCode: string;
  action: FulfilmentAction | null;
  ok: boolean;
  /** The order's status after the row (when the order could be read). */
  status: string | null;
  errors: UserErrorData[];
}

export const MAX_BULK_ROWS = 1000;

/**
 * Applies each row on its own, in its own transaction, through the same services as the
 * single-order mutations (so the same rules and permissions hold per row): a bad row is
 * reported with its line and changes nothing, the good ones are applied.
 */
export async function applyFulfilmentRows(ctx: Context, rows: readonly (FulfilmentRow | { line: number; orderCode: string; problem: UserErrorData })[]): Promise<FulfilmentRowResult[]> {
  if (rows.length > MAX_BULK_ROWS) throw badInput(`At most ${MAX_BULK_ROWS} rows per call.`, 'input');
  const results: FulfilmentRowResult[] = [];
  for (const row of rows) {
    if ('problem' in row) {
      results.push({ line: row.line, orderCode: row.orderCode, action: null, ok: false, status: null, errors: [row.problem] });
      continue;
    }
    try {
      const order = await ctx.em.fork().transactional((em) => applyRow(ctx, em as EntityManager, row));
      results.push({ line: row.line, orderCode: row.orderCode, action: row.action, ok: true, status: order.status, errors: [] });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      results.push({ line: row.line, orderCode: row.orderCode, action: row.action, ok: false, status: null, errors: err.errors });
    }
  }
  return results;
}

const missing = (field: string) => badInput(`${field} is required for this action.`, 'input', field);

async function applyRow(ctx: Context, em: EntityManager, row: FulfilmentRow) {
  switch (row.action) {
    case FulfilmentAction.INVOICE: {
      if (!row.nfeNumber) throw missing('nfeNumber');
      if (row.nfeSeries == null) throw missing('nfeSeries');
      if (!row.nfeIssuedAt) throw missing('nfeIssuedAt');
      if (row.nfeAmount == null) throw missing('nfeAmount');
      if (!row.nfeAccessKey) throw missing('nfeAccessKey');
      const { order } = await invoiceOrder(ctx, em, {
        orderCode: row.orderCode,
        number: row.nfeNumber,
        series: row.nfeSeries,
        issuedAt: row.nfeIssuedAt,
        amount: row.nfeAmount,
        amountReason: row.nfeAmountReason,
        accessKey: row.nfeAccessKey,
        xmlUrl: row.nfeXmlUrl,
        pdfUrl: row.nfePdfUrl,
      });
      return order;
    }
    case FulfilmentAction.SHIP: {
      if (!row.carrier) throw missing('carrier');
      if (!row.trackingCode) throw missing('trackingCode');
      const { order } = await shipOrder(ctx, em, { orderCode: row.orderCode, carrier: row.carrier, trackingCode: row.trackingCode, trackingUrl: row.trackingUrl, shippedAt: row.shippedAt });
      return order;
    }
    case FulfilmentAction.DELIVER: {
      const { order } = await markDelivered(ctx, em, { orderCode: row.orderCode, deliveredAt: row.deliveredAt });
      return order;
    }
  }
}

/** The columns of a fulfilment file (named in the schema's description of importFulfilment). */
export const FULFILMENT_COLUMNS = [
  'order_code',
  'action',
  'nfe_number',
  'nfe_series',
  'nfe_issued_at',
  'nfe_amount',
  'nfe_amount_reason',
  'nfe_access_key',
  'nfe_xml_url',
  'nfe_pdf_url',
  'carrier',
  'tracking_code',
  'tracking_url',
  'shipped_at',
  'delivered_at',
] as const;
type Column = (typeof FULFILMENT_COLUMNS)[number];

/**
 * A fulfilment CSV (header on line 1) into rows. A file that cannot be read at all is
 * BAD_USER_INPUT on input.csv; a row that cannot be read becomes that row's error, so the
 * readable rows are still applied.
 */
export function rowsFromFulfilmentCsv(csv: string): (FulfilmentRow | { line: number; orderCode: string; problem: UserErrorData })[] {
  const field = ['input', 'csv'];
  const records = readCsvRecords(csv, field);
  const header = records.shift();
  if (!header || header.line !== 1) throw badInput('Line 1 must be the header row (the column names).', ...field);
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const unknown = names.filter((n) => !(FULFILMENT_COLUMNS as readonly string[]).includes(n));
  if (unknown.length) throw badInput(`Unknown column(s): ${unknown.join(', ')}. The columns are: ${FULFILMENT_COLUMNS.join(', ')}.`, ...field);
  for (const required of ['order_code', 'action'] as const) if (!names.includes(required)) throw badInput(`The file needs the column ${required}.`, ...field);
  if (records.length > MAX_BULK_ROWS) throw badInput(`At most ${MAX_BULK_ROWS} rows per file.`, ...field);

  return records.map((record) => {
    const cell = (c: Column) => {
      const i = names.indexOf(c);
      const value = i >= 0 ? record.fields[i]?.trim() : undefined;
      return value ? value : null;
    };
    const orderCode = cell('order_code') ?? '';
    const problem = (message: string, column?: Column): { line: number; orderCode: string; problem: UserErrorData } => ({
      line: record.line,
      orderCode,
      problem: { code: ErrorCode.BAD_USER_INPUT, message: `Line ${record.line}: ${message}`, field: column ? ['input', 'csv', column] : ['input', 'csv'] },
    });
    if (record.error) return problem(record.error);
    if (record.fields.length !== names.length) return problem(`this row has ${record.fields.length} fields; the header has ${names.length}.`);
    const action = cell('action')?.toUpperCase();
    if (!action || !(action in FulfilmentAction)) return problem('action is INVOICE, SHIP or DELIVER.', 'action');
    const dates: Partial<Record<Column, Date | null>> = {};
    for (const c of ['nfe_issued_at', 'shipped_at', 'delivered_at'] as const) {
      const raw = cell(c);
      if (raw == null) continue;
      const d = new Date(raw);
      if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(raw) || Number.isNaN(d.getTime())) {
        return problem(`${c} is a date and time in ISO 8601 (2026-12-06T14:30:00-03:00).`, c);
      }
      dates[c] = d;
    }
    const whole = (c: Column): number | null | 'bad' => {
      const raw = cell(c);
      if (raw == null) return null;
      return /^\d{1,15}$/.test(raw) ? Number(raw) : 'bad';
    };
    const series = whole('nfe_series');
    if (series === 'bad') return problem('nfe_series is a whole number.', 'nfe_series');
    const amount = whole('nfe_amount');
    if (amount === 'bad') return problem('nfe_amount is whole centavos (1990 is R$ 19,90).', 'nfe_amount');
    return {
      line: record.line,
      orderCode,
      action: action as FulfilmentAction,
      nfeNumber: cell('nfe_number'),
      nfeSeries: series,
      nfeIssuedAt: dates.nfe_issued_at ?? null,
      nfeAmount: amount,
      nfeAmountReason: cell('nfe_amount_reason'),
      nfeAccessKey: cell('nfe_access_key'),
      nfeXmlUrl: cell('nfe_xml_url'),
      nfePdfUrl: cell('nfe_pdf_url'),
      carrier: cell('carrier'),
      trackingCode: cell('tracking_code'),
      trackingUrl: cell('tracking_url'),
      shippedAt: dates.shipped_at ?? null,
      deliveredAt: dates.delivered_at ?? null,
    };
  });
}
