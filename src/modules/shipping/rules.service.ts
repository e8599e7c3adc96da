import { LockMode } from '@mikro-orm/core';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { findById } from '../../shared/db/ids.js';
import { ErrorCode, Validation, notFound } from '../../shared/errors/index.js';
import { paginate, type ConnectionArgs } from '../../shared/pagination/index.js';
import { normalizeCep } from './parse.js';
import { FreightRuleEntity, FreightRuleKind, ShippingSettings } from './shipping.entity.js';
import type { PostalCodeRange } from './shipping.types.js';
import { assertShippingReader, assertShippingWriter } from './tables.service.js';

/*
 * Store-wide freight rules (free shipping, custom freight) and the shipping settings. Like
 * every store-wide rule, they are the operator's: owners and admins write, all staff read.
 */

const NAME_MAX = 120;
const LABEL_MAX = 80;
const MAX_RANGES = 100;
const MAX_METHODS = 50;
const MAX_POSITION = 1_000_000;
const MAX_DAYS = 365;
const MIN_TIMEOUT_MS = 100;
const MAX_TIMEOUT_MS = 60_000;

export interface ListRulesArgs extends ConnectionArgs {
  kind?: FreightRuleKind | null;
  active?: boolean | null;
}

/** Fields of a rule as the API sends them: undefined leaves a field alone, null clears it. */
export interface RuleData {
  name?: string | null;
  active?: boolean | null;
  position?: number | null;
  minMerchandiseCents?: number | null;
  postalCodeRanges?: { from: string; to: string }[] | null;
  methods?: string[] | null;
  carrier?: string | null;
  method?: string | null;
  priceCents?: number | null;
  days?: number | null;
}

export async function listFreightRules(ctx: Context, args: ListRulesArgs) {
  assertShippingReader(ctx.viewer);
  const where: FilterQuery<FreightRuleEntity> = {};
  if (args.kind) where.kind = args.kind;
  if (args.active != null) where.active = args.active;
  // The order quotes apply them in.
  return paginate(ctx.em, FreightRuleEntity, where, args, { position: 'asc', createdAt: 'asc' } as never);
}

export async function findFreightRule(ctx: Context, id: string): Promise<FreightRuleEntity | null> {
  assertShippingReader(ctx.viewer);
  return findById(ctx.em, FreightRuleEntity, id);
}

const isWhole = (n: number, max = Number.MAX_SAFE_INTEGER) => Number.isSafeInteger(n) && n >= 0 && n <= max;

function label(v: Validation, value: string, what: string, max: number, field: string[]): string {
  const clean = value.trim().replace(/\s+/g, ' ');
  v.check(clean.length > 0 && clean.length <= max, `The ${what} has 1 to ${max} characters.`, field);
  return clean;
}

function ranges(v: Validation, given: readonly { from: string; to: string }[], field: string[]): PostalCodeRange[] {
  v.check(given.length > 0, 'Give at least one CEP range (or null, where that means every destination).', field);
  v.check(given.length <= MAX_RANGES, `At most ${MAX_RANGES} CEP ranges.`, field);
  const out: PostalCodeRange[] = [];
  given.forEach((r, i) => {
    const from = normalizeCep(r.from);
    const to = normalizeCep(r.to);
    v.check(from !== undefined, `"${r.from}" is not a CEP of 8 digits (01310-100 or 01310100).`, [...field, String(i), 'from']);
    v.check(to !== undefined, `"${r.to}" is not a CEP of 8 digits (01310-100 or 01310100).`, [...field, String(i), 'to']);
    if (from === undefined || to === undefined) return;
    v.check(from <= to, 'The range starts after it ends.', [...field, String(i), 'to']);
    out.push({ from, to });
  });
  return out;
}

/**
 * Validates a whole rule (the stored one with the changes applied) for its kind, and writes
 * it to `rule` only when everything holds. A field that does not belong to the kind is
 * refused rather than ignored, so an operator never believes a condition is in force that
 * the quote does not apply.
 */
