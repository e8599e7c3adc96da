import { Validation } from '../../shared/errors/index.js';
import { allocate } from '../../shared/money/index.js';
import { CarrierError, type FreightCarrier } from './carrier.js';
import { normalizeCep } from './parse.js';
import type { CarrierOption, ContingencyTable, CustomFreightRule, ExcludedOption, FreeShippingRule, FreightRule, PostalCodeRange, Quote, QuoteFailure, QuoteOption, QuoteRequest, ShippingTable } from './shipping.types.js';
import { matchRow } from './table-quote.js';

/** Everything the store has configured for freight; checkout loads it and passes it in. */
export interface FreightSetup {
  tables: readonly ShippingTable[];
  carriers: readonly FreightCarrier[];
  contingency?: ContingencyTable;
  rules: readonly FreightRule[];
  /**
   * The longest the quote waits for any one carrier, whatever that carrier's own timeout, so
   * an adapter that never settles cannot hold a checkout. Default 10 s.
   */
  carrierTimeoutMs?: number;
}

const DEFAULT_CARRIER_TIMEOUT_MS = 10_000;

/**
 * Nothing can ship this cart: the normal quote gave no option and the contingency table has
 * no row either. A typed error rather than an empty quote, because checkout must refuse the
 * cart. Its code is not yet in the GraphQL ErrorCode enum (that is a schema change, made when
 * checkout exposes quotes); until then checkout maps it.
 */
export class NoFreightAvailableError extends Error {
  readonly code = 'NO_FREIGHT_AVAILABLE' as const;

  constructor(
    readonly failures: QuoteFailure[],
    readonly excluded: ExcludedOption[],
  ) {
    super('No shipping option is available for this destination and weight.');
    this.name = 'NoFreightAvailableError';
  }
}

/**
 * Quotes the whole cart once. Precedence, highest first:
 *
 * 1. **Custom-freight rules** whose ranges hold the destination: their fixed prices are the
 *    options (source RULE), and tables and carriers are not consulted. The operator wrote that
 *    price for those destinations on purpose; calling carriers would only add latency.
 * 2. Otherwise **tables and carriers**, all of them (carriers in parallel). A table without a
 *    row, or a carrier that errors, times out or offers nothing, is listed in `failures` and
 *    the others still count. When the cart holds a guest seller's items, scheduled methods are
 *    removed here and listed in `excluded`.
 * 3. When step 2 leaves **no option** — whatever the reason: no row, every carrier failed, or
 *    only scheduled methods for a marketplace cart — the **contingency table** gives the
 *    option (source CONTINGENCY). Without a row there either: NoFreightAvailableError.
 * 4. **Free-shipping rules** last, over whatever options came out (custom, quoted or
 *    contingency): a cart that qualifies ships free even in a custom-freight region or when
 *    the carriers are down. The first rule, in the order given, that covers an option sets
 *    it to 0 (source RULE) and `quoted` keeps what it would have cost. Free shipping never
 *    invents an option: with nothing to ship by, the cart still has no freight.
 *
 * Options with the same carrier and method (a table and a live quote of the same service)
 * are shown once, the cheaper, then faster, kept. Options come back cheapest first, then
 * fastest. Throws AppError (BAD_USER_INPUT) for a malformed request.
 *
 * It takes no request context and touches no database: checkout loads the setup and may
 * quote outside its transaction, so a slow carrier never holds row locks.
 */
export async function quoteCart(request: QuoteRequest, setup: FreightSetup): Promise<Quote> {
  const normalized = validateRequest(request);
  const destination = normalized.destinationPostalCode;
  const failures: QuoteFailure[] = [];
  const excluded: ExcludedOption[] = [];

  let options: QuoteOption[];
  const custom = setup.rules.filter((r): r is CustomFreightRule => r.kind === 'CUSTOM_FREIGHT' && inRanges(destination, r.postalCodeRanges));
  if (custom.length > 0) {
    options = custom.map((r) => ({
      method: r.method,
      carrier: r.carrier,
      priceCents: r.priceCents,
      days: r.days,
      scheduled: false,
      source: 'RULE',
      rule: { id: r.id, kind: r.kind },
    }));
  } else {
    const quoted = [...quoteTables(normalized, setup.tables, failures), ...(await quoteCarriers(normalized, setup, failures))];
    options = normalized.hasGuestSellerItems ? withoutScheduled(quoted, excluded) : quoted;
    if (options.length === 0) options = quoteContingency(normalized, setup.contingency, failures, excluded);
  }

  options = applyFreeShipping(dedupe(options), normalized, setup.rules);
  return { options: options.sort(byPriceThenDays), failures, excluded };
}

