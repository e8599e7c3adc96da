import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { inject } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { migrate, openOrm } from '../src/shared/db/orm.js';

let orm: MikroORM | undefined;
const schema = `t_mig_${randomBytes(4).toString('hex')}`;

afterAll(async () => {
  if (!orm) return;
  await orm.em.getConnection().execute(`drop schema if exists "${schema}" cascade`);
  await orm.close(true);
});

it('the migrations build exactly the schema the entities describe (every entity change has its migration)', async () => {
  orm = await openOrm({ clientUrl: inject('databaseUrl'), schema });
  const ran = await migrate(orm);
  expect(ran.length).toBeGreaterThan(0);
  expect(await orm.getMigrator().checkMigrationNeeded()).toBe(false);
  // The first migration seeds the one admin seller and the settings row.
  const rows = await orm.em.getConnection().execute<{ admins: string; settings: string }[]>(
    `select (select count(*) from seller where is_admin) as admins, (select count(*) from marketplace_settings) as settings`,
  );
  expect(rows[0]).toEqual({ admins: '1', settings: '1' });
});
