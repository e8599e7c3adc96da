import { Migration } from '@mikro-orm/migrations';

export class Migration20261206164635_campaigns extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "campaign" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(120) not null, "kind" text check ("kind" in ('PRICE', 'CASH_PRICE', 'PAYMENT_METHOD', 'FREIGHT')) not null, "payment_method" text check ("payment_method" in ('PIX', 'BANK_DEPOSIT', 'CARD')) null, "discount_type" text check ("discount_type" in ('PERCENTAGE', 'FIXED')) not null, "min_discount" bigint not null, "max_discount" bigint not null, "funding" text check ("funding" in ('SELLER', 'SHARED')) not null, "operator_share_percent" int null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "seller_ids" jsonb not null, "category_ids" jsonb not null, "max_skus_per_seller" int null, "published_at" timestamptz null, constraint "campaign_pkey" primary key ("id"), constraint campaign_funding_share check ((funding = 'SHARED' and operator_share_percent >= 1 and operator_share_percent <= 99) or (funding <> 'SHARED' and operator_share_percent is null)), constraint campaign_bounds check ("min_discount" >= 1 and "max_discount" >= "min_discount"), constraint campaign_period check ("ends_at" > "starts_at"));`);
    this.addSql(`create index "campaign_period_index" on "campaign" ("starts_at", "ends_at");`);

    this.addSql(`create table "campaign_sku" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "campaign_id" uuid not null, "seller_id" uuid not null, "sku_id" uuid not null, "discount" bigint not null, constraint "campaign_sku_pkey" primary key ("id"));`);
    this.addSql(`create index "campaign_sku_by_seller" on "campaign_sku" ("campaign_id", "seller_id");`);
    this.addSql(`create index "campaign_sku_by_sku" on "campaign_sku" ("sku_id");`);
    this.addSql(`alter table "campaign_sku" add constraint "campaign_sku_once" unique ("campaign_id", "sku_id");`);

    this.addSql(`alter table "campaign_sku" add constraint "campaign_sku_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "campaign_sku" add constraint "campaign_sku_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "campaign_sku" add constraint "campaign_sku_sku_id_foreign" foreign key ("sku_id") references "sku" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order" add column "campaign_discount_cents" bigint not null default 0, add column "freight_discount_cents" bigint not null default 0, add column "freight_campaign_id" uuid null;`);

    this.addSql(`alter table "order_line" add column "campaign_id" uuid null, add column "campaign_discount_cents" bigint not null default 0, add column "campaign_seller_funded_cents" bigint not null default 0, add column "freight_discount_cents" bigint not null default 0;`);
    this.addSql(`create index "order_line_campaign_index" on "order_line" ("campaign_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "campaign_sku" drop constraint "campaign_sku_campaign_id_foreign";`);

    this.addSql(`drop table if exists "campaign" cascade;`);

    this.addSql(`drop table if exists "campaign_sku" cascade;`);

    this.addSql(`alter table "order" drop column "campaign_discount_cents", drop column "freight_discount_cents", drop column "freight_campaign_id";`);

    this.addSql(`drop index "order_line_campaign_index";`);
    this.addSql(`alter table "order_line" drop column "campaign_id", drop column "campaign_discount_cents", drop column "campaign_seller_funded_cents", drop column "freight_discount_cents";`);
  }

}
