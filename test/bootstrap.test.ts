import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { LoginDocument } from './generated/graphql.js';
import { ensureFirstOperator, seedDemo } from '../src/app/seed.js';
import { User } from '../src/modules/auth/auth.entity.js';
import { Seller } from '../src/modules/sellers/sellers.entity.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t?.stop());


it('with SEED=false an empty database still gets its first operator owner, and only that, once', async () => {
  const config = { ADMIN_EMAIL: 'Boss@Store.example', ADMIN_PASSWORD: 'a-long-enough-password' };
  const creds = await ensureFirstOperator(t.app.runtime, config);
  expect(creds).toEqual([{ who: 'operator OWNER (admin seller)', email: 'boss@store.example', password: '(from ADMIN_PASSWORD)' }]);
  const res = await t.request(LoginDocument, { input: { email: 'boss@store.example', password: 'a-long-enough-password' } });
  expect(res.data?.login.user?.role).toBe('OWNER');

  const em = t.app.runtime.orm.em.fork();
  expect(await em.count(User, {})).toBe(1);
  expect(await em.count(Seller, { isAdmin: false })).toBe(0); // no demo data
  // Never twice, and the demo seed does not run on a database that has users.
  expect(await ensureFirstOperator(t.app.runtime, config)).toBeNull();
  expect(await seedDemo(t.app.runtime, config)).toBeNull();
  expect(await em.count(User, {})).toBe(1);
});
