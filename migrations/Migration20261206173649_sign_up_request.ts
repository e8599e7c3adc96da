import { Migration } from '@mikro-orm/migrations';

export class Migration20261206173649_sign_up_request extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "sign_up_request" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "email" varchar(320) not null, "name" varchar(200) not null, "password_hash" varchar(255) not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "sign_up_request_pkey" primary key ("id"));`);
    this.addSql(`alter table "sign_up_request" add constraint "sign_up_request_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "sign_up_request_email_index" on "sign_up_request" ("email");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "sign_up_request" cascade;`);
  }

}
