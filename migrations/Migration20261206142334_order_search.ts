import { Migration } from '@mikro-orm/migrations';

export class Migration20261206142334_order_search extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "order_postal_code_index" on "order" (("shipping_address"->>'postalCode'));`);
    this.addSql(`create index "order_buyer_name_prefix" on "order" (lower("buyer_name") text_pattern_ops);`);
    this.addSql(`create index "order_agent_index" on "order" ("agent_id");`);
    this.addSql(`create index "order_updated_at_index" on "order" ("updated_at");`);
    this.addSql(`create index "order_buyer_email_index" on "order" ("buyer_email");`);
    this.addSql(`create index "order_buyer_document_index" on "order" ("buyer_document");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "order_postal_code_index";`);
    this.addSql(`drop index "order_buyer_name_prefix";`);
    this.addSql(`drop index "order_agent_index";`);
    this.addSql(`drop index "order_updated_at_index";`);
    this.addSql(`drop index "order_buyer_email_index";`);
    this.addSql(`drop index "order_buyer_document_index";`);
  }

}
