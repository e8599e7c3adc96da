import { Migration } from '@mikro-orm/migrations';

export class Migration20261206162821_chargeback_open_unique extends Migration {

  override async up(): Promise<void> {
    // One OPEN chargeback per payment part, not one ever: after a won dispute the issuer may
    // charge the part back again (the second insert broke the old unique constraint).
    this.addSql(`alter table "chargeback" drop constraint "chargeback_part_unique";`);

    this.addSql(`create unique index "chargeback_part_open_unique" on "chargeback" ("transaction_id", "part_index") where "status" = 'OPEN';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "chargeback_part_open_unique";`);

    this.addSql(`alter table "chargeback" add constraint "chargeback_part_unique" unique ("transaction_id", "part_index");`);
  }

}
