import { Migration } from '@mikro-orm/migrations';

export class Migration20261123151115_carts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "cart" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "token_hash" varchar(64) not null, "customer_id" uuid null, "created_by_id" uuid null, "status" text check ("status" in ('OPEN', 'CHECKED_OUT')) not null default 'OPEN', "buyer_name" varchar(200) null, "buyer_email" varchar(320) null, "buyer_document_type" text check ("buyer_document_type" in ('CNPJ', 'CPF')) null, "buyer_document" varchar(14) null, "buyer_phone" varchar(11) null, "address_recipient" varchar(200) null, "address_street" varchar(200) null, "address_number" varchar(20) null, "address_complement" varchar(200) null, "address_district" varchar(100) null, "address_city" varchar(100) null, "address_state" varchar(2) null, "address_postal_code" varchar(8) null, "voucher_code" varchar(40) null, "shipping_carrier" varchar(100) null, "shipping_method" varchar(100) null, "checked_out_at" timestamptz null, constraint "cart_pkey" primary key ("id"));`);
    this.addSql(`alter table "cart" add constraint "cart_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "cart_created_by_id_index" on "cart" ("created_by_id");`);
    this.addSql(`create index "cart_customer_open" on "cart" ("customer_id", "status", "created_at");`);

    this.addSql(`create table "cart_line" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "cart_id" uuid not null, "sku_id" uuid not null, "quantity" int not null, "unit_price_cents" int not null, "position" int not null default 0, constraint "cart_line_pkey" primary key ("id"), constraint cart_line_unit_price_not_negative check ("unit_price_cents" >= 0), constraint cart_line_quantity_range check ("quantity" >= 1 and "quantity" <= 999));`);
    this.addSql(`create index "cart_line_sku_id_index" on "cart_line" ("sku_id");`);
    this.addSql(`alter table "cart_line" add constraint "cart_line_sku_unique" unique ("cart_id", "sku_id");`);

    this.addSql(`alter table "cart" add constraint "cart_customer_id_foreign" foreign key ("customer_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "cart" add constraint "cart_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "cart_line" add constraint "cart_line_cart_id_foreign" foreign key ("cart_id") references "cart" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "cart_line" add constraint "cart_line_sku_id_foreign" foreign key ("sku_id") references "sku" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "cart_line" drop constraint "cart_line_cart_id_foreign";`);

    this.addSql(`drop table if exists "cart" cascade;`);

    this.addSql(`drop table if exists "cart_line" cascade;`);
  }

}
