import { Migration } from '@mikro-orm/migrations';

export class Migration20261206170000_replacement_receivables extends Migration {

  override async up(): Promise<void> {
    // An exchange's replacement order creates no receivable (design.md): drop the zero ones the
    // receivables consumer gave them, unless a payout already took one (then it stays, as paid history).
    this.addSql(`delete from "receivable" r using "order" o
      where o.id = r.order_id and o.replaces_order_id is not null and r.settled_cents = 0
        and not exists (select 1 from "payout_item" i where i.receivable_id = r.id);`);
  }

  override async down(): Promise<void> {
    // Nothing to restore: the receivables consumer does not create them any more.
  }

}