function validateRequest(request: QuoteRequest): QuoteRequest {
  const origin = normalizeCep(request.originPostalCode);
  const destination = normalizeCep(request.destinationPostalCode);
  new Validation()
    .check(origin !== undefined, 'The store origin must be a CEP of 8 digits.', ['originPostalCode'])
    .check(destination !== undefined, 'The delivery CEP must have 8 digits, like 01310-100.', ['destinationPostalCode'])
    .check(isWhole(request.weightGrams), 'The cart weight must be whole, non-negative grams.', ['weightGrams'])
    .check(isWhole(request.merchandiseCents), 'The merchandise value must be whole, non-negative centavos.', ['merchandiseCents'])
    .throwIfAny();
  return { ...request, originPostalCode: origin!, destinationPostalCode: destination! };
}

function quoteTables(request: QuoteRequest, tables: readonly ShippingTable[], failures: QuoteFailure[]): QuoteOption[] {
  const options: QuoteOption[] = [];
  for (const table of tables) {
    const row = matchRow(table.rows, request.destinationPostalCode, request.weightGrams);
    if (!row) {
      failures.push({ source: 'TABLE', carrier: table.carrier, reason: 'NO_MATCHING_ROW', detail: `Table ${table.id} (${table.method}) has no row.` });
      continue;
    }
    options.push({ method: table.method, carrier: table.carrier, priceCents: row.priceCents, days: row.days, scheduled: table.scheduled, source: 'TABLE' });
  }
  return options;
}

async function quoteCarriers(request: QuoteRequest, setup: FreightSetup, failures: QuoteFailure[]): Promise<QuoteOption[]> {
  const timeoutMs = setup.carrierTimeoutMs ?? DEFAULT_CARRIER_TIMEOUT_MS;
  const results = await Promise.all(setup.carriers.map((carrier) => askCarrier(carrier, request, timeoutMs)));
  const options: QuoteOption[] = [];
  results.forEach((result, index) => {
    const carrier = setup.carriers[index]!;
    if (result.ok) options.push(...result.options.map((o): QuoteOption => ({ ...o, source: 'CARRIER' })));
    else failures.push({ source: 'CARRIER', carrier: carrier.name, reason: result.error.reason, detail: result.error.message });
  });
  return options;
}

type CarrierResult = { ok: true; options: CarrierOption[] } | { ok: false; error: CarrierError };

/** One carrier's answer, never a rejection: whatever goes wrong becomes a CarrierError. */
async function askCarrier(carrier: FreightCarrier, request: QuoteRequest, timeoutMs: number): Promise<CarrierResult> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new CarrierError('TIMEOUT', `No answer within ${timeoutMs} ms.`));
    }, timeoutMs);
  });
  try {
    const answer = await Promise.race([carrier.quote(request, controller.signal), timedOut]);
    // Adapters are plugged in by configuration; one that returns nonsense must not price a cart.
    const valid = answer.filter(isValidOption);
    if (valid.length > 0) return { ok: true, options: valid };
    return answer.length > 0
      ? { ok: false, error: new CarrierError('INVALID_RESPONSE', 'Every option lacked a method, a whole price or a whole number of days.') }
      : { ok: false, error: new CarrierError('NO_SERVICE', 'No service offered.') };
  } catch (err) {
    return { ok: false, error: err instanceof CarrierError ? err : new CarrierError('ERROR', err instanceof Error ? err.message : String(err), { cause: err }) };
  } finally {
    clearTimeout(timer);
  }
}

function isValidOption(o: CarrierOption): boolean {
  return o.method.length > 0 && o.carrier.length > 0 && isWhole(o.priceCents) && isWhole(o.days) && typeof o.scheduled === 'boolean';
}

