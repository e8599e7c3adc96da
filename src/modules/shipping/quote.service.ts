import type { EntityManager } from '@mikro-orm/postgresql';
import type { Runtime } from '../../shared/runtime/index.js';
import { AppError, ErrorCode } from '../../shared/errors/index.js';
import { NoFreightAvailableError, quoteCart, type FreightSetup } from './freight.service.js';
import { normalizeCep } from './parse.js';
import { runtimeCarriers } from './shipping.config.js';
import { DEFAULT_CARRIER_TIMEOUT_MS, DEFAULT_ORIGIN_POSTAL_CODE } from './shipping.entity.js';
import type { ContingencyTable, FreightRule, PostalCodeRange, Quote, ShippingTable, ShippingTableRow } from './shipping.types.js';

/** What the cart knows when it asks for freight. */
export interface CartQuoteRequest {
  destinationPostalCode: string;
  weightGrams: number;
  merchandiseCents: number;
  hasGuestSellerItems: boolean;
}

interface SetupRow {
  tables: { id: string; carrier: string; method: string; scheduled: boolean; contingency: boolean; rows: ShippingTableRow[] }[];
  rules: {
    id: string;
    kind: FreightRule['kind'];
    min_merchandise_cents: number | null;
    postal_code_ranges: PostalCodeRange[] | null;
    methods: string[] | null;
    carrier: string | null;
    method: string | null;
    price_cents: number | null;
    days: number | null;
  }[];
  origin_postal_code: string | null;
  carrier_timeout_ms: number | null;
}

/*
 * One statement reads every active table (the contingency one included), every active rule
 * in the order quotes apply them, and the settings row. It is raw SQL on purpose: checkout
 * quotes on its own EntityManager, and loading tables as entities would put thousands of
 * jsonb rows into that identity map, to be diffed again at every flush of the checkout.
 */
const SETUP_SQL = `
select
  (select coalesce(json_agg(json_build_object(
      'id', t.id, 'carrier', t.carrier, 'method', t.method, 'scheduled', t.scheduled,
      'contingency', t.contingency, 'rows', t.rows) order by t.carrier, t.method, t.id), '[]'::json)
     from shipping_table t where t.active) as tables,
  (select coalesce(json_agg(json_build_object(
      'id', r.id, 'kind', r.kind, 'min_merchandise_cents', r.min_merchandise_cents,
      'postal_code_ranges', r.postal_code_ranges, 'methods', r.methods, 'carrier', r.carrier,
      'method', r.method, 'price_cents', r.price_cents, 'days', r.days)
      order by r.position, r.created_at, r.id), '[]'::json)
     from freight_rule r where r.active) as rules,
  (select s.origin_postal_code from shipping_settings s where s.id = 1) as origin_postal_code,
  (select s.carrier_timeout_ms from shipping_settings s where s.id = 1) as carrier_timeout_ms`;

/** Everything a quote needs, loaded in one query, with the runtime's carriers. */
export async function loadFreightSetup(runtime: Runtime, em: EntityManager): Promise<{ setup: FreightSetup; originPostalCode: string }> {
  const [row] = await em.execute<SetupRow[]>(SETUP_SQL);
  const tables: ShippingTable[] = [];
  let contingency: ContingencyTable | undefined;
  for (const t of row!.tables) {
    if (t.contingency) contingency = { id: t.id, carrier: t.carrier, method: t.method, rows: t.rows };
    else tables.push({ id: t.id, carrier: t.carrier, method: t.method, scheduled: t.scheduled, rows: t.rows });
  }
  const rules = row!.rules.map((r): FreightRule =>
    r.kind === 'CUSTOM_FREIGHT'
      ? {
          kind: 'CUSTOM_FREIGHT',
          id: r.id,
          postalCodeRanges: r.postal_code_ranges ?? [],
          carrier: r.carrier!,
          method: r.method!,
          priceCents: r.price_cents!,
          days: r.days!,
        }
      : {
          kind: 'FREE_SHIPPING',
          id: r.id,
          ...(r.min_merchandise_cents != null ? { minMerchandiseCents: r.min_merchandise_cents } : {}),
          ...(r.postal_code_ranges != null ? { postalCodeRanges: r.postal_code_ranges } : {}),
          ...(r.methods != null ? { methods: r.methods } : {}),
        },
  );
  return {
    setup: {
      tables,
      contingency,
      rules,
      carriers: runtimeCarriers(runtime),
      carrierTimeoutMs: row!.carrier_timeout_ms ?? DEFAULT_CARRIER_TIMEOUT_MS,
    },
    originPostalCode: row!.origin_postal_code ?? DEFAULT_ORIGIN_POSTAL_CODE,
  };
}

/**
 * Quotes the whole cart once: the store's tables and carriers from its single origin, the
 * contingency table when they give nothing, then the store's rules (freight.service.ts,
 * `quoteCart`, has the precedence). Call it outside any transaction holding locks: a carrier
 * may take up to the settings' carrier timeout.
 *
 * Errors are AppErrors on `field` (the cart's path to its address, e.g. ["input",
 * "postalCode"]): BAD_USER_INPUT for a CEP that is not 8 digits, NO_FREIGHT_AVAILABLE when
 * nothing, not even the contingency table, ships there. What failed on the way is logged
 * for the operator, never shown to the shopper.
 */
export async function quoteForCart(runtime: Runtime, em: EntityManager, request: CartQuoteRequest, field?: string[]): Promise<Quote> {
  if (normalizeCep(request.destinationPostalCode) === undefined) {
    throw new AppError(ErrorCode.BAD_USER_INPUT, 'The delivery CEP must have 8 digits, like 01310-100.', field ?? ['destinationPostalCode']);
  }
  const { setup, originPostalCode } = await loadFreightSetup(runtime, em);
  try {
    const quote = await quoteCart({ ...request, originPostalCode }, setup);
    if (quote.failures.some((f) => f.source === 'CARRIER') || quote.options.some((o) => o.source === 'CONTINGENCY')) {
      runtime.logger.warn({ failures: quote.failures, destination: request.destinationPostalCode }, 'freight quote fell short of the normal sources');
    }
    return quote;
  } catch (err) {
    if (err instanceof NoFreightAvailableError) {
      runtime.logger.warn({ failures: err.failures, excluded: err.excluded, destination: request.destinationPostalCode }, 'no freight available');
      throw new AppError(ErrorCode.NO_FREIGHT_AVAILABLE, 'No shipping option is available for this address and weight.', field);
    }
    throw err;
  }
}
