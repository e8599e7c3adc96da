import { Migration } from '@mikro-orm/migrations';

export class Migration20261123131653_catalog extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "brand" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(120) not null, constraint "brand_pkey" primary key ("id"));`);
    this.addSql(`alter table "brand" add constraint "brand_name_unique" unique ("name");`);

    this.addSql(`create table "category" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(120) not null, "slug" varchar(140) not null, "parent_id" uuid null, "path" text not null, "position" int not null default 0, constraint "category_pkey" primary key ("id"));`);
    this.addSql(`alter table "category" add constraint "category_slug_unique" unique ("slug");`);
    this.addSql(`create index "category_parent_id_index" on "category" ("parent_id");`);
    this.addSql(`create index "category_path_prefix" on "category" ("path" text_pattern_ops);`);

    this.addSql(`create table "color" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(60) not null, "hex" varchar(7) null, constraint "color_pkey" primary key ("id"));`);
    this.addSql(`alter table "color" add constraint "color_name_unique" unique ("name");`);

    this.addSql(`create table "product" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "seller_id" uuid not null, "seller_code" varchar(40) not null, "code" varchar(51) not null, "name" varchar(200) not null, "description" text null, "status" text check ("status" in ('DRAFT', 'PENDING_REVIEW', 'PUBLISHED', 'ARCHIVED')) not null default 'DRAFT', "rejection_reason" text null, "category_id" uuid null, "brand_id" uuid null, "images" jsonb not null, "is_kit" boolean not null default false, "marketplace_out" boolean not null default false, "published_at" timestamptz null, "min_price_cents" int null, constraint "product_pkey" primary key ("id"));`);
    this.addSql(`create index "product_seller_id_index" on "product" ("seller_id");`);
    this.addSql(`alter table "product" add constraint "product_code_unique" unique ("code");`);
    this.addSql(`create index "product_category_id_index" on "product" ("category_id");`);
    this.addSql(`create index "product_brand_id_index" on "product" ("brand_id");`);
    this.addSql(`create index "product_marketplace_out" on "product" ("updated_at", "id") where "marketplace_out";`);
    this.addSql(`create index "product_listing" on "product" ("status", "created_at");`);
    this.addSql(`alter table "product" add constraint "product_seller_code_unique" unique ("seller_id", "seller_code");`);

    this.addSql(`create table "product_link" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "product_id" uuid not null, "linked_id" uuid not null, "kind" text check ("kind" in ('BUY_TOGETHER', 'RELATED')) not null, "position" int not null default 0, constraint "product_link_pkey" primary key ("id"));`);
    this.addSql(`create index "product_link_product_id_index" on "product_link" ("product_id");`);
    this.addSql(`alter table "product_link" add constraint "product_link_unique" unique ("product_id", "linked_id", "kind");`);

    this.addSql(`create table "size" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(30) not null, "position" int not null default 0, constraint "size_pkey" primary key ("id"));`);
    this.addSql(`alter table "size" add constraint "size_name_unique" unique ("name");`);

    this.addSql(`create table "sku" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "product_id" uuid not null, "seller_id" uuid not null, "seller_code" varchar(40) not null, "code" varchar(51) not null, "color_id" uuid null, "size_id" uuid null, "price_cents" int not null, "list_price_cents" int null, "weight_grams" int not null default 0, "height_mm" int null, "width_mm" int null, "length_mm" int null, "stock" int not null default 0, "images" jsonb not null, "position" int not null default 0, "active" boolean not null default true, constraint "sku_pkey" primary key ("id"), constraint sku_price_not_negative check ("price_cents" >= 0), constraint sku_stock_not_negative check ("stock" >= 0));`);
    this.addSql(`create index "sku_product_id_index" on "sku" ("product_id");`);
    this.addSql(`create index "sku_seller_id_index" on "sku" ("seller_id");`);
    this.addSql(`alter table "sku" add constraint "sku_code_unique" unique ("code");`);
    this.addSql(`alter table "sku" add constraint "sku_seller_code_unique" unique ("seller_id", "seller_code");`);

    this.addSql(`create table "kit_component" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "kit_id" uuid not null, "sku_id" uuid not null, "quantity" int not null default 1, "position" int not null default 0, constraint "kit_component_pkey" primary key ("id"), constraint kit_component_quantity_positive check ("quantity" > 0));`);
    this.addSql(`create index "kit_component_kit_id_index" on "kit_component" ("kit_id");`);
    this.addSql(`create index "kit_component_sku_id_index" on "kit_component" ("sku_id");`);
    this.addSql(`alter table "kit_component" add constraint "kit_component_unique" unique ("kit_id", "sku_id");`);

    this.addSql(`create table "tag" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(60) not null, constraint "tag_pkey" primary key ("id"));`);
    this.addSql(`alter table "tag" add constraint "tag_name_unique" unique ("name");`);

    this.addSql(`create table "product_tag" ("product_id" uuid not null, "tag_id" uuid not null, constraint "product_tag_pkey" primary key ("product_id", "tag_id"));`);

    this.addSql(`create table "product_review" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "product_id" uuid not null, "author_id" uuid not null, "rating" int not null, "title" varchar(200) null, "body" text not null, constraint "product_review_pkey" primary key ("id"), constraint product_review_rating_range check ((rating >= 1) AND (rating <= 5)));`);
    this.addSql(`create index "product_review_product_id_index" on "product_review" ("product_id");`);

    this.addSql(`create table "product_question" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "product_id" uuid not null, "author_id" uuid not null, "question" text not null, "answer" text null, "answered_by_id" uuid null, "answered_at" timestamptz null, constraint "product_question_pkey" primary key ("id"));`);
    this.addSql(`create index "product_question_product_id_index" on "product_question" ("product_id");`);

    this.addSql(`alter table "category" add constraint "category_parent_id_foreign" foreign key ("parent_id") references "category" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "product" add constraint "product_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "product" add constraint "product_category_id_foreign" foreign key ("category_id") references "category" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "product" add constraint "product_brand_id_foreign" foreign key ("brand_id") references "brand" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "product_link" add constraint "product_link_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "product_link" add constraint "product_link_linked_id_foreign" foreign key ("linked_id") references "product" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "sku" add constraint "sku_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sku" add constraint "sku_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "sku" add constraint "sku_color_id_foreign" foreign key ("color_id") references "color" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "sku" add constraint "sku_size_id_foreign" foreign key ("size_id") references "size" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "kit_component" add constraint "kit_component_kit_id_foreign" foreign key ("kit_id") references "product" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "kit_component" add constraint "kit_component_sku_id_foreign" foreign key ("sku_id") references "sku" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "product_tag" add constraint "product_tag_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "product_tag" add constraint "product_tag_tag_id_foreign" foreign key ("tag_id") references "tag" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "product_review" add constraint "product_review_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "product_review" add constraint "product_review_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "product_question" add constraint "product_question_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "product_question" add constraint "product_question_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "product_question" add constraint "product_question_answered_by_id_foreign" foreign key ("answered_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "seller" add column "catalog_integration_id" uuid null;`);
    this.addSql(`alter table "seller" add constraint "seller_catalog_integration_id_foreign" foreign key ("catalog_integration_id") references "integration" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "product" drop constraint "product_brand_id_foreign";`);

    this.addSql(`alter table "category" drop constraint "category_parent_id_foreign";`);

    this.addSql(`alter table "product" drop constraint "product_category_id_foreign";`);

    this.addSql(`alter table "sku" drop constraint "sku_color_id_foreign";`);

    this.addSql(`alter table "product_link" drop constraint "product_link_product_id_foreign";`);

    this.addSql(`alter table "product_link" drop constraint "product_link_linked_id_foreign";`);

    this.addSql(`alter table "sku" drop constraint "sku_product_id_foreign";`);

    this.addSql(`alter table "kit_component" drop constraint "kit_component_kit_id_foreign";`);

    this.addSql(`alter table "product_tag" drop constraint "product_tag_product_id_foreign";`);

    this.addSql(`alter table "product_review" drop constraint "product_review_product_id_foreign";`);

    this.addSql(`alter table "product_question" drop constraint "product_question_product_id_foreign";`);

    this.addSql(`alter table "sku" drop constraint "sku_size_id_foreign";`);

    this.addSql(`alter table "kit_component" drop constraint "kit_component_sku_id_foreign";`);

    this.addSql(`alter table "product_tag" drop constraint "product_tag_tag_id_foreign";`);

    this.addSql(`drop table if exists "brand" cascade;`);

    this.addSql(`drop table if exists "category" cascade;`);

    this.addSql(`drop table if exists "color" cascade;`);

    this.addSql(`drop table if exists "product" cascade;`);

    this.addSql(`drop table if exists "product_link" cascade;`);

    this.addSql(`drop table if exists "size" cascade;`);

    this.addSql(`drop table if exists "sku" cascade;`);

    this.addSql(`drop table if exists "kit_component" cascade;`);

    this.addSql(`drop table if exists "tag" cascade;`);

    this.addSql(`drop table if exists "product_tag" cascade;`);

    this.addSql(`drop table if exists "product_review" cascade;`);

    this.addSql(`drop table if exists "product_question" cascade;`);

    this.addSql(`alter table "seller" drop constraint "seller_catalog_integration_id_foreign";`);

    this.addSql(`alter table "seller" drop column "catalog_integration_id";`);
  }

}
