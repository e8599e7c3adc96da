import { Migration } from '@mikro-orm/migrations';

/**
 * Money that cannot wrap: every amount that is summed, multiplied by a quantity or compared
 * with such a sum becomes bigint (order and line figures, payment transactions and parts, gift
 * card values, promotion amounts and thresholds, freight-rule amounts, the minimum
 * installment). Per-unit prices (sku, cart_line, order_line unit price, product min price) stay
 * integer: the catalog bounds them by MAX_UNIT_PRICE_CENTS (R$ 20 million). The ledger's
 * debit and credit were bigint from the start.
 *
 * One ALTER TABLE per table, so each table is rewritten once; widening keeps every value, and
 * the check constraints over these columns (total = merchandise − discount + freight, refunded
 * ≤ captured, balance ≤ initial …) are re-checked by PostgreSQL and still hold.
 */
export class Migration20261206131841_money_bigint extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "freight_rule"
      alter column "min_merchandise_cents" type bigint using ("min_merchandise_cents"::bigint),
      alter column "price_cents" type bigint using ("price_cents"::bigint);`);
    this.addSql(`alter table "gift_card"
      alter column "initial_cents" type bigint using ("initial_cents"::bigint),
      alter column "balance_cents" type bigint using ("balance_cents"::bigint);`);
    this.addSql(`alter table "marketplace_settings"
      alter column "min_installment_cents" type bigint using ("min_installment_cents"::bigint);`);
    this.addSql(`alter table "payment_transaction"
      alter column "amount_cents" type bigint using ("amount_cents"::bigint),
      alter column "authorized_cents" type bigint using ("authorized_cents"::bigint),
      alter column "captured_cents" type bigint using ("captured_cents"::bigint),
      alter column "released_cents" type bigint using ("released_cents"::bigint),
      alter column "refunded_cents" type bigint using ("refunded_cents"::bigint),
      alter column "charged_back_cents" type bigint using ("charged_back_cents"::bigint);`);
    this.addSql(`alter table "payment_part"
      alter column "amount_cents" type bigint using ("amount_cents"::bigint),
      alter column "captured_cents" type bigint using ("captured_cents"::bigint),
      alter column "released_cents" type bigint using ("released_cents"::bigint),
      alter column "refunded_cents" type bigint using ("refunded_cents"::bigint);`);
    this.addSql(`alter table "promotion"
      alter column "value" type bigint using ("value"::bigint),
      alter column "min_merchandise_cents" type bigint using ("min_merchandise_cents"::bigint),
      alter column "max_discount_cents" type bigint using ("max_discount_cents"::bigint);`);
    this.addSql(`alter table "order"
      alter column "merchandise_cents" type bigint using ("merchandise_cents"::bigint),
      alter column "discount_cents" type bigint using ("discount_cents"::bigint),
      alter column "seller_funded_discount_cents" type bigint using ("seller_funded_discount_cents"::bigint),
      alter column "freight_cents" type bigint using ("freight_cents"::bigint),
      alter column "total_cents" type bigint using ("total_cents"::bigint),
      alter column "commission_cents" type bigint using ("commission_cents"::bigint),
      alter column "seller_receivable_cents" type bigint using ("seller_receivable_cents"::bigint);`);
    this.addSql(`alter table "order_line"
      alter column "merchandise_cents" type bigint using ("merchandise_cents"::bigint),
      alter column "discount_cents" type bigint using ("discount_cents"::bigint),
      alter column "seller_funded_discount_cents" type bigint using ("seller_funded_discount_cents"::bigint),
      alter column "freight_cents" type bigint using ("freight_cents"::bigint),
      alter column "total_cents" type bigint using ("total_cents"::bigint),
      alter column "commission_base_cents" type bigint using ("commission_base_cents"::bigint),
      alter column "commission_cents" type bigint using ("commission_cents"::bigint),
      alter column "seller_receivable_cents" type bigint using ("seller_receivable_cents"::bigint);`);
  }

  /** Narrowing back fails (22003, out of range) if any amount has outgrown 32 bits: it never truncates. */
  override async down(): Promise<void> {
    this.addSql(`alter table "freight_rule"
      alter column "min_merchandise_cents" type int4 using ("min_merchandise_cents"::int4),
      alter column "price_cents" type int4 using ("price_cents"::int4);`);
    this.addSql(`alter table "gift_card"
      alter column "initial_cents" type int4 using ("initial_cents"::int4),
      alter column "balance_cents" type int4 using ("balance_cents"::int4);`);
    this.addSql(`alter table "marketplace_settings"
      alter column "min_installment_cents" type int4 using ("min_installment_cents"::int4);`);
    this.addSql(`alter table "order"
      alter column "merchandise_cents" type int4 using ("merchandise_cents"::int4),
      alter column "discount_cents" type int4 using ("discount_cents"::int4),
      alter column "seller_funded_discount_cents" type int4 using ("seller_funded_discount_cents"::int4),
      alter column "freight_cents" type int4 using ("freight_cents"::int4),
      alter column "total_cents" type int4 using ("total_cents"::int4),
      alter column "commission_cents" type int4 using ("commission_cents"::int4),
      alter column "seller_receivable_cents" type int4 using ("seller_receivable_cents"::int4);`);
    this.addSql(`alter table "order_line"
      alter column "merchandise_cents" type int4 using ("merchandise_cents"::int4),
      alter column "discount_cents" type int4 using ("discount_cents"::int4),
      alter column "seller_funded_discount_cents" type int4 using ("seller_funded_discount_cents"::int4),
      alter column "freight_cents" type int4 using ("freight_cents"::int4),
      alter column "total_cents" type int4 using ("total_cents"::int4),
      alter column "commission_base_cents" type int4 using ("commission_base_cents"::int4),
      alter column "commission_cents" type int4 using ("commission_cents"::int4),
      alter column "seller_receivable_cents" type int4 using ("seller_receivable_cents"::int4);`);
    this.addSql(`alter table "payment_part"
      alter column "amount_cents" type int4 using ("amount_cents"::int4),
      alter column "captured_cents" type int4 using ("captured_cents"::int4),
      alter column "released_cents" type int4 using ("released_cents"::int4),
      alter column "refunded_cents" type int4 using ("refunded_cents"::int4);`);
    this.addSql(`alter table "payment_transaction"
      alter column "amount_cents" type int4 using ("amount_cents"::int4),
      alter column "authorized_cents" type int4 using ("authorized_cents"::int4),
      alter column "captured_cents" type int4 using ("captured_cents"::int4),
      alter column "released_cents" type int4 using ("released_cents"::int4),
      alter column "refunded_cents" type int4 using ("refunded_cents"::int4),
      alter column "charged_back_cents" type int4 using ("charged_back_cents"::int4);`);
    this.addSql(`alter table "promotion"
      alter column "value" type int4 using ("value"::int4),
      alter column "min_merchandise_cents" type int4 using ("min_merchandise_cents"::int4),
      alter column "max_discount_cents" type int4 using ("max_discount_cents"::int4);`);
  }

}
