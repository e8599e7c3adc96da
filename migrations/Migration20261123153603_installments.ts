import { Migration } from '@mikro-orm/migrations';

export class Migration20261123153603_installments extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "marketplace_settings" add column "max_installments" int not null default 12, add column "min_installment_cents" int not null default 500;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "marketplace_settings" drop column "max_installments", drop column "min_installment_cents";`);
  }

}