function withoutScheduled(options: QuoteOption[], excluded: ExcludedOption[]): QuoteOption[] {
  return options.filter((o) => {
    if (!o.scheduled) return true;
    excluded.push({ method: o.method, carrier: o.carrier, reason: 'SCHEDULED_DELIVERY_NOT_FOR_MARKETPLACE' });
    return false;
  });
}

function quoteContingency(
  request: QuoteRequest,
  contingency: ContingencyTable | undefined,
  failures: QuoteFailure[],
  excluded: ExcludedOption[],
): QuoteOption[] {
  const row = contingency && matchRow(contingency.rows, request.destinationPostalCode, request.weightGrams);
  if (!contingency || !row) throw new NoFreightAvailableError(failures, excluded);
  return [{ method: contingency.method, carrier: contingency.carrier, priceCents: row.priceCents, days: row.days, scheduled: false, source: 'CONTINGENCY' }];
}

function applyFreeShipping(options: QuoteOption[], request: QuoteRequest, rules: readonly FreightRule[]): QuoteOption[] {
  const free = rules.filter((r): r is FreeShippingRule => r.kind === 'FREE_SHIPPING' && cartQualifies(r, request));
  return options.map((option) => {
    const rule = free.find((r) => r.methods === undefined || r.methods.includes(option.method));
    if (!rule) return option;
    return {
      ...option,
      priceCents: 0,
      source: 'RULE',
      rule: { id: rule.id, kind: rule.kind },
      quoted: { source: option.source, priceCents: option.priceCents, ...(option.rule ? { ruleId: option.rule.id } : {}) },
    };
  });
}

function cartQualifies(rule: FreeShippingRule, request: QuoteRequest): boolean {
  if (rule.minMerchandiseCents !== undefined && request.merchandiseCents < rule.minMerchandiseCents) return false;
  if (rule.postalCodeRanges !== undefined && !inRanges(request.destinationPostalCode, rule.postalCodeRanges)) return false;
  return true;
}

function inRanges(cep: string, ranges: readonly PostalCodeRange[]): boolean {
  return ranges.some((r) => r.from <= cep && cep <= r.to);
}

function dedupe(options: QuoteOption[]): QuoteOption[] {
  const best = new Map<string, QuoteOption>();
  for (const option of options) {
    const key = JSON.stringify([option.carrier, option.method]);
    const kept = best.get(key);
    if (!kept || byPriceThenDays(option, kept) < 0) best.set(key, option);
  }
  return [...best.values()];
}

function byPriceThenDays(a: QuoteOption, b: QuoteOption): number {
  return a.priceCents - b.priceCents || a.days - b.days || compare(a.carrier, b.carrier) || compare(a.method, b.method);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isWhole(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

/** One cart order's share basis: its parcel weight and its merchandise value. */
export interface FreightGroup {
  weightGrams: number;
  merchandiseCents: number;
}

/**
 * Splits the cart's freight over its orders by weight, with the largest remainder (`allocate`);
 * by merchandise value when no order weighs anything; equally when no order has value either
 * (allocate's own all-zero rule). The parts always sum exactly to `priceCents`. Ties in the
 * remainder go to the larger base and then to the earlier group, so pass the orders in their
 * code order — admin seller first, then guest sellers by concatenation code.
 */
export function splitFreight(priceCents: number, groups: readonly FreightGroup[]): number[] {
  if (!isWhole(priceCents)) throw new RangeError(`freight must be whole, non-negative centavos, got ${priceCents}`);
  if (groups.some((g) => !isWhole(g.weightGrams) || !isWhole(g.merchandiseCents)))
    throw new RangeError('every group needs whole, non-negative weightGrams and merchandiseCents');
  if (groups.length === 0) {
    if (priceCents !== 0) throw new RangeError('cannot split freight over no orders');
    return [];
  }
  const byWeight = groups.some((g) => g.weightGrams > 0);
  return allocate(
    priceCents,
    groups.map((g) => (byWeight ? g.weightGrams : g.merchandiseCents)),
  );
}
