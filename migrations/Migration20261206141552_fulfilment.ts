import { Migration } from '@mikro-orm/migrations';

export class Migration20261206141552_fulfilment extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "order_tracking_event" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "order_id" uuid not null, "status" text check ("status" in ('POSTED', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERY_FAILED', 'DELIVERED', 'RETURNED_TO_SENDER', 'EXCEPTION')) not null, "description" varchar(500) null, "location" varchar(200) null, "occurred_at" timestamptz not null, "dedupe_key" varchar(120) not null, constraint "order_tracking_event_pkey" primary key ("id"));`);
    this.addSql(`create index "order_tracking_event_order_time" on "order_tracking_event" ("order_id", "occurred_at");`);
    this.addSql(`alter table "order_tracking_event" add constraint "order_tracking_event_dedupe" unique ("order_id", "dedupe_key");`);

    this.addSql(`create table "order_shipment" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "order_id" uuid not null, "carrier" varchar(100) not null, "tracking_code" varchar(100) not null, "tracking_url" varchar(2000) null, "shipped_at" timestamptz not null, constraint "order_shipment_pkey" primary key ("id"));`);
    this.addSql(`alter table "order_shipment" add constraint "order_shipment_order_unique" unique ("order_id");`);

    this.addSql(`create table "order_invoice" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "order_id" uuid not null, "number" varchar(9) not null, "series" int not null, "issued_at" timestamptz not null, "amount_cents" bigint not null, "amount_reason" varchar(500) null, "access_key" varchar(44) not null, "xml_url" varchar(2000) null, "pdf_url" varchar(2000) null, constraint "order_invoice_pkey" primary key ("id"));`);
    this.addSql(`alter table "order_invoice" add constraint "order_invoice_order_unique" unique ("order_id");`);
    this.addSql(`alter table "order_invoice" add constraint "order_invoice_access_key_unique" unique ("access_key");`);

    this.addSql(`alter table "order_tracking_event" add constraint "order_tracking_event_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_shipment" add constraint "order_shipment_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_invoice" add constraint "order_invoice_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_status_change" drop constraint if exists "order_status_change_action_check";`);

    this.addSql(`alter table "order" add column "invoiced_at" timestamptz null, add column "shipped_at" timestamptz null, add column "delivered_at" timestamptz null;`);

    this.addSql(`alter table "order_status_change" add constraint "order_status_change_action_check" check("action" in ('PLACE', 'PLACE_AUTHORIZED', 'PAY_PENDING_REVIEW', 'HOLD_FOR_REVIEW', 'APPROVE', 'CANCEL', 'INVOICE', 'SHIP', 'DELIVER'));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "order_tracking_event" cascade;`);

    this.addSql(`drop table if exists "order_shipment" cascade;`);

    this.addSql(`drop table if exists "order_invoice" cascade;`);

    this.addSql(`alter table "order_status_change" drop constraint if exists "order_status_change_action_check";`);

    this.addSql(`alter table "order" drop column "invoiced_at", drop column "shipped_at", drop column "delivered_at";`);

    this.addSql(`alter table "order_status_change" add constraint "order_status_change_action_check" check("action" in ('PLACE', 'PLACE_AUTHORIZED', 'PAY_PENDING_REVIEW', 'HOLD_FOR_REVIEW', 'APPROVE', 'CANCEL'));`);
  }

}
