import { Migration } from '@mikro-orm/migrations';

export class Migration20261206164403_webhooks extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "webhook_subscription" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "seller_id" uuid null, "url" text not null, "event_types" jsonb not null, "description" varchar(200) null, "contact_email" varchar(320) not null, "secret_sealed" text not null, "status" text check ("status" in ('ACTIVE', 'PAUSED', 'DISABLED')) not null default 'ACTIVE', "consecutive_failures" int not null default 0, "paused_at" timestamptz null, "created_by" jsonb not null, constraint "webhook_subscription_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_subscription_seller_id_index" on "webhook_subscription" ("seller_id");`);

    this.addSql(`create table "webhook_delivery" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "subscription_id" uuid not null, "event_id" uuid not null, "event_type" varchar(60) not null, "body" text not null, "status" text check ("status" in ('PENDING', 'SUCCEEDED', 'FAILED')) not null default 'PENDING', "attempts" int not null default 0, "window_started_at" timestamptz null, "next_attempt_at" timestamptz not null, "lease_until" timestamptz null, "last_attempt_at" timestamptz null, "last_response_code" int null, "last_latency_ms" int null, "last_error" varchar(500) null, "completed_at" timestamptz null, constraint "webhook_delivery_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_delivery_subscription_id_index" on "webhook_delivery" ("subscription_id");`);
    this.addSql(`create index "webhook_delivery_due" on "webhook_delivery" ("status", "next_attempt_at");`);
    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_event_unique" unique ("subscription_id", "event_id");`);

    this.addSql(`alter table "webhook_subscription" add constraint "webhook_subscription_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_subscription_id_foreign" foreign key ("subscription_id") references "webhook_subscription" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_subscription_id_foreign";`);

    this.addSql(`drop table if exists "webhook_subscription" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);
  }

}
