import { Migration } from '@mikro-orm/migrations';

export class Migration20261206165638_portal extends Migration {

  override async up(): Promise<void> {
    // Ticket protocol numbers: a store-wide sequence behind the date (tickets.service.ts).
    this.addSql(`create sequence if not exists "ticket_protocol_seq" start with 1 minvalue 1 no cycle;`);
    this.addSql(`create table "faq_article" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "topic" varchar(80) not null, "title" varchar(200) not null, "body" text not null, "status" text check ("status" in ('DRAFT', 'PUBLISHED')) not null, "position" int not null default 0, constraint "faq_article_pkey" primary key ("id"));`);
    this.addSql(`create index "faq_article_search" on "faq_article" using gin (to_tsvector('portuguese', "title" || ' ' || "body"));`);
    this.addSql(`create index "faq_article_topic" on "faq_article" ("status", "topic", "position");`);

    this.addSql(`create table "service_calendar" ("id" int not null default 1, "weekdays" jsonb not null, "opens_at_minute" smallint not null default 540, "closes_at_minute" smallint not null default 1080, "holidays" jsonb not null, "response_business_hours" smallint not null default 16, constraint "service_calendar_pkey" primary key ("id"), constraint service_calendar_hours check ("opens_at_minute" >= 0 and "opens_at_minute" < "closes_at_minute" and "closes_at_minute" <= 1440 and "response_business_hours" >= 1 and "response_business_hours" <= 720), constraint service_calendar_single_row check ("id" = 1));`);

    this.addSql(`create table "stored_file" ("id" uuid not null, "purpose" text check ("purpose" in ('LOGO', 'ATTACHMENT')) not null, "content_type" varchar(100) not null, "size" int not null, "sha256" varchar(64) not null, "file_name" varchar(200) null, "uploaded_by_id" uuid null, "seller_id" uuid null, "bytes" bytea not null, "created_at" timestamptz not null default now(), constraint "stored_file_pkey" primary key ("id"));`);
    this.addSql(`create index "stored_file_uploader" on "stored_file" ("uploaded_by_id", "created_at");`);

    this.addSql(`create table "ticket" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "protocol" varchar(20) not null, "kind" text check ("kind" in ('CUSTOMER', 'SUPPORT')) not null, "status" text check ("status" in ('OPEN', 'ANSWERED', 'CLOSED')) not null, "reason" text check ("reason" in ('ORDER_STATUS', 'DELIVERY', 'RETURN_EXCHANGE', 'PAYMENT', 'PRODUCT', 'INVOICE', 'ACCOUNT', 'PAYOUT', 'CATALOG', 'OTHER')) not null, "subject" varchar(200) not null, "seller_id" uuid null, "order_id" uuid null, "order_code" varchar(40) null, "customer_id" uuid null, "requester_name" varchar(200) not null, "requester_email" varchar(320) not null, "buyer_document" varchar(14) null, "postal_code" varchar(8) null, "response_due_at" timestamptz null, "first_response_at" timestamptz null, "closed_at" timestamptz null, constraint "ticket_pkey" primary key ("id"));`);
    this.addSql(`alter table "ticket" add constraint "ticket_protocol_unique" unique ("protocol");`);
    this.addSql(`create index "ticket_postal_code" on "ticket" ("postal_code");`);
    this.addSql(`create index "ticket_buyer_document" on "ticket" ("buyer_document");`);
    this.addSql(`create index "ticket_order_code" on "ticket" ("order_code");`);
    this.addSql(`create index "ticket_customer" on "ticket" ("customer_id", "created_at");`);
    this.addSql(`create index "ticket_seller_status" on "ticket" ("kind", "seller_id", "status", "response_due_at");`);

    this.addSql(`create table "ticket_message" ("id" uuid not null, "ticket_id" uuid not null, "side" text check ("side" in ('REQUESTER', 'SERVICE')) not null, "author_kind" varchar(20) not null, "author_id" uuid null, "author_name" varchar(200) not null, "body" text not null, "attachment_ids" jsonb not null, "due_at" timestamptz null, "created_at" timestamptz not null, constraint "ticket_message_pkey" primary key ("id"));`);
    this.addSql(`create index "ticket_message_ticket" on "ticket_message" ("ticket_id", "created_at");`);
    this.addSql(`create index "ticket_message_attachments" on "ticket_message" using gin ("attachment_ids" jsonb_path_ops);`);

    this.addSql(`alter table "ticket" add constraint "ticket_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "ticket_message" add constraint "ticket_message_ticket_id_foreign" foreign key ("ticket_id") references "ticket" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "seller" add column "handling_days" smallint not null default 2, add column "notification_email" varchar(320) null, add column "logo_file_id" uuid null;`);
    this.addSql(`alter table "seller" add constraint seller_handling_days check("handling_days" >= 0 and "handling_days" <= 30);`);

    this.addSql(`create index "order_seller_placed_index" on "order" ("seller_id", "placed_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "ticket_message" drop constraint "ticket_message_ticket_id_foreign";`);

    this.addSql(`drop table if exists "faq_article" cascade;`);

    this.addSql(`drop table if exists "service_calendar" cascade;`);

    this.addSql(`drop table if exists "stored_file" cascade;`);

    this.addSql(`drop table if exists "ticket" cascade;`);

    this.addSql(`drop table if exists "ticket_message" cascade;`);
    this.addSql(`drop sequence if exists "ticket_protocol_seq";`);

    this.addSql(`drop index "order_seller_placed_index";`);

    this.addSql(`alter table "seller" drop constraint seller_handling_days;`);
    this.addSql(`alter table "seller" drop column "handling_days", drop column "notification_email", drop column "logo_file_id";`);
  }

}
