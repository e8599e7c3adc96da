import { randomBytes } from 'node:crypto';
import { afterAll, expect, it, inject } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { migrate } from '../src/shared/db/orm.js';
import { openAppOrm as openOrm } from '../src/app/entities.js';

// MikroORM's schema diff looks at every schema of a database, and the other test files each
// keep one in the shared database; so this check gets a database of its own.
const dbName = `mig_${randomBytes(4).toString('hex')}`;
const baseUrl = inject('databaseUrl');
const url = new URL(baseUrl);
url.pathname = `/${dbName}`;

let admin: MikroORM | undefined;
let orm: MikroORM | undefined;

afterAll(async () => {
  await orm?.close(true);
  if (admin) {
    await admin.em.getConnection().execute(`drop database if exists "${dbName}"`);
    await admin.close(true);
  }
});

it('the migrations build exactly the schema the entities describe (every entity change has its migration)', async () => {
  admin = await openOrm({ clientUrl: baseUrl, poolMax: 1 });
  await admin.em.getConnection().execute(`create database "${dbName}"`);
  orm = await openOrm({ clientUrl: url.toString() });
  const ran = await migrate(orm);
  expect(ran.length).toBeGreaterThan(0);
  expect(await orm.getMigrator().checkMigrationNeeded()).toBe(false);
  // The first migration seeds the one admin seller and the settings row.
  const rows = await orm.em.getConnection().execute<{ admins: string; settings: string }[]>(
    `select (select count(*) from seller where is_admin) as admins, (select count(*) from marketplace_settings) as settings`,
  );
  expect(rows[0]).toEqual({ admins: '1', settings: '1' });
});
