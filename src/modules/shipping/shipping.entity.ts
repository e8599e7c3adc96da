import { Check, Entity, Enum, Index, PrimaryKey, Property, type Opt } from '@mikro-orm/core';
import { BaseEntity } from '../../shared/db/base.entity.js';
import { CentsType } from '../../shared/money/index.js';
import type { PostalCodeRange, ShippingTableRow } from './shipping.types.js';

/**
 * A carrier's price list for one shipping method, or the store's contingency table.
 *
 * Rows live in a jsonb column rather than a child table: a table is always read whole (every
 * quote matches against all rows of every active table, in memory, with `matchRow`) and
 * written whole (CSV import replaces or appends, and overlaps are checked across the full set
 * before anything is saved). Nothing ever queries one row by SQL, so a child table would only
 * turn one read into a join and one import into thousands of inserts. Writes lock the table's
 * record, so two imports into one table never interleave.
 *
 * The contingency table is this same record with `contingency` set: same rows, same import,
 * same API. A partial unique index keeps it to one, and a check keeps it unscheduled, because
 * it must be able to serve every cart, marketplace ones included.
 */
@Entity({ tableName: 'shipping_table' })
@Check({ name: 'shipping_table_contingency_not_scheduled', expression: 'not ("contingency" and "scheduled")' })
@Index({
  name: 'shipping_table_one_contingency',
  expression: 'create unique index "shipping_table_one_contingency" on "shipping_table" (("contingency")) where "contingency"',
})
@Index({
  name: 'shipping_table_carrier_method',
  // Carrier and method identify a shopper's option (the cart stores them), so two ordinary
  // tables may not share them; the contingency table may repeat a carrier's method.
  expression: 'create unique index "shipping_table_carrier_method" on "shipping_table" ("carrier", "method") where not "contingency"',
})
export class ShippingTableEntity extends BaseEntity {
  /** The operator's label ("Correios PAC — capitais"); shoppers see carrier and method. */
  @Property({ type: 'string', length: 120 })
  name!: string;

  @Property({ type: 'string', length: 80 })
  carrier!: string;

  @Property({ type: 'string', length: 80 })
  method!: string;

  @Property({ type: 'boolean', default: false })
  scheduled: Opt<boolean> = false;

  /** Inactive tables are kept (with their rows) but never quote. */
  @Property({ type: 'boolean', default: true })
  active: Opt<boolean> = true;

  @Property({ type: 'boolean', default: false })
  contingency: Opt<boolean> = false;

  /** Normalised rows (8-digit CEPs, grams, centavos), kept sorted by CEP then weight. */
  @Property({ type: 'json' })
  rows: Opt<ShippingTableRow[]> = [];
}

export enum FreightRuleKind {
  FREE_SHIPPING = 'FREE_SHIPPING',
  CUSTOM_FREIGHT = 'CUSTOM_FREIGHT',
}

/**
 * A store-wide freight rule. Both kinds share one table because they share their life cycle
 * (ordered list, active switch) and most conditions; the checks keep each kind's required
 * columns present. Quotes apply rules in `position` order (then creation), which matters for
 * free shipping: the first rule that covers an option is the one recorded on it.
 */
@Entity({ tableName: 'freight_rule' })
@Check({
  name: 'freight_rule_custom_complete',
  expression:
    `"kind" <> 'CUSTOM_FREIGHT' or ("carrier" is not null and "method" is not null and "price_cents" is not null and "days" is not null and "postal_code_ranges" is not null)`,
})
@Index({ name: 'freight_rule_order', properties: ['position', 'createdAt', 'id'] })
export class FreightRuleEntity extends BaseEntity {
  @Enum({ items: () => FreightRuleKind })
  kind!: FreightRuleKind;

  @Property({ type: 'string', length: 120 })
  name!: string;

  @Property({ type: 'boolean', default: true })
  active: Opt<boolean> = true;

  @Property({ type: 'integer', default: 0 })
  position: Opt<number> = 0;

  /** FREE_SHIPPING: the cart's merchandise subtotal must reach this (inclusive). */
  @Property({ type: new CentsType(), nullable: true })
  minMerchandiseCents?: number | null;

  /** Normalised, inclusive CEP ranges. Required for CUSTOM_FREIGHT, optional for FREE_SHIPPING. */
  @Property({ type: 'json', nullable: true })
  postalCodeRanges?: PostalCodeRange[] | null;

  /** FREE_SHIPPING: only these method names ship free; null means every option. */
  @Property({ type: 'json', nullable: true })
  methods?: string[] | null;

  /** CUSTOM_FREIGHT: the option the rule offers. */
  @Property({ type: 'string', length: 80, nullable: true })
  carrier?: string | null;

  @Property({ type: 'string', length: 80, nullable: true })
  method?: string | null;

  @Property({ type: new CentsType(), nullable: true })
  priceCents?: number | null;

  @Property({ type: 'integer', nullable: true })
  days?: number | null;
}

export const DEFAULT_ORIGIN_POSTAL_CODE = '01310100';
export const DEFAULT_CARRIER_TIMEOUT_MS = 10_000;

/** One row (id 1): where every seller dispatches from, and how long a quote waits for carriers. */
@Entity({ tableName: 'shipping_settings' })
@Check({ name: 'shipping_settings_single_row', expression: '"id" = 1' })
export class ShippingSettings {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id: number = 1;

  /** Normalised 8-digit CEP of the store's single origin address. */
  @Property({ type: 'string', length: 8, default: DEFAULT_ORIGIN_POSTAL_CODE })
  originPostalCode: Opt<string> = DEFAULT_ORIGIN_POSTAL_CODE;

  /** The longest a quote waits for any carrier before it falls back; see FreightSetup. */
  @Property({ type: 'integer', default: DEFAULT_CARRIER_TIMEOUT_MS })
  carrierTimeoutMs: Opt<number> = DEFAULT_CARRIER_TIMEOUT_MS;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Opt<Date> = new Date();
}
