import { Migration } from '@mikro-orm/migrations';

export class Migration20261206143512_crash_recovery extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "attention_item" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "source" varchar(60) not null, "subject_id" varchar(100) not null, "label" varchar(200) not null, "failures" int not null default 0, "last_error" text not null, "first_failed_at" timestamptz not null, "last_failed_at" timestamptz not null, "next_attempt_at" timestamptz not null, "attention_since" timestamptz null, constraint "attention_item_pkey" primary key ("id"));`);
    this.addSql(`create index "attention_item_listing" on "attention_item" ("attention_since", "last_failed_at");`);
    this.addSql(`alter table "attention_item" add constraint "attention_item_subject_unique" unique ("source", "subject_id");`);

    this.addSql(`create table "idempotency_claim" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "scope" varchar(40) not null, "key" varchar(200) not null, "fingerprint" varchar(64) not null, "status" text check ("status" in ('IN_PROGRESS', 'COMPLETED')) not null, "holder" uuid not null, "attempt" int not null default 1, "lease_until" timestamptz null, "payload" jsonb null, "result" jsonb null, "subject" varchar(100) null, "completed_at" timestamptz null, constraint "idempotency_claim_pkey" primary key ("id"));`);
    this.addSql(`create index "idempotency_claim_lease" on "idempotency_claim" ("lease_until") where "status" = 'IN_PROGRESS';`);
    this.addSql(`alter table "idempotency_claim" add constraint "idempotency_claim_key_unique" unique ("scope", "key");`);

    this.addSql(`create table "provider_call" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "provider" varchar(20) not null, "kind" text check ("kind" in ('AUTHORIZE_CARD', 'CREATE_PIX', 'REFUND')) not null, "provider_key" varchar(200) not null, "reference" varchar(100) not null, "amount_cents" bigint not null, "currency" varchar(3) not null, "claim_id" uuid null, "attempt" int null, "provider_ref" varchar(100) null, "status" text check ("status" in ('STARTED', 'DONE', 'REFUSED', 'ABSENT', 'VOIDED', 'LAPSED')) not null, "result" jsonb null, "notes" jsonb null, "last_error" text null, "sends" int not null default 0, constraint "provider_call_pkey" primary key ("id"));`);
    this.addSql(`create index "provider_call_payment" on "provider_call" ("provider", "provider_ref");`);
    this.addSql(`create index "provider_call_claim" on "provider_call" ("claim_id");`);
    this.addSql(`alter table "provider_call" add constraint "provider_call_key_unique" unique ("provider", "kind", "provider_key");`);

    this.addSql(`create table "sandbox_payment" ("provider_ref" varchar(60) not null, "data" jsonb not null, "created_at" timestamptz not null default now(), constraint "sandbox_payment_pkey" primary key ("provider_ref"));`);

    this.addSql(`create table "sandbox_request" ("key" varchar(200) not null, "fingerprint" text not null, "result" jsonb null, "created_at" timestamptz not null default now(), constraint "sandbox_request_pkey" primary key ("key"));`);

    // Checkout keys move to the shared claims (scope `checkout`); the fingerprint is what
    // claims.ts computes from the cart token hash. Completed keys keep answering repeats. A key
    // still IN_PROGRESS is one whose request died before this version (issue 18's stuck keys):
    // its lease is over at once, so the recovery pass frees it (no provider call was journaled
    // for it; an authorization it may have left predates the journal and is not voided here).
    this.addSql(`
      insert into "idempotency_claim" ("id", "created_at", "updated_at", "scope", "key", "fingerprint", "status", "holder", "attempt", "lease_until", "result", "subject", "completed_at")
      select "id", "created_at", "updated_at", 'checkout', "idempotency_key", encode(sha256(convert_to("cart_token_hash", 'UTF8')), 'hex'), "status", gen_random_uuid(), 1,
             case when "status" = 'IN_PROGRESS' then now() end,
             case when "status" = 'COMPLETED' then jsonb_build_object('cartId', "cart_id", 'cartNumber', "cart_number") end,
             "cart_id"::text, case when "status" = 'COMPLETED' then "updated_at" end
        from "checkout_attempt";`);
    this.addSql(`drop table if exists "checkout_attempt" cascade;`);
  }

  override async down(): Promise<void> {
    // The claims cannot be turned back into checkout attempts (only a digest of the cart token
    // is kept): going down empties the checkout's idempotency records.
    this.addSql(`create table "checkout_attempt" ("id" uuid not null, "created_at" timestamptz(6) not null default now(), "updated_at" timestamptz(6) not null default now(), "idempotency_key" varchar(200) not null, "cart_token_hash" varchar(64) not null, "status" text check ("status" in ('IN_PROGRESS', 'COMPLETED')) not null, "cart_id" uuid null, "cart_number" varchar(20) null, constraint "checkout_attempt_pkey" primary key ("id"));`);
    this.addSql(`alter table "checkout_attempt" add constraint "checkout_attempt_key_unique" unique ("idempotency_key");`);

    this.addSql(`drop table if exists "attention_item" cascade;`);

    this.addSql(`drop table if exists "idempotency_claim" cascade;`);

    this.addSql(`drop table if exists "provider_call" cascade;`);

    this.addSql(`drop table if exists "sandbox_payment" cascade;`);

    this.addSql(`drop table if exists "sandbox_request" cascade;`);
  }

}
