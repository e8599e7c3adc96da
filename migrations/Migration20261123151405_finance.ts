import { Migration } from '@mikro-orm/migrations';

export class Migration20261123151405_finance extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "ledger_entry" ("id" uuid not null, "kind" text check ("kind" in ('CHECKOUT', 'CAPTURE', 'CANCELLATION', 'REFUND', 'VOID', 'RETURN', 'CHARGEBACK', 'PAYOUT', 'ADJUSTMENT')) not null, "reference" varchar(200) not null, "cart_id" uuid null, "cart_number" varchar(40) null, "order_id" uuid null, "memo" text null, "created_at" timestamptz not null default now(), constraint "ledger_entry_pkey" primary key ("id"));`);
    this.addSql(`create index "ledger_entry_cart_id" on "ledger_entry" ("cart_id");`);
    this.addSql(`create index "ledger_entry_cart_number" on "ledger_entry" ("cart_number");`);
    this.addSql(`create index "ledger_entry_order_id" on "ledger_entry" ("order_id");`);
    this.addSql(`create index "ledger_entry_created" on "ledger_entry" ("created_at", "id");`);
    this.addSql(`alter table "ledger_entry" add constraint "ledger_entry_kind_reference_unique" unique ("kind", "reference");`);

    this.addSql(`create table "ledger_line" ("id" uuid not null, "entry_id" uuid not null, "position" smallint not null, "account" text check ("account" in ('CUSTOMER', 'PAYMENT_PROVIDER', 'SELLER_PAYABLE', 'COMMISSION_REVENUE', 'FREIGHT_REVENUE', 'PROMOTION_EXPENSE', 'GIFT_CARD')) not null, "seller_id" uuid null, "debit" bigint not null default 0, "credit" bigint not null default 0, "currency" varchar(3) not null, "created_at" timestamptz not null default now(), constraint "ledger_line_pkey" primary key ("id"), constraint ledger_line_seller_payable_has_seller check ("account" <> 'SELLER_PAYABLE' or "seller_id" is not null), constraint ledger_line_one_side check (("debit" > 0 and "credit" = 0) or ("credit" > 0 and "debit" = 0)));`);
    this.addSql(`create index "ledger_line_entry_id_index" on "ledger_line" ("entry_id");`);
    this.addSql(`create index "ledger_line_seller_statement" on "ledger_line" ("seller_id", "account", "created_at", "id");`);

    this.addSql(`create table "commission_rule" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "seller_id" uuid null, "category_id" uuid null, "rate_bps" int not null, constraint "commission_rule_pkey" primary key ("id"), constraint commission_rule_rate_range check ("rate_bps" >= 0 and "rate_bps" <= 10000), constraint commission_rule_has_target check ("seller_id" is not null or "category_id" is not null));`);
    this.addSql(`create index "commission_rule_seller_id_index" on "commission_rule" ("seller_id");`);
    this.addSql(`create index "commission_rule_category_id_index" on "commission_rule" ("category_id");`);
    this.addSql(`create unique index "commission_rule_target_unique" on "commission_rule" ("seller_id", "category_id") nulls not distinct;`);

    this.addSql(`alter table "ledger_line" add constraint "ledger_line_entry_id_foreign" foreign key ("entry_id") references "ledger_entry" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "ledger_line" add constraint "ledger_line_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "commission_rule" add constraint "commission_rule_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "commission_rule" add constraint "commission_rule_category_id_foreign" foreign key ("category_id") references "category" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ledger_line" cascade;`);
    this.addSql(`drop table if exists "ledger_entry" cascade;`);
    this.addSql(`drop table if exists "commission_rule" cascade;`);
  }

}
