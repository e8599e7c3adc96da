import { Migration } from '@mikro-orm/migrations';

export class Migration20261206163433_product_seller_listing extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "product_seller_listing" on "product" ("seller_id", "created_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "product_seller_listing";`);
  }

}
