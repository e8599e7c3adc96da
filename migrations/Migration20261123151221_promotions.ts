import { Migration } from '@mikro-orm/migrations';

export class Migration20261123151221_promotions extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "promotion" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(120) not null, "kind" text check ("kind" in ('PERCENTAGE', 'FIXED', 'FREE_SHIPPING', 'PAYMENT_METHOD')) not null, "value" int null, "payment_method" text check ("payment_method" in ('PIX', 'BANK_DEPOSIT', 'CARD_ONE_INSTALLMENT')) null, "code" varchar(40) null, "min_merchandise_cents" int null, "max_discount_cents" int null, "starts_at" timestamptz null, "ends_at" timestamptz null, "usage_limit" int null, "per_customer_limit" int null, "usage_count" int not null default 0, "active" boolean not null default true, "funded_by" text check ("funded_by" in ('OPERATOR', 'SELLER', 'SHARED')) not null default 'OPERATOR', "seller_share_percent" int null, constraint "promotion_pkey" primary key ("id"), constraint promotion_seller_share check ((funded_by = 'SHARED' and seller_share_percent >= 1 and seller_share_percent <= 99) or (funded_by <> 'SHARED' and seller_share_percent is null)), constraint promotion_usage_within_limit check (usage_limit is null or usage_count <= usage_limit), constraint promotion_code_upper check (code is null or code = upper(code)));`);
    this.addSql(`alter table "promotion" add constraint "promotion_code_unique" unique ("code");`);
    this.addSql(`create index "promotion_listing" on "promotion" ("created_at" desc, "id");`);

    this.addSql(`create table "promotion_redemption" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "promotion_id" uuid not null, "cart_id" uuid not null, "customer_id" uuid null, constraint "promotion_redemption_pkey" primary key ("id"));`);
    this.addSql(`create index "promotion_redemption_by_customer" on "promotion_redemption" ("promotion_id", "customer_id");`);
    this.addSql(`alter table "promotion_redemption" add constraint "promotion_redemption_once_per_cart" unique ("promotion_id", "cart_id");`);

    this.addSql(`alter table "promotion_redemption" add constraint "promotion_redemption_promotion_id_foreign" foreign key ("promotion_id") references "promotion" ("id") on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "promotion_redemption" drop constraint "promotion_redemption_promotion_id_foreign";`);

    this.addSql(`drop table if exists "promotion" cascade;`);

    this.addSql(`drop table if exists "promotion_redemption" cascade;`);
  }

}
