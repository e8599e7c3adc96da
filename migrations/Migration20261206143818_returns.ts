import { Migration } from '@mikro-orm/migrations';

export class Migration20261206143818_returns extends Migration {

  override async up(): Promise<void> {
    // Return codes `[<concat>-]R<n>`: n from one store-wide sequence (design.md).
    this.addSql(`create sequence if not exists "return_number_seq" start with 1 minvalue 1 no cycle;`);
    this.addSql(`create table "order_return" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "return_number" bigint not null, "code" varchar(40) not null, "order_id" uuid not null, "seller_id" uuid not null, "status" text check ("status" in ('REQUESTED', 'APPROVED', 'REJECTED', 'RECEIVED', 'REFUNDED', 'EXCHANGED')) not null, "reason" text check ("reason" in ('REGRET', 'DAMAGED', 'DEFECTIVE', 'WRONG_ITEM', 'NOT_AS_DESCRIBED', 'DOES_NOT_FIT', 'OTHER')) not null, "description" text null, "rejection_reason" text null, "tracking_carrier" varchar(100) null, "tracking_code" varchar(100) null, "tracking_url" varchar(2000) null, "refunded_cents" bigint not null default 0, "freight_refunded_cents" bigint not null default 0, "replacement_order_id" uuid null, "opened_at" timestamptz not null, "decided_at" timestamptz null, "received_at" timestamptz null, "closed_at" timestamptz null, constraint "order_return_pkey" primary key ("id"), constraint order_return_money_valid check ("refunded_cents" >= 0 and "freight_refunded_cents" >= 0));`);
    this.addSql(`alter table "order_return" add constraint "order_return_number_unique" unique ("return_number");`);
    this.addSql(`alter table "order_return" add constraint "order_return_code_unique" unique ("code");`);
    this.addSql(`create index "order_return_order_id_index" on "order_return" ("order_id");`);
    this.addSql(`create index "order_return_status_index" on "order_return" ("status");`);
    this.addSql(`create index "order_return_seller_created_index" on "order_return" ("seller_id", "created_at");`);

    this.addSql(`create table "order_return_status_change" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "return_id" uuid not null, "position" int not null, "from_status" text check ("from_status" in ('REQUESTED', 'APPROVED', 'REJECTED', 'RECEIVED', 'REFUNDED', 'EXCHANGED')) null, "to_status" text check ("to_status" in ('REQUESTED', 'APPROVED', 'REJECTED', 'RECEIVED', 'REFUNDED', 'EXCHANGED')) not null, "action" varchar(20) not null, "actor_kind" text check ("actor_kind" in ('ANONYMOUS', 'CUSTOMER', 'OPERATOR', 'SELLER', 'INTEGRATION', 'SYSTEM')) not null, "actor_label" text not null, "actor_role" text check ("actor_role" in ('OWNER', 'ADMIN', 'AGENT', 'SUPPORT', 'FINANCE', 'CATALOG', 'SERVICE')) null, "actor_user_id" uuid null, "actor_integration_id" uuid null, "note" text null, "at" timestamptz not null, constraint "order_return_status_change_pkey" primary key ("id"));`);
    this.addSql(`alter table "order_return_status_change" add constraint "order_return_status_change_position_unique" unique ("return_id", "position");`);

    this.addSql(`create table "order_return_line" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "return_id" uuid not null, "order_line_id" uuid not null, "position" int not null, "quantity" int not null, "resellable_quantity" int null, "refunded_cents" bigint not null default 0, constraint "order_return_line_pkey" primary key ("id"), constraint order_return_line_quantities check ("quantity" > 0 and ("resellable_quantity" is null or ("resellable_quantity" >= 0 and "resellable_quantity" <= "quantity"))));`);
    this.addSql(`create index "order_return_line_order_line_id_index" on "order_return_line" ("order_line_id");`);
    this.addSql(`alter table "order_return_line" add constraint "order_return_line_unique" unique ("return_id", "order_line_id");`);

    this.addSql(`alter table "order_return" add constraint "order_return_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "order_return" add constraint "order_return_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "order_return_status_change" add constraint "order_return_status_change_return_id_foreign" foreign key ("return_id") references "order_return" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_return_line" add constraint "order_return_line_return_id_foreign" foreign key ("return_id") references "order_return" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_return_line" add constraint "order_return_line_order_line_id_foreign" foreign key ("order_line_id") references "order_line" ("id") on update cascade on delete restrict;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "order_return_status_change" drop constraint "order_return_status_change_return_id_foreign";`);

    this.addSql(`alter table "order_return_line" drop constraint "order_return_line_return_id_foreign";`);

    this.addSql(`drop table if exists "order_return" cascade;`);

    this.addSql(`drop table if exists "order_return_status_change" cascade;`);

    this.addSql(`drop table if exists "order_return_line" cascade;`);

    this.addSql(`drop sequence if exists "return_number_seq";`);
  }

}
