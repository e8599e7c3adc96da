import { Migration } from '@mikro-orm/migrations';

export class Migration20261206142926_order_adjustments extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "order_adjustment" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "order_id" uuid not null, "kind" text check ("kind" in ('LINE_CANCELLATION', 'EDIT')) not null, "idempotency_key" varchar(200) not null, "request" text not null, "refunded_cents" bigint not null, constraint "order_adjustment_pkey" primary key ("id"));`);
    this.addSql(`create index "order_adjustment_order_id_index" on "order_adjustment" ("order_id");`);
    this.addSql(`alter table "order_adjustment" add constraint "order_adjustment_key_unique" unique ("kind", "idempotency_key");`);

    this.addSql(`alter table "order_adjustment" add constraint "order_adjustment_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "ledger_entry" drop constraint if exists "ledger_entry_kind_check";`);

    this.addSql(`alter table "order_status_change" drop constraint if exists "order_status_change_action_check";`);

    this.addSql(`alter table "ledger_entry" add constraint "ledger_entry_kind_check" check("kind" in ('CHECKOUT', 'CAPTURE', 'CANCELLATION', 'LINE_CANCELLATION', 'EDIT', 'REFUND', 'VOID', 'RETURN', 'CHARGEBACK', 'PAYOUT', 'ADJUSTMENT'));`);

    this.addSql(`alter table "marketplace_settings" add column if not exists "return_window_days" int not null default 7;`);

    this.addSql(`alter table "order" add column "replaces_order_id" uuid null, add column "payment_transaction_id" uuid null;`);
    this.addSql(`create index "order_replaces_order_index" on "order" ("replaces_order_id");`);

    this.addSql(`alter table "order_status_change" add constraint "order_status_change_action_check" check("action" in ('PLACE', 'PLACE_AUTHORIZED', 'PAY_PENDING_REVIEW', 'HOLD_FOR_REVIEW', 'APPROVE', 'CANCEL', 'INVOICE', 'SHIP', 'DELIVER', 'CANCEL_LINES', 'EDIT', 'PLACE_REPLACEMENT'));`);

    this.addSql(`alter table "order_line" add column "cancelled_quantity" int not null default 0, add column "returned_quantity" int not null default 0, add column "refunded_cents" bigint not null default 0, add column "added_by_edit" boolean not null default false;`);
    this.addSql(`alter table "order_line" add constraint order_line_units_taken_within_quantity check("cancelled_quantity" >= 0 and "returned_quantity" >= 0 and "cancelled_quantity" + "returned_quantity" <= "quantity");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "order_adjustment" cascade;`);

    this.addSql(`alter table "ledger_entry" drop constraint if exists "ledger_entry_kind_check";`);

    this.addSql(`alter table "order_status_change" drop constraint if exists "order_status_change_action_check";`);

    this.addSql(`alter table "ledger_entry" add constraint "ledger_entry_kind_check" check("kind" in ('CHECKOUT', 'CAPTURE', 'CANCELLATION', 'REFUND', 'VOID', 'RETURN', 'CHARGEBACK', 'PAYOUT', 'ADJUSTMENT'));`);

    this.addSql(`alter table "marketplace_settings" drop column "return_window_days";`);

    this.addSql(`drop index "order_replaces_order_index";`);
    this.addSql(`alter table "order" drop column "replaces_order_id", drop column "payment_transaction_id";`);

    this.addSql(`alter table "order_line" drop constraint order_line_units_taken_within_quantity;`);
    this.addSql(`alter table "order_line" drop column "cancelled_quantity", drop column "returned_quantity", drop column "refunded_cents", drop column "added_by_edit";`);

    this.addSql(`alter table "order_status_change" add constraint "order_status_change_action_check" check("action" in ('PLACE', 'PLACE_AUTHORIZED', 'PAY_PENDING_REVIEW', 'HOLD_FOR_REVIEW', 'APPROVE', 'CANCEL', 'INVOICE', 'SHIP', 'DELIVER'));`);
  }

}
