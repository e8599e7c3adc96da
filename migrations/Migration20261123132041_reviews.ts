import { Migration } from '@mikro-orm/migrations';

export class Migration20261123132041_reviews extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index "product_review_product_id_index";`);

    this.addSql(`create index "product_review_listing" on "product_review" ("product_id", "created_at", "id");`);
    this.addSql(`alter table "product_review" add constraint "product_review_one_per_author" unique ("product_id", "author_id");`);

    this.addSql(`drop index "product_question_product_id_index";`);

    this.addSql(`alter table "product_question" add column "answered_as" text check ("answered_as" in ('SELLER', 'STORE')) null;`);
    // Answers written before the column existed: the side follows the answering user's seller.
    this.addSql(`update "product_question" q set "answered_as" = case when s."is_admin" then 'STORE' else 'SELLER' end from "app_user" u join "seller" s on s."id" = u."seller_id" where q."answered_by_id" = u."id" and q."answer" is not null;`);
    this.addSql(`create index "product_question_listing" on "product_question" ("product_id", "created_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "product_question_listing";`);
    this.addSql(`alter table "product_question" drop column "answered_as";`);

    this.addSql(`create index "product_question_product_id_index" on "product_question" ("product_id");`);

    this.addSql(`drop index "product_review_listing";`);
    this.addSql(`alter table "product_review" drop constraint "product_review_one_per_author";`);

    this.addSql(`create index "product_review_product_id_index" on "product_review" ("product_id");`);
  }

}
