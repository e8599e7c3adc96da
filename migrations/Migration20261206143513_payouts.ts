import { Migration } from '@mikro-orm/migrations';

export class Migration20261206143513_payouts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "chargeback" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "transaction_id" uuid not null, "cart_id" uuid not null, "cart_number" varchar(40) not null, "part_index" int not null, "method" varchar(20) not null, "provider" varchar(20) null, "amount_cents" bigint not null, "currency" varchar(3) not null, "bearer" text check ("bearer" in ('SELLER', 'OPERATOR')) not null, "status" text check ("status" in ('OPEN', 'REVERSED')) not null, "source" text check ("source" in ('PROVIDER', 'OPERATOR')) not null, "reference" varchar(250) not null, "reason" text null, "reversed_at" timestamptz null, constraint "chargeback_pkey" primary key ("id"));`);
    this.addSql(`create index "chargeback_cart_id" on "chargeback" ("cart_id");`);
    this.addSql(`alter table "chargeback" add constraint "chargeback_part_unique" unique ("transaction_id", "part_index");`);

    this.addSql(`create table "payout_run" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "idempotency_key" varchar(200) not null, "period_end" date not null, "trigger" text check ("trigger" in ('OPERATOR', 'CALENDAR')) not null, "requested_by_id" uuid null, "completed_at" timestamptz null, constraint "payout_run_pkey" primary key ("id"));`);
    this.addSql(`alter table "payout_run" add constraint "payout_run_key_unique" unique ("idempotency_key");`);

    this.addSql(`create table "payout" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "seller_id" uuid not null, "run_id" uuid not null, "period_end" date not null, "status" text check ("status" in ('PROCESSING', 'PAID', 'FAILED', 'CARRIED_FORWARD')) not null, "amount_cents" bigint not null, "currency" varchar(3) not null, "provider" varchar(20) null, "destination" jsonb null, "transfer_state" text check ("transfer_state" in ('NOT_SENT', 'SENT', 'UNCERTAIN')) not null default 'NOT_SENT', "transfer_id" varchar(100) null, "end_to_end_id" varchar(100) null, "submitted_at" timestamptz null, "paid_at" timestamptz null, "failed_at" timestamptz null, "failure_reason" text null, constraint "payout_pkey" primary key ("id"), constraint payout_amount_sign check (("status" = 'CARRIED_FORWARD' and "amount_cents" <= 0) or ("status" <> 'CARRIED_FORWARD' and "amount_cents" > 0)));`);
    this.addSql(`create index "payout_run_id_index" on "payout" ("run_id");`);
    this.addSql(`create index "payout_status_transfer" on "payout" ("status", "transfer_state");`);
    this.addSql(`alter table "payout" add constraint "payout_seller_period_unique" unique ("seller_id", "period_end");`);

    this.addSql(`create table "seller_adjustment" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "seller_id" uuid not null, "amount_cents" bigint not null, "currency" varchar(3) not null, "reason" text not null, "idempotency_key" varchar(200) not null, "created_by_id" uuid null, constraint "seller_adjustment_pkey" primary key ("id"), constraint seller_adjustment_not_zero check ("amount_cents" <> 0));`);
    this.addSql(`create index "seller_adjustment_seller_id_index" on "seller_adjustment" ("seller_id");`);
    this.addSql(`alter table "seller_adjustment" add constraint "seller_adjustment_key_unique" unique ("idempotency_key");`);

    this.addSql(`create table "receivable" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "seller_id" uuid not null, "kind" text check ("kind" in ('ORDER', 'ADJUSTMENT')) not null, "order_id" uuid null, "adjustment_id" uuid null, "status" text check ("status" in ('PENDING', 'SCHEDULED', 'PAID', 'CANCELLED')) not null, "available_on" date null, "settled_cents" bigint not null default 0, constraint "receivable_pkey" primary key ("id"), constraint receivable_kind_target check (("kind" = 'ORDER' and "order_id" is not null and "adjustment_id" is null) or ("kind" = 'ADJUSTMENT' and "adjustment_id" is not null and "order_id" is null)));`);
    this.addSql(`alter table "receivable" add constraint "receivable_order_unique" unique ("order_id");`);
    this.addSql(`alter table "receivable" add constraint "receivable_adjustment_unique" unique ("adjustment_id");`);
    this.addSql(`create index "receivable_seller_status" on "receivable" ("seller_id", "status", "available_on");`);

    this.addSql(`create table "payout_item" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "payout_id" uuid not null, "receivable_id" uuid not null, "amount_cents" bigint not null, constraint "payout_item_pkey" primary key ("id"));`);
    this.addSql(`create index "payout_item_payout_id_index" on "payout_item" ("payout_id");`);
    this.addSql(`create index "payout_item_receivable_id_index" on "payout_item" ("receivable_id");`);
    this.addSql(`alter table "payout_item" add constraint "payout_item_unique" unique ("payout_id", "receivable_id");`);

    this.addSql(`create table "chargeback_share" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "chargeback_id" uuid not null, "order_id" uuid not null, "seller_id" uuid not null, "amount_cents" bigint not null, constraint "chargeback_share_pkey" primary key ("id"));`);
    this.addSql(`create index "chargeback_share_chargeback_id_index" on "chargeback_share" ("chargeback_id");`);
    this.addSql(`create index "chargeback_share_order_id_index" on "chargeback_share" ("order_id");`);
    this.addSql(`create index "chargeback_share_seller_id_index" on "chargeback_share" ("seller_id");`);

    this.addSql(`alter table "payout" add constraint "payout_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "payout" add constraint "payout_run_id_foreign" foreign key ("run_id") references "payout_run" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "seller_adjustment" add constraint "seller_adjustment_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "receivable" add constraint "receivable_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "receivable" add constraint "receivable_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "receivable" add constraint "receivable_adjustment_id_foreign" foreign key ("adjustment_id") references "seller_adjustment" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "payout_item" add constraint "payout_item_payout_id_foreign" foreign key ("payout_id") references "payout" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "payout_item" add constraint "payout_item_receivable_id_foreign" foreign key ("receivable_id") references "receivable" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "chargeback_share" add constraint "chargeback_share_chargeback_id_foreign" foreign key ("chargeback_id") references "chargeback" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "chargeback_share" add constraint "chargeback_share_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "chargeback_share" add constraint "chargeback_share_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "marketplace_settings" add column "settlement_basis" text check ("settlement_basis" in ('DAYS_AFTER_DELIVERY', 'AFTER_RETURN_WINDOW')) not null default 'DAYS_AFTER_DELIVERY', add column "settlement_days" int not null default 14, add column "settlement_fallback_days" int not null default 30, add column "payout_frequency" text check ("payout_frequency" in ('WEEKLY', 'FORTNIGHTLY', 'MONTHLY')) not null default 'WEEKLY', add column "payout_weekday" smallint not null default 3, add column "payout_month_day" smallint not null default 1, add column "time_zone" varchar(64) not null default 'America/Sao_Paulo', add column "chargeback_bearer" text check ("chargeback_bearer" in ('SELLER', 'OPERATOR')) not null default 'SELLER';`);
    this.addSql(`alter table "marketplace_settings" add constraint marketplace_settings_payout_calendar check("payout_weekday" >= 1 and "payout_weekday" <= 7 and "payout_month_day" >= 1 and "payout_month_day" <= 31 and "settlement_days" >= 0 and "settlement_days" <= 365 and "settlement_fallback_days" >= 0 and "settlement_fallback_days" <= 365 and "return_window_days" >= 0 and "return_window_days" <= 365);`);

    this.addSql(`alter table "payment_part" add column "charged_back_cents" bigint not null default 0;`);

    // Parts charged back before this column existed: what was taken back is what refunded_cents
    // holds for them (the transaction's charged_back_cents was already summed that way).
    this.addSql(`update "payment_part" set "charged_back_cents" = "refunded_cents" where "status" = 'CHARGED_BACK';`);

    // The receivables of the orders that already exist, one per order, by the default rule
    // (columns just added: 14 days after delivery, or 30 after shipping, the earlier; São
    // Paulo dates). Their amounts are the ledger's, whatever it holds for each order.
    this.addSql(`insert into "receivable" ("id", "created_at", "updated_at", "seller_id", "kind", "order_id", "status", "available_on", "settled_cents")
      select gen_random_uuid(), o."created_at", now(), o."seller_id", 'ORDER', o."id",
             case when o."status" in ('PENDING_PAYMENT', 'PENDING_FRAUD_REVIEW') then 'PENDING'
                  when o."status" = 'CANCELLED' then 'CANCELLED'
                  else 'SCHEDULED' end,
             case when o."status" in ('APPROVED', 'INVOICED', 'SHIPPED', 'DELIVERED')
                  then least((o."shipped_at" at time zone 'America/Sao_Paulo')::date + 30, (o."delivered_at" at time zone 'America/Sao_Paulo')::date + 14) end,
             0
        from "order" o
          on conflict do nothing;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "chargeback_share" drop constraint "chargeback_share_chargeback_id_foreign";`);

    this.addSql(`alter table "payout" drop constraint "payout_run_id_foreign";`);

    this.addSql(`alter table "payout_item" drop constraint "payout_item_payout_id_foreign";`);

    this.addSql(`alter table "receivable" drop constraint "receivable_adjustment_id_foreign";`);

    this.addSql(`alter table "payout_item" drop constraint "payout_item_receivable_id_foreign";`);

    this.addSql(`drop table if exists "chargeback" cascade;`);

    this.addSql(`drop table if exists "payout_run" cascade;`);

    this.addSql(`drop table if exists "payout" cascade;`);

    this.addSql(`drop table if exists "seller_adjustment" cascade;`);

    this.addSql(`drop table if exists "receivable" cascade;`);

    this.addSql(`drop table if exists "payout_item" cascade;`);

    this.addSql(`drop table if exists "chargeback_share" cascade;`);

    this.addSql(`alter table "marketplace_settings" drop constraint marketplace_settings_payout_calendar;`);
    this.addSql(`alter table "marketplace_settings" drop column "settlement_basis", drop column "settlement_days", drop column "settlement_fallback_days", drop column "payout_frequency", drop column "payout_weekday", drop column "payout_month_day", drop column "time_zone", drop column "chargeback_bearer";`);

    this.addSql(`alter table "payment_part" drop column "charged_back_cents";`);
  }

}
