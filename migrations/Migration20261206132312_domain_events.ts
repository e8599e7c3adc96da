import { Migration } from '@mikro-orm/migrations';

export class Migration20261206132312_domain_events extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "domain_event" ("position" bigserial primary key, "id" uuid not null, "type" varchar(60) not null, "aggregate_type" varchar(30) not null, "aggregate_id" uuid not null, "aggregate_code" varchar(60) null, "seller_id" uuid null, "actor" jsonb not null, "data" jsonb not null, "occurred_at" timestamptz not null default now(), "txid" xid8 not null default pg_current_xact_id());`);
    this.addSql(`alter table "domain_event" add constraint "domain_event_id_unique" unique ("id");`);
    this.addSql(`create index "domain_event_seller" on "domain_event" ("seller_id", "txid", "position");`);
    this.addSql(`create index "domain_event_aggregate" on "domain_event" ("aggregate_type", "aggregate_id");`);
    this.addSql(`create index "domain_event_feed" on "domain_event" ("txid", "position");`);

    this.addSql(`create table "event_consumer" ("name" varchar(60) not null, "last_txid" xid8 null, "last_position" bigint null, "failures" int not null default 0, "last_error" text null, "updated_at" timestamptz not null default now(), constraint "event_consumer_pkey" primary key ("name"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "domain_event" cascade;`);

    this.addSql(`drop table if exists "event_consumer" cascade;`);
  }

}
