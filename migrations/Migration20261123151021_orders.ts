import { Migration } from '@mikro-orm/migrations';

export class Migration20261123151021_orders extends Migration {

  override async up(): Promise<void> {
    // Cart numbers: the middle of every order code. A sequence never hands one number to two
    // checkouts, and gaps (a declined payment burns a number) are harmless.
    this.addSql(`create sequence if not exists "cart_number_seq" start with 100001 minvalue 100001 no cycle;`);
    this.addSql(`create table "checkout_attempt" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "idempotency_key" varchar(200) not null, "cart_token_hash" varchar(64) not null, "status" text check ("status" in ('IN_PROGRESS', 'COMPLETED')) not null, "cart_id" uuid null, "cart_number" varchar(20) null, constraint "checkout_attempt_pkey" primary key ("id"));`);
    this.addSql(`alter table "checkout_attempt" add constraint "checkout_attempt_key_unique" unique ("idempotency_key");`);

    this.addSql(`create table "order" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "code" varchar(40) not null, "cart_id" uuid not null, "cart_number" varchar(20) not null, "position" int not null, "seller_id" uuid not null, "customer_id" uuid null, "agent_id" uuid null, "status" text check ("status" in ('PENDING_PAYMENT', 'PENDING_FRAUD_REVIEW', 'APPROVED', 'INVOICED', 'SHIPPED', 'DELIVERED', 'CANCELLED')) not null, "buyer_name" varchar(200) not null, "buyer_email" varchar(320) not null, "buyer_document" varchar(14) not null, "buyer_phone" varchar(20) not null, "shipping_address" jsonb not null, "shipping_carrier" varchar(100) not null, "shipping_method" varchar(100) not null, "shipping_days" int not null, "shipping_source" varchar(20) not null, "currency" varchar(3) not null, "merchandise_cents" int not null, "discount_cents" int not null, "seller_funded_discount_cents" int not null, "freight_cents" int not null, "total_cents" int not null, "weight_grams" int not null, "commission_cents" int not null, "seller_receivable_cents" int not null, "placed_at" timestamptz not null, "approved_at" timestamptz null, "cancelled_at" timestamptz null, "cancellation_reason" text check ("cancellation_reason" in ('SHOPPER_REQUEST', 'SELLER_REQUEST', 'OPERATOR_REQUEST', 'FRAUD_REJECTED', 'PAYMENT_EXPIRED')) null, "cancellation_note" text null, constraint "order_pkey" primary key ("id"), constraint order_total_adds_up check ("total_cents" = "merchandise_cents" - "discount_cents" + "freight_cents"));`);
    this.addSql(`alter table "order" add constraint "order_code_unique" unique ("code");`);
    this.addSql(`create index "order_cart_id_index" on "order" ("cart_id");`);
    this.addSql(`create index "order_cart_number_index" on "order" ("cart_number");`);
    this.addSql(`create index "order_customer_id_index" on "order" ("customer_id");`);
    this.addSql(`create index "order_status_index" on "order" ("status");`);
    this.addSql(`create index "order_seller_created_index" on "order" ("seller_id", "created_at");`);
    this.addSql(`alter table "order" add constraint "order_cart_position_unique" unique ("cart_id", "position");`);

    this.addSql(`create table "order_line" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "order_id" uuid not null, "position" int not null, "sku_id" uuid not null, "sku_code" varchar(51) not null, "sku_seller_code" varchar(40) not null, "product_name" varchar(300) not null, "category_id" uuid null, "quantity" int not null, "unit_price_cents" int not null, "weight_grams" int not null, "merchandise_cents" int not null, "discount_cents" int not null, "seller_funded_discount_cents" int not null, "freight_cents" int not null, "total_cents" int not null, "commission_bps" int not null, "commission_base_cents" int not null, "commission_cents" int not null, "seller_receivable_cents" int not null, constraint "order_line_pkey" primary key ("id"), constraint order_line_quantity_positive check ("quantity" > 0), constraint order_line_total_adds_up check ("total_cents" = "merchandise_cents" - "discount_cents" + "freight_cents"));`);
    this.addSql(`create index "order_line_order_id_index" on "order_line" ("order_id");`);
    this.addSql(`create index "order_line_sku_id_index" on "order_line" ("sku_id");`);

    this.addSql(`create table "fraud_analysis" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "cart_id" uuid not null, "cart_number" varchar(20) not null, "status" text check ("status" in ('PENDING', 'APPROVED', 'REJECTED', 'REVIEW')) not null, "analyzer_outcome" text check ("analyzer_outcome" in ('PENDING', 'APPROVED', 'REJECTED', 'REVIEW')) null, "score" int null, "reasons" jsonb not null, "provider" varchar(40) null, "provider_ref" varchar(120) null, "request" jsonb not null, "analyzed_at" timestamptz null, "decided_by_id" uuid null, "decided_at" timestamptz null, "decision_note" text null, constraint "fraud_analysis_pkey" primary key ("id"));`);
    this.addSql(`alter table "fraud_analysis" add constraint "fraud_analysis_cart_unique" unique ("cart_id");`);
    this.addSql(`alter table "fraud_analysis" add constraint "fraud_analysis_cart_number_unique" unique ("cart_number");`);

    this.addSql(`alter table "order" add constraint "order_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "order" add constraint "order_customer_id_foreign" foreign key ("customer_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "order" add constraint "order_agent_id_foreign" foreign key ("agent_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "order_line" add constraint "order_line_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_line" add constraint "order_line_sku_id_foreign" foreign key ("sku_id") references "sku" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "fraud_analysis" add constraint "fraud_analysis_decided_by_id_foreign" foreign key ("decided_by_id") references "app_user" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop sequence if exists "cart_number_seq";`);
    this.addSql(`alter table "order_line" drop constraint "order_line_order_id_foreign";`);

    this.addSql(`drop table if exists "checkout_attempt" cascade;`);

    this.addSql(`drop table if exists "order" cascade;`);

    this.addSql(`drop table if exists "order_line" cascade;`);

    this.addSql(`drop table if exists "fraud_analysis" cascade;`);
  }

}
