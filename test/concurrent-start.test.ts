import { randomBytes } from 'node:crypto';
import { afterAll, expect, it, inject } from 'vitest';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { startApp, type App } from '../src/app/app.js';
import { seedDemo } from '../src/app/seed.js';
import { openAppOrm as openOrm } from '../src/app/entities.js';
import { User } from '../src/modules/auth/auth.entity.js';
import { Seller } from '../src/modules/sellers/sellers.entity.js';
import { Integration } from '../src/modules/integrations/integrations.entity.js';
import { dropSchema } from '../src/shared/db/orm.js';

/**
 * Several processes starting at once on one empty database (replicas, a restart that
 * overlaps the old process): each must migrate and seed without tripping over the others.
 */
const schema = `t_conc_${randomBytes(4).toString('hex')}`;
const apps: App[] = [];

afterAll(async () => {
  await (apps[0] && dropSchema(apps[0].runtime.orm, schema));
  for (const app of apps) await app.stop();
});

it('three simultaneous starts on an empty database all come up; the demo is seeded exactly once', async () => {
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    MAIL_DIR: `/tmp/mkt-conc-${schema}`,
    ADMIN_EMAIL: 'boss@concurrent.example',
    ADMIN_PASSWORD: 'a-long-enough-password',
  });
  // The schema stands for an empty database; creating it is not part of what races.
  const admin = await openOrm({ clientUrl: inject('databaseUrl'), poolMax: 1 });
  await admin.em.getConnection().execute(`create schema "${schema}"`);
  await admin.close(true);
  const started = await Promise.allSettled(
    [1, 2, 3].map(() => startApp({ config, databaseUrl: inject('databaseUrl'), schema, worker: false, logger: pino({ level: 'silent' }) })),
  );
  for (const s of started) if (s.status === 'fulfilled') apps.push(s.value);
  expect(started.map((s) => (s.status === 'fulfilled' ? 'ok' : String(s.reason)))).toEqual(['ok', 'ok', 'ok']);

  const seeded = await Promise.all(apps.map((app) => seedDemo(app.runtime, config)));
  expect(seeded.filter((c) => c !== null)).toHaveLength(1);

  const em = apps[0]!.runtime.orm.em.fork();
  expect(await em.count(User, {})).toBe(5);
  expect(await em.count(Seller, {})).toBe(3);
  expect(await em.count(Integration, {})).toBe(2);

  // Every instance serves the same store: the owner from ADMIN_EMAIL/ADMIN_PASSWORD signs in on each.
  for (const app of apps) {
    const res = await fetch(app.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation { login(input: { email: "boss@concurrent.example", password: "a-long-enough-password" }) { user { role } } }',
      }),
    });
    expect(await res.json()).toEqual({ data: { login: { user: { role: 'OWNER' } } } });
  }
});
