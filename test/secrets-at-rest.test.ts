import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { IntegrationCreateDocument, InviteSellerUserDocument, LoginDocument, RequestPasswordResetDocument, ResetPasswordDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { OutboxMessage, OutboxStatus } from '../src/shared/outbox/outbox.entity.js';
import { OUTBOX_SEAL } from '../src/shared/outbox/seal.js';
import { hashPassword } from '../src/modules/auth/crypto.js';
import { User } from '../src/modules/auth/auth.entity.js';

/*
 * Issue 12, item 1: no secret is readable at rest, at any moment. After each auth flow every
 * table of the app's schema is read whole, right after the mutation (the e-mail still queued)
 * and again after the outbox worker sent it, looking for the token — and for its random part
 * without the prefix. The queued e-mail is opened with the app's seal only to learn the token.
 */

let t: TestApp;
let f: Factory;
const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
});
afterAll(async () => t?.stop());

async function tables(): Promise<string[]> {
  const rows = await f.em().getConnection().execute<{ table_name: string }[]>(`select table_name from information_schema.tables where table_schema = ? and table_type = 'BASE TABLE'`, [t.schema]);
  return rows.map((r) => r.table_name);
}

/** Every table holding `secret` (or its random part) anywhere in a row. */
async function tablesHolding(secret: string): Promise<string[]> {
  const random = secret.replace(/^[a-z]+_/, '');
  const found: string[] = [];
  for (const table of await tables()) {
    const [row] = await f
      .em()
      .getConnection()
      .execute<{ n: string }[]>(`select count(*) as n from "${t.schema}"."${table}" r where position(? in r::text) > 0 or position(? in r::text) > 0`, [secret, random]);
    if (Number(row!.n) > 0) found.push(table);
  }
  return found;
}

/** The token inside the newest queued e-mail to `email`, read through the seal (as the worker does). */
async function queuedToken(email: string, pattern = /Token: (mk[a-z]_[A-Za-z0-9_-]+)/): Promise<string> {
  const seal = t.app.runtime.services.get(OUTBOX_SEAL);
  const messages = await f.em().find(OutboxMessage, { status: OutboxStatus.PENDING }, { orderBy: { createdAt: 'desc' } });
  for (const m of messages) {
    const body = seal.open<{ to: string; text: string }>(m.payload);
    const match = body.to === email ? pattern.exec(body.text) : null;
    if (match) return match[1]!;
  }
  throw new Error(`no queued e-mail with a token to ${email}`);
}

async function expectNowhere(secret: string) {
  expect(await tablesHolding(secret), `tables holding ${secret.slice(0, 8)}…`).toEqual([]);
}

/** Before the worker, and after it sent (and dropped) the message. */
async function expectNowhereBeforeAndAfterSending(secret: string) {
  await expectNowhere(secret);
  await t.deliverMail();
  expect(await f.em().count(OutboxMessage, { status: OutboxStatus.PENDING })).toBe(0);
  await expectNowhere(secret);
  const sent = await f.em().find(OutboxMessage, { status: OutboxStatus.SENT });
  for (const m of sent) expect(m.payload).toEqual({});
}

describe('tokens never sit in a table in the clear', () => {
  it('the scan finds a secret that is there (it can fail)', async () => {
    const { user } = await f.user({ email: 'probe@secrets.example' });
    await f.em().nativeUpdate(User, { id: user.id }, { name: 'mkr_PROBEprobePROBE' });
    expect(await tablesHolding('mkr_PROBEprobePROBE')).toEqual(['app_user']);
  });

  it('password reset: the e-mailed token, and the session the reset opens', async () => {
    const email = 'reset@secrets.example';
    const { user } = await f.user({ email });
    await f.em().nativeUpdate(User, { id: user.id }, { passwordHash: await hashPassword(PASSWORD) });
    const asked = await t.request(RequestPasswordResetDocument, { email });
    expect(asked.data?.requestPasswordReset.ok).toBe(true);
    const token = await queuedToken(email);
    await expectNowhereBeforeAndAfterSending(token);
    const reset = await t.request(ResetPasswordDocument, { input: { token, password: 'another good password' } });
    expect(reset.data?.resetPassword.userErrors).toEqual([]);
    await expectNowhere(reset.data!.resetPassword.token!);
  });

  it('invitation of a seller user without a password', async () => {
    const operator = await f.operator(UserRole.OWNER);
    const seller = await f.seller();
    const email = 'invited@secrets.example';
    const res = await t.request(InviteSellerUserDocument, { input: { sellerId: seller.id, email, name: 'Invited', role: 'CATALOG' } }, operator.token);
    expect(res.data?.createSellerUser.userErrors).toEqual([]);
    await expectNowhereBeforeAndAfterSending(await queuedToken(email));
  });

  it('login: the session token', async () => {
    const email = 'login@secrets.example';
    const { user } = await f.user({ email });
    await f.em().nativeUpdate(User, { id: user.id }, { passwordHash: await hashPassword(PASSWORD) });
    const res = await t.request(LoginDocument, { input: { email, password: PASSWORD } });
    expect(res.data?.login.userErrors).toEqual([]);
    await expectNowhere(res.data!.login.token!);
  });

  it('an integration token', async () => {
    const operator = await f.operator(UserRole.OWNER);
    const res = await t.request(IntegrationCreateDocument, { input: { name: 'ERP at rest' } }, operator.token);
    expect(res.data?.createIntegration.userErrors).toEqual([]);
    await expectNowhere(res.data!.createIntegration.token!);
  });
});
