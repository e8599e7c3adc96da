import { Migration } from '@mikro-orm/migrations';

export class Migration20261206132609_order_history extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "order_status_change" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "order_id" uuid not null, "position" int not null, "from_status" text check ("from_status" in ('PENDING_PAYMENT', 'PENDING_FRAUD_REVIEW', 'APPROVED', 'INVOICED', 'SHIPPED', 'DELIVERED', 'CANCELLED')) null, "to_status" text check ("to_status" in ('PENDING_PAYMENT', 'PENDING_FRAUD_REVIEW', 'APPROVED', 'INVOICED', 'SHIPPED', 'DELIVERED', 'CANCELLED')) not null, "action" text check ("action" in ('PLACE', 'PLACE_AUTHORIZED', 'PAY_PENDING_REVIEW', 'HOLD_FOR_REVIEW', 'APPROVE', 'CANCEL')) not null, "actor_kind" text check ("actor_kind" in ('ANONYMOUS', 'CUSTOMER', 'OPERATOR', 'SELLER', 'INTEGRATION', 'SYSTEM')) not null, "actor_role" text check ("actor_role" in ('OWNER', 'ADMIN', 'AGENT', 'SUPPORT', 'FINANCE', 'CATALOG', 'SERVICE')) null, "actor_user_id" uuid null, "actor_integration_id" uuid null, "actor_label" text not null, "reason" varchar(40) null, "note" text null, "at" timestamptz not null, constraint "order_status_change_pkey" primary key ("id"));`);
    this.addSql(`alter table "order_status_change" add constraint "order_status_change_order_position_unique" unique ("order_id", "position");`);

    this.addSql(`alter table "order_status_change" add constraint "order_status_change_order_id_foreign" foreign key ("order_id") references "order" ("id") on update cascade on delete cascade;`);

    // History for the orders placed before it was kept, reconstructed from what each order row
    // holds, so every order's history starts at its creation and ends at its current status.
    // Written by actor SYSTEM "migration": who acted then was not recorded.
    // - PLACE / PLACE_AUTHORIZED at placed_at: checkout created the order PENDING_PAYMENT when a
    //   part waited for the buyer (Pix, bank deposit), PENDING_FRAUD_REVIEW otherwise (its rule).
    // - PAY_PENDING_REVIEW at updated_at for an order still PENDING_FRAUD_REVIEW that was placed
    //   PENDING_PAYMENT: the money arrived before the verdict (the only way there).
    // - APPROVE at approved_at; CANCEL at cancelled_at with its reason and note.
    // What cannot be derived is left out rather than guessed: a PAY_PENDING_REVIEW step before
    // an order was later approved or cancelled, and which fact (money or verdict) approved it.
    this.addSql(`
      with o as (
        select o.id, o.status, o.placed_at, o.updated_at, o.approved_at, o.cancelled_at, o.cancellation_reason, o.cancellation_note,
               case when exists (select 1 from "payment_transaction" t join "payment_part" p on p."transaction_id" = t."id"
                                  where t."cart_id" = o."cart_id" and p."method" in ('PIX', 'BANK_DEPOSIT'))
                    then 'PENDING_PAYMENT' else 'PENDING_FRAUD_REVIEW' end as placed
          from "order" o
      ), steps as (
        select id, 1 as step, null as from_status, placed as to_status,
               case placed when 'PENDING_PAYMENT' then 'PLACE' else 'PLACE_AUTHORIZED' end as action,
               case placed when 'PENDING_PAYMENT' then 'PAYMENT_PENDING' else 'PAYMENT_AUTHORIZED' end as reason, null as note, placed_at as at
          from o
        union all
        select id, 2, 'PENDING_PAYMENT', 'PENDING_FRAUD_REVIEW', 'PAY_PENDING_REVIEW', 'PAYMENT_CONFIRMED', null, updated_at
          from o where status = 'PENDING_FRAUD_REVIEW' and placed = 'PENDING_PAYMENT'
        union all
        select id, 3, placed, 'APPROVED', 'APPROVE', null, null, approved_at
          from o where approved_at is not null
        union all
        select id, 4, case when approved_at is not null then 'APPROVED' else placed end, 'CANCELLED', 'CANCEL', cancellation_reason, cancellation_note, cancelled_at
          from o where status = 'CANCELLED' and cancelled_at is not null
      )
      insert into "order_status_change" ("id", "order_id", "position", "from_status", "to_status", "action", "actor_kind", "actor_label", "reason", "note", "at")
      select gen_random_uuid(), id, row_number() over (partition by id order by step), from_status, to_status, action, 'SYSTEM', 'migration', reason, note, at
        from steps;`);
    // The reconstruction must end where each order is; anything else is data this code never
    // wrote, and the migration stops rather than record a history that contradicts the order.
    this.addSql(`
      do $$ begin
        if exists (select 1 from "order" o
                    where o."status" is distinct from (select c."to_status" from "order_status_change" c
                                                        where c."order_id" = o."id" order by c."position" desc limit 1)) then
          raise exception 'order_status_change backfill: an order''s status cannot be derived from its columns';
        end if;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "order_status_change" cascade;`);
  }

}
