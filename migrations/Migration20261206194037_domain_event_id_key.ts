import { Migration } from '@mikro-orm/migrations';

/**
 * Domain events are keyed by their id (made by the app) instead of their position (drawn from
 * the sequence on insert): a flush sent as one statement (shared/db/together.ts) reads nothing
 * back, so an entity's key must exist before it is written. The position keeps its sequence and
 * becomes unique; readers order by (txid, position) as before.
 */
export class Migration20261206194037_domain_event_id_key extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "domain_event" drop constraint "domain_event_pkey";`);
    this.addSql(`alter table "domain_event" drop constraint "domain_event_id_unique";`);
    this.addSql(`alter table "domain_event" add constraint "domain_event_pkey" primary key ("id");`);
    this.addSql(`alter table "domain_event" add constraint "domain_event_position_unique" unique ("position");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "domain_event" drop constraint "domain_event_position_unique";`);
    this.addSql(`alter table "domain_event" drop constraint "domain_event_pkey";`);
    this.addSql(`alter table "domain_event" add constraint "domain_event_pkey" primary key ("position");`);
    this.addSql(`alter table "domain_event" add constraint "domain_event_id_unique" unique ("id");`);
  }

}
