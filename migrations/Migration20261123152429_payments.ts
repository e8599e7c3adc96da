import { Migration } from '@mikro-orm/migrations';

export class Migration20261123152429_payments extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "gift_card" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "code_hash" varchar(64) not null, "last4" varchar(4) not null, "initial_cents" int not null, "balance_cents" int not null, "currency" varchar(3) not null, "active" boolean not null default true, constraint "gift_card_pkey" primary key ("id"), constraint gift_card_balance_range check ("balance_cents" >= 0 and "balance_cents" <= "initial_cents"));`);
    this.addSql(`alter table "gift_card" add constraint "gift_card_code_hash_unique" unique ("code_hash");`);

    this.addSql(`create table "payment_transaction" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "cart_id" uuid not null, "cart_number" varchar(40) not null, "status" text check ("status" in ('PENDING', 'AUTHORIZED', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'EXPIRED')) not null, "currency" varchar(3) not null, "amount_cents" int not null, "authorized_cents" int not null default 0, "captured_cents" int not null default 0, "released_cents" int not null default 0, "refunded_cents" int not null default 0, "charged_back_cents" int not null default 0, "expires_at" timestamptz null, "paid_at" timestamptz null, "expired_at" timestamptz null, constraint "payment_transaction_pkey" primary key ("id"), constraint payment_transaction_within_amount check ("captured_cents" + "released_cents" <= "amount_cents"), constraint payment_transaction_refunded_within_captured check ("refunded_cents" <= "captured_cents"), constraint payment_transaction_figures_valid check ("amount_cents" > 0 and "captured_cents" >= 0 and "released_cents" >= 0 and "refunded_cents" >= 0));`);
    this.addSql(`alter table "payment_transaction" add constraint "payment_transaction_cart_unique" unique ("cart_id");`);
    this.addSql(`alter table "payment_transaction" add constraint "payment_transaction_cart_number_unique" unique ("cart_number");`);
    this.addSql(`create index "payment_transaction_pending_expiry" on "payment_transaction" ("expires_at") where "status" = 'PENDING';`);

    this.addSql(`create table "payment_operation" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "idempotency_key" varchar(200) not null, "kind" text check ("kind" in ('RELEASE', 'CONFIRM_DEPOSIT')) not null, "transaction_id" uuid not null, "request" varchar(200) not null, "result" jsonb not null, constraint "payment_operation_pkey" primary key ("id"));`);
    this.addSql(`alter table "payment_operation" add constraint "payment_operation_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "payment_operation_transaction_id_index" on "payment_operation" ("transaction_id");`);

    this.addSql(`create table "payment_event_record" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "provider" varchar(20) not null, "event_id" varchar(200) not null, "type" varchar(40) not null, "provider_ref" varchar(100) not null, "transaction_id" uuid not null, "outcome" text not null, constraint "payment_event_record_pkey" primary key ("id"));`);
    this.addSql(`create index "payment_event_record_transaction_id_index" on "payment_event_record" ("transaction_id");`);
    this.addSql(`alter table "payment_event_record" add constraint "payment_event_record_unique" unique ("provider", "event_id");`);

    this.addSql(`create table "payment_part" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "transaction_id" uuid not null, "index" int not null, "method" text check ("method" in ('PIX', 'CARD', 'BANK_DEPOSIT', 'VOUCHER')) not null, "provider" varchar(20) null, "provider_ref" varchar(100) null, "authorization_code" varchar(40) null, "status" text check ("status" in ('PENDING', 'AUTHORIZED', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED', 'VOIDED', 'EXPIRED', 'CHARGED_BACK')) not null, "amount_cents" int not null, "installments" int not null default 1, "captured_cents" int not null default 0, "released_cents" int not null default 0, "refunded_cents" int not null default 0, "card_brand" varchar(20) null, "card_bin" varchar(8) null, "card_last4" varchar(4) null, "pix_qr_code" text null, "pix_expires_at" timestamptz null, "deposit_reference" varchar(60) null, "gift_card_id" uuid null, "paid_at" timestamptz null, constraint "payment_part_pkey" primary key ("id"), constraint payment_part_installments_range check ("installments" >= 1 and "installments" <= 12), constraint payment_part_within_amount check ("captured_cents" + "released_cents" <= "amount_cents"), constraint payment_part_refunded_within_captured check ("refunded_cents" <= "captured_cents"), constraint payment_part_figures_valid check ("amount_cents" > 0 and "captured_cents" >= 0 and "released_cents" >= 0 and "refunded_cents" >= 0));`);
    this.addSql(`create index "payment_part_gift_card_id_index" on "payment_part" ("gift_card_id");`);
    this.addSql(`create unique index "payment_part_provider_ref_unique" on "payment_part" ("provider", "provider_ref") where "provider_ref" is not null;`);
    this.addSql(`alter table "payment_part" add constraint "payment_part_position_unique" unique ("transaction_id", "index");`);

    this.addSql(`alter table "payment_operation" add constraint "payment_operation_transaction_id_foreign" foreign key ("transaction_id") references "payment_transaction" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "payment_event_record" add constraint "payment_event_record_transaction_id_foreign" foreign key ("transaction_id") references "payment_transaction" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "payment_part" add constraint "payment_part_transaction_id_foreign" foreign key ("transaction_id") references "payment_transaction" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "payment_part" add constraint "payment_part_gift_card_id_foreign" foreign key ("gift_card_id") references "gift_card" ("id") on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "payment_part" drop constraint "payment_part_gift_card_id_foreign";`);

    this.addSql(`alter table "payment_operation" drop constraint "payment_operation_transaction_id_foreign";`);

    this.addSql(`alter table "payment_event_record" drop constraint "payment_event_record_transaction_id_foreign";`);

    this.addSql(`alter table "payment_part" drop constraint "payment_part_transaction_id_foreign";`);

    this.addSql(`drop table if exists "gift_card" cascade;`);

    this.addSql(`drop table if exists "payment_transaction" cascade;`);

    this.addSql(`drop table if exists "payment_operation" cascade;`);

    this.addSql(`drop table if exists "payment_event_record" cascade;`);

    this.addSql(`drop table if exists "payment_part" cascade;`);
  }

}
