import { Migration } from '@mikro-orm/migrations';

export class Migration20261206130601_catalog_integration extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "seller_catalog_integration" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "seller_id" uuid not null, "integration_id" uuid not null, constraint "seller_catalog_integration_pkey" primary key ("id"));`);
    this.addSql(`alter table "seller_catalog_integration" add constraint "seller_catalog_integration_seller_unique" unique ("seller_id");`);
    this.addSql(`create index "seller_catalog_integration_integration_id_index" on "seller_catalog_integration" ("integration_id");`);

    this.addSql(`alter table "seller_catalog_integration" add constraint "seller_catalog_integration_seller_id_foreign" foreign key ("seller_id") references "seller" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "seller_catalog_integration" add constraint "seller_catalog_integration_integration_id_foreign" foreign key ("integration_id") references "integration" ("id") on update cascade on delete cascade;`);

    // The declaration moves from the seller row to a row the integrations module owns.
    this.addSql(`insert into "seller_catalog_integration" ("id", "seller_id", "integration_id") select gen_random_uuid(), "id", "catalog_integration_id" from "seller" where "catalog_integration_id" is not null;`);
    this.addSql(`alter table "seller" drop constraint "seller_catalog_integration_id_foreign";`);

    this.addSql(`alter table "seller" drop column "catalog_integration_id";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "seller" add column "catalog_integration_id" uuid null;`);
    this.addSql(`alter table "seller" add constraint "seller_catalog_integration_id_foreign" foreign key ("catalog_integration_id") references "integration" ("id") on update cascade on delete set null;`);
    this.addSql(`update "seller" s set "catalog_integration_id" = c."integration_id" from "seller_catalog_integration" c where c."seller_id" = s."id";`);

    this.addSql(`drop table if exists "seller_catalog_integration" cascade;`);
  }

}