function applyRule(rule: FreightRuleEntity, kind: FreightRuleKind, data: RuleData, creating: boolean): void {
  const v = new Validation();
  const f = (name: string) => ['input', name];
  const merged = {
    name: data.name !== undefined ? data.name : creating ? undefined : rule.name,
    minMerchandiseCents: data.minMerchandiseCents !== undefined ? data.minMerchandiseCents : rule.minMerchandiseCents,
    postalCodeRanges: data.postalCodeRanges !== undefined ? data.postalCodeRanges : rule.postalCodeRanges,
    methods: data.methods !== undefined ? data.methods : rule.methods,
    carrier: data.carrier !== undefined ? data.carrier : rule.carrier,
    method: data.method !== undefined ? data.method : rule.method,
    priceCents: data.priceCents !== undefined ? data.priceCents : rule.priceCents,
    days: data.days !== undefined ? data.days : rule.days,
  };

  let name: string | undefined;
  if (merged.name == null) v.add(ErrorCode.BAD_USER_INPUT, 'Give the rule a name.', f('name'));
  else name = label(v, merged.name, 'name', NAME_MAX, f('name'));
  if (data.position != null) v.check(isWhole(data.position, MAX_POSITION), `Position is a whole number from 0 to ${MAX_POSITION}.`, f('position'));

  const cepRanges = merged.postalCodeRanges == null ? null : ranges(v, merged.postalCodeRanges, f('postalCodeRanges'));
  const onlyFor = (field: keyof typeof merged, other: string) =>
    v.check(merged[field] == null, `${field} applies to ${other} rules only.`, f(field));

  let methods: string[] | null = null;
  let carrier: string | null = null;
  let method: string | null = null;
  if (kind === FreightRuleKind.FREE_SHIPPING) {
    if (merged.minMerchandiseCents != null) {
      v.check(isWhole(merged.minMerchandiseCents), 'The minimum merchandise is whole, non-negative centavos.', f('minMerchandiseCents'));
    }
    if (merged.methods != null) {
      v.check(merged.methods.length > 0, 'Give at least one method name (or null for every option).', f('methods'));
      v.check(merged.methods.length <= MAX_METHODS, `At most ${MAX_METHODS} method names.`, f('methods'));
      methods = [...new Set(merged.methods.map((m, i) => label(v, m, 'method name', LABEL_MAX, [...f('methods'), String(i)])))];
    }
    for (const field of ['carrier', 'method', 'priceCents', 'days'] as const) onlyFor(field, 'CUSTOM_FREIGHT');
  } else {
    v.check(merged.postalCodeRanges != null, 'Custom freight needs the CEP ranges it covers.', f('postalCodeRanges'));
    if (merged.carrier == null) v.add(ErrorCode.BAD_USER_INPUT, 'Give the carrier of the option.', f('carrier'));
    else carrier = label(v, merged.carrier, 'carrier', LABEL_MAX, f('carrier'));
    if (merged.method == null) v.add(ErrorCode.BAD_USER_INPUT, 'Give the method name shoppers see.', f('method'));
    else method = label(v, merged.method, 'method', LABEL_MAX, f('method'));
    v.check(merged.priceCents != null && isWhole(merged.priceCents), 'Give the price in whole, non-negative centavos.', f('priceCents'));
    v.check(merged.days != null && isWhole(merged.days, MAX_DAYS), `Give the delivery time, 0 to ${MAX_DAYS} days.`, f('days'));
    for (const field of ['minMerchandiseCents', 'methods'] as const) onlyFor(field, 'FREE_SHIPPING');
  }
  v.throwIfAny();

  rule.name = name!;
  if (data.active != null) rule.active = data.active;
  if (data.position != null) rule.position = data.position;
  rule.postalCodeRanges = cepRanges;
  if (kind === FreightRuleKind.FREE_SHIPPING) {
    rule.minMerchandiseCents = merged.minMerchandiseCents ?? null;
    rule.methods = methods;
  } else {
    rule.carrier = carrier;
    rule.method = method;
    rule.priceCents = merged.priceCents!;
    rule.days = merged.days!;
  }
}

export async function createFreightRule(ctx: Context, em: EntityManager, input: RuleData & { kind: FreightRuleKind }): Promise<FreightRuleEntity> {
  assertShippingWriter(ctx.viewer);
  // Built detached: applyRule validates first, and only a valid rule is persisted.
  const rule = new FreightRuleEntity();
  rule.kind = input.kind;
  applyRule(rule, input.kind, input, true);
  em.persist(rule);
  await em.flush();
  return rule;
}

export async function updateFreightRule(ctx: Context, em: EntityManager, id: string, input: RuleData): Promise<FreightRuleEntity> {
  assertShippingWriter(ctx.viewer);
  const rule = await findById(em, FreightRuleEntity, id, { options: { lockMode: LockMode.PESSIMISTIC_WRITE } });
  if (!rule) throw notFound('No freight rule has this id.', 'id');
  applyRule(rule, rule.kind, input, false);
  await em.flush();
  return rule;
}

export async function deleteFreightRule(ctx: Context, em: EntityManager, id: string): Promise<FreightRuleEntity> {
  assertShippingWriter(ctx.viewer);
  const rule = await findById(em, FreightRuleEntity, id);
  if (!rule) throw notFound('No freight rule has this id.', 'id');
  em.remove(rule);
  await em.flush();
  return rule;
}

export async function getShippingSettings(em: EntityManager): Promise<ShippingSettings> {
  return em.findOneOrFail(ShippingSettings, { id: 1 });
}

export async function readShippingSettings(ctx: Context): Promise<ShippingSettings> {
  assertShippingReader(ctx.viewer);
  return getShippingSettings(ctx.em);
}

export async function updateShippingSettings(
  ctx: Context,
  em: EntityManager,
  input: { originPostalCode?: string | null; carrierTimeoutMs?: number | null },
): Promise<ShippingSettings> {
  assertShippingWriter(ctx.viewer);
  const v = new Validation();
  const origin = input.originPostalCode == null ? undefined : normalizeCep(input.originPostalCode);
  if (input.originPostalCode != null) {
    v.check(origin !== undefined, 'The origin must be a CEP of 8 digits, like 01310-100.', ['input', 'originPostalCode']);
  }
  if (input.carrierTimeoutMs != null) {
    v.check(
      Number.isInteger(input.carrierTimeoutMs) && input.carrierTimeoutMs >= MIN_TIMEOUT_MS && input.carrierTimeoutMs <= MAX_TIMEOUT_MS,
      `The carrier timeout is ${MIN_TIMEOUT_MS} to ${MAX_TIMEOUT_MS} ms: a checkout waits that long at most before falling back.`,
      ['input', 'carrierTimeoutMs'],
    );
  }
  v.throwIfAny();
  const settings = await em.findOneOrFail(ShippingSettings, { id: 1 }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (origin !== undefined) settings.originPostalCode = origin;
  if (input.carrierTimeoutMs != null) settings.carrierTimeoutMs = input.carrierTimeoutMs;
  await em.flush();
  return settings;
}
