import { Migration } from '@mikro-orm/migrations';

export class Migration20261123125130_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "marketplace_settings" ("id" int not null default 1, "store_name" varchar(200) not null default 'Loja', "uses_marketplace" boolean not null default false, "currency" varchar(3) not null default 'BRL', "default_commission_bps" int not null default 1500, "require_product_review" boolean not null default true, "seeded_at" timestamptz null, "updated_at" timestamptz not null default now(), constraint "marketplace_settings_pkey" primary key ("id"), constraint marketplace_settings_single_row check ("id" = 1));`);

    this.addSql(`create table "outbox_message" ("id" uuid not null, "kind" varchar(40) not null, "topic" varchar(80) not null, "payload" jsonb not null, "status" text check ("status" in ('PENDING', 'SENT', 'DEAD')) not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "locked_until" timestamptz null, "last_error" text null, "created_at" timestamptz not null default now(), "sent_at" timestamptz null, constraint "outbox_message_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_message_due" on "outbox_message" ("status", "next_attempt_at");`);

    this.addSql(`create table "seller" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(200) not null, "is_admin" boolean not null default false, "concatenation_code" varchar(10) null, "status" text check ("status" in ('PENDING', 'ACTIVE', 'SUSPENDED')) not null default 'PENDING', "document_type" text check ("document_type" in ('CNPJ', 'CPF')) null, "document" varchar(14) null, "legal_name" varchar(200) null, "email" varchar(320) null, "phone" varchar(30) null, "shipping_policy" text null, "return_policy" text null, "notes" text null, "bank_bank_code" varchar(8) null, "bank_branch" varchar(10) null, "bank_account" varchar(20) null, "bank_account_type" text check ("bank_account_type" in ('CHECKING', 'SAVINGS', 'PAYMENT')) null, "bank_holder_name" varchar(200) null, "bank_holder_document" varchar(14) null, "bank_pix_key" varchar(140) null, "suspension_reason" text null, "approved_at" timestamptz null, "suspended_at" timestamptz null, constraint "seller_pkey" primary key ("id"), constraint seller_concatenation_code_format check ("concatenation_code" ~ '^[A-Z0-9]{2,10}\$'));`);
    this.addSql(`alter table "seller" add constraint "seller_concatenation_code_unique" unique ("concatenation_code");`);
    this.addSql(`alter table "seller" add constraint "seller_document_unique" unique ("document");`);
    this.addSql(`create unique index "seller_one_admin" on "seller" ("is_admin") where "is_admin";`);

    this.addSql(`create table "integration" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(200) not null, "seller_id" uuid null, "token_hash" varchar(64) not null, "token_prefix" varchar(16) not null, "can_write_attributes" boolean not null default true, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "integration_pkey" primary key ("id"));`);
    this.addSql(`create index "integration_seller_id_index" on "integration" ("seller_id");`);
    this.addSql(`alter table "integration" add constraint "integration_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "app_user" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "email" varchar(320) not null, "name" varchar(200) not null, "password_hash" varchar(255) null, "seller_id" uuid null, "role" text check ("role" in ('OWNER', 'ADMIN', 'AGENT', 'SUPPORT', 'FINANCE', 'CATALOG', 'SERVICE')) null, "active" boolean not null default true, "document" varchar(14) null, "phone" varchar(30) null, "last_login_at" timestamptz null, constraint "app_user_pkey" primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);
    this.addSql(`create index "app_user_seller_id_index" on "app_user" ("seller_id");`);

    this.addSql(`create table "user_session" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, constraint "user_session_pkey" primary key ("id"));`);
    this.addSql(`create index "user_session_user_id_index" on "user_session" ("user_id");`);
    this.addSql(`alter table "user_session" add constraint "user_session_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "password_reset_token" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "user_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "password_reset_token_pkey" primary key ("id"));`);
    this.addSql(`alter table "password_reset_token" add constraint "password_reset_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "password_reset_token_user_id_index" on "password_reset_token" ("user_id");`);

    this.addSql(`alter table "integration" add constraint "integration_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "app_user" add constraint "app_user_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "user_session" add constraint "user_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "password_reset_token" add constraint "password_reset_token_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);

    // The store always has exactly one admin seller (the operator) and one settings row; both
    // exist from the first migration so no code path has to create them lazily.
    this.addSql(`insert into "seller" ("id", "name", "is_admin", "status", "approved_at") values (gen_random_uuid(), 'Loja', true, 'ACTIVE', now());`);
    this.addSql(`insert into "marketplace_settings" ("id") values (1);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "integration" drop constraint "integration_seller_id_foreign";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_seller_id_foreign";`);

    this.addSql(`alter table "user_session" drop constraint "user_session_user_id_foreign";`);

    this.addSql(`alter table "password_reset_token" drop constraint "password_reset_token_user_id_foreign";`);

    this.addSql(`drop table if exists "marketplace_settings" cascade;`);

    this.addSql(`drop table if exists "outbox_message" cascade;`);

    this.addSql(`drop table if exists "seller" cascade;`);

    this.addSql(`drop table if exists "integration" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "user_session" cascade;`);

    this.addSql(`drop table if exists "password_reset_token" cascade;`);
  }

}
