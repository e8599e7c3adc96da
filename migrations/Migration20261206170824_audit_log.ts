import { Migration } from '@mikro-orm/migrations';

export class Migration20261206170824_audit_log extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_entry" ("id" uuid not null, "at" timestamptz not null default now(), "actor_kind" varchar(20) not null, "actor_id" uuid null, "actor_name" varchar(200) null, "acting_for_seller_id" uuid null, "seller_id" uuid null, "entity_type" varchar(40) not null, "entity_id" varchar(64) not null, "entity_code" varchar(120) null, "action" varchar(10) not null, "changes" jsonb not null, constraint "audit_entry_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_entry_at" on "audit_entry" ("at");`);
    this.addSql(`create index "audit_entry_entity" on "audit_entry" ("entity_type", "entity_id");`);
    this.addSql(`create index "audit_entry_seller_at" on "audit_entry" ("seller_id", "at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_entry" cascade;`);
  }

}
