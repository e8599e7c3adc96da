import { Migration } from '@mikro-orm/migrations';

export class Migration20261123151326_shipping extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "freight_rule" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "kind" text check ("kind" in ('FREE_SHIPPING', 'CUSTOM_FREIGHT')) not null, "name" varchar(120) not null, "active" boolean not null default true, "position" int not null default 0, "min_merchandise_cents" int null, "postal_code_ranges" jsonb null, "methods" jsonb null, "carrier" varchar(80) null, "method" varchar(80) null, "price_cents" int null, "days" int null, constraint "freight_rule_pkey" primary key ("id"), constraint freight_rule_custom_complete check ("kind" <> 'CUSTOM_FREIGHT' or ("carrier" is not null and "method" is not null and "price_cents" is not null and "days" is not null and "postal_code_ranges" is not null)));`);
    this.addSql(`create index "freight_rule_order" on "freight_rule" ("position", "created_at", "id");`);

    this.addSql(`create table "shipping_settings" ("id" int not null default 1, "origin_postal_code" varchar(8) not null default '01310100', "carrier_timeout_ms" int not null default 10000, "updated_at" timestamptz not null default now(), constraint "shipping_settings_pkey" primary key ("id"), constraint shipping_settings_single_row check ("id" = 1));`);
    // The single settings row, with a default origin (Av. Paulista, São Paulo), so checkout
    // quotes out of the box; operators change it with updateShippingSettings.
    this.addSql(`insert into "shipping_settings" ("id") values (1);`);

    this.addSql(`create table "shipping_table" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(120) not null, "carrier" varchar(80) not null, "method" varchar(80) not null, "scheduled" boolean not null default false, "active" boolean not null default true, "contingency" boolean not null default false, "rows" jsonb not null, constraint "shipping_table_pkey" primary key ("id"), constraint shipping_table_contingency_not_scheduled check (not ("contingency" and "scheduled")));`);
    this.addSql(`create unique index "shipping_table_carrier_method" on "shipping_table" ("carrier", "method") where not "contingency";`);
    this.addSql(`create unique index "shipping_table_one_contingency" on "shipping_table" (("contingency")) where "contingency";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "freight_rule" cascade;`);

    this.addSql(`drop table if exists "shipping_settings" cascade;`);

    this.addSql(`drop table if exists "shipping_table" cascade;`);
  }

}
