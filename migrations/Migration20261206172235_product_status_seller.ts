import { Migration } from '@mikro-orm/migrations';

export class Migration20261206172235_product_status_seller extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "product_status_seller" on "product" ("status", "seller_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "product_status_seller";`);
  }

}
