import { createHash } from 'node:crypto';
import { OUTBOX_SEAL } from '../src/shared/outbox/seal.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { InviteSellerUserDocument, LoginDocument, LogoutDocument, RequestPasswordResetDocument, ResetPasswordDocument, SignUpDocument, VerifyEmailDocument, ViewerDocument } from './generated/graphql.js';
import { PasswordResetToken, Session, User } from '../src/modules/auth/auth.entity.js';
import { UserRole } from '../src/shared/access/index.js';
import { hashPassword } from '../src/modules/auth/crypto.js';
import { OutboxMessage, OutboxStatus } from '../src/shared/outbox/outbox.entity.js';
import { enqueueEmail } from '../src/shared/outbox/outbox.js';
import type { Mail, Mailer } from '../src/shared/outbox/mailer.js';
import { startOutboxWorker, type OutboxWorker } from '../src/jobs/outbox-worker.js';

let t: TestApp;
let f: Factory;
/** scrypt of PASSWORD, computed once: accounts that only need to exist skip the sign-up's hashing. */
let passwordHash: string;

const PASSWORD = 'correct horse battery';

beforeAll(async () => {
  [t, passwordHash] = await Promise.all([startTestApp(), hashPassword(PASSWORD)]);
  f = new Factory(t);
});
afterAll(async () => t?.stop());

let seq = 0;
const newEmail = (tag: string) => `${tag}${++seq}.${Date.now().toString(36)}@auth.example`;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function counts() {
  const em = f.em();
  return { users: await em.count(User, {}), sessions: await em.count(Session, {}), outbox: await em.count(OutboxMessage, {}) };
}

async function sql<T>(query: string, params: unknown[] = []): Promise<T[]> {
  return f.em().getConnection().execute<T[]>(query, params);
}

/** Undoes quoted-printable soft breaks and escapes, in case the mailer chose that encoding. */
const decodeQp = (s: string) =>
  s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The delivered .eml files addressed to `email`. */
async function mailsTo(email: string): Promise<string[]> {
  const all = await t.deliverMail();
  return all.filter((m) => new RegExp(`^To: ${email.replace(/[.+]/g, '\\$&')}$`, 'mi').test(m));
}

function tokenFrom(mail: string): string {
  const m = /Token: (mkr_[A-Za-z0-9_-]+)/.exec(decodeQp(mail));
  if (!m) throw new Error(`no token in the e-mail:\n${mail}`);
  return m[1]!;
}

/** The verification token e-mailed to `email` by signUp. */
async function verificationToken(email: string): Promise<string> {
  const mails = await mailsTo(email);
  const m = /Token: (mkv_[A-Za-z0-9_-]+)/.exec(decodeQp(mails.at(-1) ?? ''));
  if (!m) throw new Error(`no verification token e-mailed to ${email}`);
  return m[1]!;
}

/** Signs up through the e-mailed verification link (issue 12: sign-up no longer signs in at once); returns the session token. */
async function signUp(email: string, password = PASSWORD) {
  const res = await t.request(SignUpDocument, { input: { email, password, name: 'Ana Souza' } });
  expect(res.errors).toBeUndefined();
  expect(res.data!.signUp).toEqual({ ok: true, userErrors: [] });
  const verified = await t.request(VerifyEmailDocument, { input: { token: await verificationToken(email) } });
  expect(verified.data!.verifyEmail.userErrors).toEqual([]);
  return verified.data!.verifyEmail.token!;
}

/** A customer whose password is PASSWORD, with one open session. */
async function account(tag: string): Promise<{ email: string; token: string }> {
  const email = newEmail(tag);
  const { user, token } = await f.user({ email });
  await f.em().nativeUpdate(User, { id: user.id }, { passwordHash });
  return { email, token };
}

async function storedHash(email: string): Promise<string | null> {
  const [row] = await sql<{ password_hash: string | null }>('select password_hash from app_user where email = ?', [email]);
  return row!.password_hash;
}

async function login(email: string, password: string) {
  return t.request(LoginDocument, { input: { email, password } });
}

async function expectRefused(token: string) {
  const res = await t.request(ViewerDocument, {}, token);
  expect(res.status).toBe(401);
  expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  expect(res.data ?? null).toBeNull();
}

describe('viewer', () => {
  it('is ANONYMOUS without a token', async () => {
    const res = await t.request(ViewerDocument, {});
    expect(res.status).toBe(200);
    expect(res.errors).toBeUndefined();
    expect(res.data!.viewer).toEqual({ kind: 'ANONYMOUS', role: null, user: null });
  });
});

describe('signUp', () => {
  it('answers ok and e-mails a verification link; the link creates the customer and returns a working bearer token', async () => {
    const email = newEmail('Ana.Souza');
    const before = await counts();
    const res = await t.request(SignUpDocument, { input: { email: `  ${email.toUpperCase()} `, password: PASSWORD, name: ' Ana Souza ' } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.signUp).toEqual({ ok: true, userErrors: [] });
    // No account and no session yet: only the e-mail.
    expect(await counts()).toMatchObject({ users: before.users, sessions: before.sessions });
    const token = await verificationToken(email.toLowerCase());
    const verified = await t.request(VerifyEmailDocument, { input: { token } });
    const p = verified.data!.verifyEmail;
    expect(p.userErrors).toEqual([]);
    expect(p.token).toMatch(/^mks_/);
    expect(p.user).toMatchObject({ email: email.toLowerCase(), name: 'Ana Souza', role: null });
    expect(new Date(p.expiresAt!).getTime()).toBeGreaterThan(Date.now());
    expect(await counts()).toMatchObject({ users: before.users + 1, sessions: before.sessions + 1 });

    const viewer = await t.request(ViewerDocument, {}, p.token!);
    expect(viewer.errors).toBeUndefined();
    expect(viewer.data!.viewer).toMatchObject({ kind: 'CUSTOMER', role: null, user: { id: p.user!.id, email: email.toLowerCase() } });
    const stored = await f.em().findOneOrFail(User, { id: p.user!.id }, { populate: ['seller'] });
    expect(stored.seller ?? null).toBeNull();
    expect(stored.role ?? null).toBeNull();
    // The link works once.
    const again = await t.request(VerifyEmailDocument, { input: { token } });
    expect(again.data!.verifyEmail.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'token']]]);
  });

  it('answers an existing e-mail (any case) exactly like a new one, and tells the owner instead of creating anything', async () => {
    const email = newEmail('dup');
    await signUp(email);
    const before = await counts();
    const res = await t.request(SignUpDocument, { input: { email: email.toUpperCase(), password: PASSWORD, name: 'Other' } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.signUp).toEqual({ ok: true, userErrors: [] });
    const mails = await mailsTo(email);
    expect(decodeQp(mails.at(-1)!)).toMatch(/Someone tried to create a new account with this e-mail/);
    expect(decodeQp(mails.at(-1)!)).not.toMatch(/mkv_/);
    expect(await counts()).toMatchObject({ users: before.users, sessions: before.sessions });
  });

  it('two verification links of one address used at once: one account, the other link refused', async () => {
    const email = newEmail('race');
    for (const name of ['Racer 1', 'Racer 2']) expect((await t.request(SignUpDocument, { input: { email, password: PASSWORD, name } })).data!.signUp.ok).toBe(true);
    const tokens = (await mailsTo(email)).map((m) => /Token: (mkv_[A-Za-z0-9_-]+)/.exec(decodeQp(m))![1]!);
    expect(tokens).toHaveLength(2);
    const before = await counts();
    const results = await Promise.all(tokens.map((token) => t.request(VerifyEmailDocument, { input: { token } })));
    for (const r of results) expect(r.errors).toBeUndefined();
    expect(results.filter((r) => r.data!.verifyEmail.userErrors.length === 0)).toHaveLength(1);
    expect(await counts()).toMatchObject({ users: before.users + 1, sessions: before.sessions + 1 });
  });

  it('refuses e-mail addresses a mail client would read as other recipients', async () => {
    const before = await counts();
    for (const email of ['victim,attacker@evil.example', 'Name <attacker@evil.example>', 'a;b@evil.example']) {
      const res = await t.request(SignUpDocument, { input: { email, password: PASSWORD, name: 'Sneaky' } });
      expect(res.data!.signUp.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'email']]]);
    }
    expect(await counts()).toEqual(before);
  });

  it('reports a weak password, a bad e-mail and an empty name together, and creates nothing', async () => {
    const before = await counts();
    const res = await t.request(SignUpDocument, { input: { email: 'not-an-email', password: 'short', name: '  ' } });
    expect(res.errors).toBeUndefined();
    const p = res.data!.signUp;
    expect(p.ok).toBe(false);
    expect(p.userErrors.map((e) => [e.code, e.field])).toEqual([
      ['BAD_USER_INPUT', ['input', 'email']],
      ['BAD_USER_INPUT', ['input', 'password']],
      ['BAD_USER_INPUT', ['input', 'name']],
    ]);
    expect(await counts()).toEqual(before);

    const weakOnly = await t.request(SignUpDocument, { input: { email: newEmail('weak'), password: '123456789', name: 'Weak' } });
    expect(weakOnly.data!.signUp.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'password']]]);
    expect(await counts()).toEqual(before);
  });
});

describe('login', () => {
  const email = newEmail('login');
  let userId: string;

  beforeAll(async () => {
    await signUp(email);
    userId = (await f.em().findOneOrFail(User, { email })).id;
  });

  it('returns a token and a readable user for the right password', async () => {
    const res = await login(email.toUpperCase(), PASSWORD);
    expect(res.errors).toBeUndefined();
    const p = res.data!.login;
    expect(p.userErrors).toEqual([]);
    expect(p.token).toMatch(/^mks_/);
    // Readable only because the service made the new identity the viewer of this request.
    expect(p.user).toMatchObject({ id: userId, email, role: null });
    expect(p.user!.lastLoginAt).not.toBeNull();
    const viewer = await t.request(ViewerDocument, {}, p.token!);
    expect(viewer.data!.viewer).toMatchObject({ kind: 'CUSTOMER', user: { id: userId, email } });
  });

  it('answers a wrong password and an unknown e-mail with the same top-level UNAUTHENTICATED error', async () => {
    const sessions = (await counts()).sessions;
    const wrong = await login(email, 'wrong password 123');
    const unknown = await login(newEmail('nobody'), PASSWORD);
    for (const res of [wrong, unknown]) {
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.data ?? null).toBeNull();
    }
    expect(wrong.errors![0]!.message).toBe(unknown.errors![0]!.message);
    expect((await counts()).sessions).toBe(sessions);
  });

  it('stores the password as an scrypt hash and session tokens only as SHA-256', async () => {
    const [row] = await sql<{ password_hash: string }>('select password_hash from app_user where id = ?', [userId]);
    expect(row!.password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/);
    expect(row!.password_hash).not.toContain(PASSWORD);

    const token = (await login(email, PASSWORD)).data!.login.token!;
    const rows = await sql<{ token_hash: string; whole: string }>(
      'select token_hash, row_to_json(s)::text as whole from user_session s where user_id = ?',
      [userId],
    );
    expect(rows.map((r) => r.token_hash)).toContain(sha256(token));
    for (const r of rows) {
      expect(r.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(r.whole).not.toContain(token);
      expect(r.whole).not.toContain(token.slice(4));
    }
  });
});

describe('sessions', () => {
  it('logout revokes only the current session; the token then gets 401', async () => {
    const { user, token } = await f.customer();
    const em = f.em();
    const otherToken = `mks_other_${sha256(user.id).slice(0, 20)}`;
    await em.persistAndFlush(
      em.create(Session, { user: em.getReference(User, user.id), tokenHash: sha256(otherToken), expiresAt: new Date(Date.now() + 3600_000) }),
    );

    const res = await t.request(LogoutDocument, {}, token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.logout).toEqual({ ok: true, userErrors: [] });
    const session = await f.em().findOneOrFail(Session, { tokenHash: sha256(token) });
    expect(session.revokedAt).toBeInstanceOf(Date);

    await expectRefused(token);
    const other = await t.request(ViewerDocument, {}, otherToken);
    expect(other.data!.viewer).toMatchObject({ kind: 'CUSTOMER', user: { id: user.id } });
  });

  it('logout needs a signed-in user', async () => {
    const res = await t.request(LogoutDocument, {});
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses an expired session with 401', async () => {
    const { token } = await f.customer();
    expect((await t.request(ViewerDocument, {}, token)).data!.viewer.kind).toBe('CUSTOMER');
    await f.em().nativeUpdate(Session, { tokenHash: sha256(token) }, { expiresAt: new Date(Date.now() - 1000) });
    await expectRefused(token);
  });

  it('refuses a garbage bearer token with 401', async () => {
    await expectRefused('garbage');
    await expectRefused(`mks_${'A'.repeat(43)}`);
  });

  it('refuses the session of a deactivated user with 401', async () => {
    const { user, token } = await f.customer();
    await f.em().nativeUpdate(User, { id: user.id }, { active: false });
    await expectRefused(token);
  });
});

describe('password reset', () => {
  it('answers ok for known and unknown e-mails but only mails the existing account', async () => {
    const { email } = await account('reset');
    const unknown = newEmail('ghost');
    const before = await counts();
    for (const e of [email, unknown]) {
      const res = await t.request(RequestPasswordResetDocument, { email: e });
      expect(res.errors).toBeUndefined();
      expect(res.data!.requestPasswordReset).toEqual({ ok: true, userErrors: [] });
    }
    expect((await counts()).outbox).toBe(before.outbox + 1);
    expect(await mailsTo(email)).toHaveLength(1);
    expect(await mailsTo(unknown)).toHaveLength(0);
  });

  it('sets a new password with the e-mailed token, revokes old sessions and is single-use', async () => {
    const NEW_PASSWORD = 'a brand new passphrase';
    const { email, token: firstToken } = await account('reset');
    const loginToken = (await login(email, PASSWORD)).data!.login.token!;

    await t.request(RequestPasswordResetDocument, { email: email.toUpperCase() });
    const mails = await mailsTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/^Subject: Reset your password$/m);
    const resetToken = tokenFrom(mails[0]!);
    // Only the hash of the reset token is stored.
    expect(await f.em().count(PasswordResetToken, { tokenHash: sha256(resetToken) })).toBe(1);

    // A weak password is refused and does not use up the token.
    const weak = await t.request(ResetPasswordDocument, { input: { token: resetToken, password: 'short' } });
    expect(weak.data!.resetPassword.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'password']]]);

    const res = await t.request(ResetPasswordDocument, { input: { token: resetToken, password: NEW_PASSWORD } });
    expect(res.errors).toBeUndefined();
    const p = res.data!.resetPassword;
    expect(p.userErrors).toEqual([]);
    expect(p.user).toMatchObject({ email });
    const viewer = await t.request(ViewerDocument, {}, p.token!);
    expect(viewer.data!.viewer).toMatchObject({ kind: 'CUSTOMER', user: { email } });

    await expectRefused(firstToken);
    await expectRefused(loginToken);
    expect(codes(await login(email, PASSWORD))).toEqual(['UNAUTHENTICATED']);
    expect((await login(email, NEW_PASSWORD)).data!.login.user).toMatchObject({ email });

    const hashAfterReset = await storedHash(email);
    const again = await t.request(ResetPasswordDocument, { input: { token: resetToken, password: 'yet another passphrase' } });
    expect(again.errors).toBeUndefined();
    expect(again.data!.resetPassword.token).toBeNull();
    expect(again.data!.resetPassword.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'token']]]);
    expect(await storedHash(email)).toBe(hashAfterReset);
  });

  it('lets only one of two simultaneous uses of a token succeed', async () => {
    const { email } = await account('twice');
    await t.request(RequestPasswordResetDocument, { email });
    const resetToken = tokenFrom((await mailsTo(email))[0]!);
    const results = await Promise.all(
      ['first passphrase 1', 'second passphrase 2'].map((password) =>
        t.request(ResetPasswordDocument, { input: { token: resetToken, password } }),
      ),
    );
    const outcomes = results.map((r) => r.data!.resetPassword.userErrors.map((e) => e.code)).sort();
    expect(outcomes).toEqual([[], ['BAD_USER_INPUT']]);
    // The winner's password is the one that stays (the loser overwrote nothing).
    const winner = results.findIndex((r) => r.data!.resetPassword.token);
    expect((await login(email, ['first passphrase 1', 'second passphrase 2'][winner]!)).data!.login.token).toMatch(/^mks_/);
  });

  it('a new password voids the other reset links of the account', async () => {
    const { email } = await account('twolinks');
    await t.request(RequestPasswordResetDocument, { email });
    await t.request(RequestPasswordResetDocument, { email });
    const [older, newer] = (await mailsTo(email)).map(tokenFrom);
    expect(older).not.toBe(newer);
    const used = await t.request(ResetPasswordDocument, { input: { token: newer!, password: 'the chosen passphrase' } });
    expect(used.data!.resetPassword.userErrors).toEqual([]);
    const hashAfterReset = await storedHash(email);
    const stale = await t.request(ResetPasswordDocument, { input: { token: older!, password: 'an attacker passphrase' } });
    expect(stale.data!.resetPassword.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'token']]]);
    expect(await storedHash(email)).toBe(hashAfterReset);
  });

  it('refuses the token of an account deactivated since it was sent', async () => {
    const { email } = await account('gone');
    await t.request(RequestPasswordResetDocument, { email });
    const resetToken = tokenFrom((await mailsTo(email))[0]!);
    await f.em().nativeUpdate(User, { email }, { active: false });
    const res = await t.request(ResetPasswordDocument, { input: { token: resetToken, password: 'a brand new passphrase' } });
    expect(res.data!.resetPassword.token).toBeNull();
    expect(res.data!.resetPassword.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'token']]]);
  });

  it('refuses an expired token and an unknown one', async () => {
    const { email } = await account('expired');
    await t.request(RequestPasswordResetDocument, { email });
    const [mail] = await mailsTo(email);
    const resetToken = tokenFrom(mail!);
    await f.em().nativeUpdate(PasswordResetToken, { tokenHash: sha256(resetToken) }, { expiresAt: new Date(Date.now() - 1000) });

    const sessions = (await counts()).sessions;
    for (const token of [resetToken, `mkr_${'B'.repeat(43)}`]) {
      const res = await t.request(ResetPasswordDocument, { input: { token, password: 'a brand new passphrase' } });
      expect(res.data!.resetPassword.token).toBeNull();
      expect(res.data!.resetPassword.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'token']]]);
    }
    expect((await counts()).sessions).toBe(sessions);
    const [row] = await sql<{ used_at: Date | null }>('select used_at from password_reset_token where token_hash = ?', [sha256(resetToken)]);
    expect(row!.used_at).toBeNull();
    expect(await storedHash(email)).toBe(passwordHash);
  });
});

describe('invitations', () => {
  it('a seller user created without a password is e-mailed a token to choose one, then logs in', async () => {
    await f.setMarketplace(true);
    const seller = await f.seller();
    const { token: owner } = await f.operator(UserRole.OWNER);
    const email = newEmail('invitee');

    const created = await t.request(
      InviteSellerUserDocument,
      { input: { sellerId: seller.id, email, name: 'Carla Catalog', role: 'CATALOG' } },
      owner,
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createSellerUser.userErrors).toEqual([]);
    expect(created.data!.createSellerUser.user).toMatchObject({ email, role: 'CATALOG' });
    expect(await storedHash(email)).toBeNull();
    // No password yet: nothing logs in.
    expect(codes(await login(email, ''))).toEqual(['UNAUTHENTICATED']);

    const mails = await mailsTo(email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(/^Subject: Your marketplace access$/m);
    const inviteToken = tokenFrom(mails[0]!);

    const res = await t.request(ResetPasswordDocument, { input: { token: inviteToken, password: PASSWORD } });
    expect(res.data!.resetPassword.userErrors).toEqual([]);
    const viewer = await t.request(ViewerDocument, {}, res.data!.resetPassword.token!);
    expect(viewer.data!.viewer).toMatchObject({ kind: 'SELLER', role: 'CATALOG', user: { email } });

    const logged = await login(email, PASSWORD);
    expect(logged.errors).toBeUndefined();
    expect(logged.data!.login.user).toMatchObject({ email, role: 'CATALOG' });
  });
});

describe('outbox', () => {
  const workers: OutboxWorker[] = [];
  const worker = (mailer: Mailer, opts: { lockMs?: number; maxAttempts?: number; batchSize?: number; pollMs?: number; stopTimeoutMs?: number } = {}) => {
    // Some cases leave a send hanging on purpose; stopping those workers need not wait long.
    const w = startOutboxWorker(t.app.runtime.orm, mailer, { pollMs: 3_600_000, stopTimeoutMs: 500, seal: t.app.runtime.services.get(OUTBOX_SEAL), ...opts });
    workers.push(w);
    return w;
  };
  const recorder = () => {
    const sent: Mail[] = [];
    const mailer: Mailer = {
      send: async (mail) => {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sent.push(mail);
      },
    };
    return { sent, mailer };
  };

  async function enqueue(n = 1): Promise<string[]> {
    const em = f.em();
    const rows = Array.from({ length: n }, (_, i) =>
      enqueueEmail(em, 'test.outbox', { to: `outbox${i}@auth.example`, subject: `Message ${i}`, text: `Body ${i}` }),
    );
    await em.flush();
    return rows.map((r) => r.id);
  }

  async function row(id: string) {
    const [r] = await sql<{ status: string; attempts: number; last_error: string | null; next_attempt_at: string; locked_until: string | null; sent_at: string | null }>(
      'select status, attempts, last_error, next_attempt_at, locked_until, sent_at from outbox_message where id = ?',
      [id],
    );
    return r!;
  }

  /** Waits for a condition that another asynchronous actor makes true; fails after a generous bound. */
  async function until(cond: () => boolean | Promise<boolean>, what: string) {
    for (let i = 0; i < 1000; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  beforeEach(async () => {
    // Each case starts with an empty outbox, so workers only see this case's messages.
    await f.em().nativeDelete(OutboxMessage, {});
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
  });

  it('re-sends with the same Message-ID after a worker died between sending and marking', async () => {
    const [id] = await enqueue(1);
    const hung: Mail[] = [];
    let release: (err: Error) => void = () => undefined;
    const dying: Mailer = {
      send: (mail) => {
        hung.push(mail);
        // The SMTP server accepted the mail, then the process froze before marking it sent.
        return new Promise<void>((_resolve, reject) => {
          release = reject;
        });
      },
    };
    const first = worker(dying, { lockMs: 300 });
    const firstPass = first.runOnce();
    await until(() => hung.length === 1, 'the first send');

    await until(async () => (await sql<{ due: boolean }>('select locked_until < now() as due from outbox_message where id = ?', [id]))[0]!.due, 'the lock to expire');
    const { sent, mailer } = recorder();
    expect(await worker(mailer).runOnce()).toBe(1);

    expect(sent).toHaveLength(1);
    expect(hung[0]!.messageId).toMatch(new RegExp(`^<outbox-${id}@[^>]+>$`));
    expect(sent[0]!.messageId).toBe(hung[0]!.messageId);
    expect(sent[0]).toMatchObject({ to: 'outbox0@auth.example', subject: 'Message 0', text: 'Body 0' });
    expect(await row(id!)).toMatchObject({ status: 'SENT', attempts: 2, locked_until: null, last_error: null });

    // If the frozen worker ever wakes up with an error, it must not undo the other's delivery.
    release(new Error('connection reset'));
    expect(await firstPass).toBe(0);
    expect(await row(id!)).toMatchObject({ status: 'SENT', attempts: 2, last_error: null });
  });

  it('does not hand a claimed message to another worker while its lock holds', async () => {
    const [id] = await enqueue(1);
    const hung: Mail[] = [];
    const first = worker({ send: (mail) => (hung.push(mail), new Promise<void>(() => undefined)) }, { lockMs: 60_000 });
    void first.runOnce();
    await until(() => hung.length === 1, 'the first send');
    const { sent, mailer } = recorder();
    expect(await worker(mailer).runOnce()).toBe(0);
    expect(sent).toHaveLength(0);
    expect(await row(id!)).toMatchObject({ status: 'PENDING', attempts: 1 });
  });

  it('backs off after a failure and gives up after maxAttempts', async () => {
    const [id] = await enqueue(1);
    let calls = 0;
    const failing: Mailer = {
      send: async () => {
        calls++;
        throw new Error(`smtp down #${calls}`);
      },
    };
    const w = worker(failing, { maxAttempts: 3 });
    const makeDue = () => f.em().nativeUpdate(OutboxMessage, { id }, { nextAttemptAt: new Date(Date.now() - 1000) });

    for (const [attempt, backoff] of [[1, 5_000], [2, 10_000]] as const) {
      const before = Date.now();
      expect(await w.runOnce()).toBe(0);
      const after = Date.now();
      const r = await row(id!);
      expect(r).toMatchObject({ status: 'PENDING', attempts: attempt, last_error: `smtp down #${attempt}`, locked_until: null });
      const next = new Date(r.next_attempt_at).getTime();
      expect(next).toBeGreaterThanOrEqual(before + backoff);
      expect(next).toBeLessThanOrEqual(after + backoff + 1);
      // Not due yet: another pass leaves it alone.
      expect(await w.runOnce()).toBe(0);
      expect(calls).toBe(attempt);
      await makeDue();
    }

    expect(await w.runOnce()).toBe(0);
    expect(await row(id!)).toMatchObject({ status: 'DEAD', attempts: 3, last_error: 'smtp down #3' });
    await makeDue();
    expect(await w.runOnce()).toBe(0);
    expect(calls).toBe(3);
  });

  it('two workers running concurrently deliver each of 20 messages exactly once', async () => {
    const ids = await enqueue(20);
    const a = recorder();
    const b = recorder();
    const wa = worker(a.mailer, { batchSize: 5 });
    const wb = worker(b.mailer, { batchSize: 5 });
    let delivered = 0;
    for (let round = 0; round < 10; round++) {
      const [x, y] = await Promise.all([wa.runOnce(), wb.runOnce()]);
      if (x + y === 0) break;
      delivered += x + y;
    }
    expect(delivered).toBe(20);
    expect(a.sent.length).toBeGreaterThan(0);
    expect(b.sent.length).toBeGreaterThan(0);
    const all = [...a.sent, ...b.sent].map((m) => m.messageId).sort();
    expect(all).toEqual(ids.map((id) => `<outbox-${id}@marketplace.local>`).sort());
    const rows = await sql<{ status: string; attempts: number; n: string }>(
      'select status, attempts, count(*) as n from outbox_message group by status, attempts',
    );
    expect(rows.map((r) => ({ ...r, n: Number(r.n) }))).toEqual([{ status: OutboxStatus.SENT, attempts: 1, n: 20 }]);
  });

  it('stop() lets the message being sent finish and hands the rest of the batch back, unspent', async () => {
    const ids = await enqueue(3);
    const started: Mail[] = [];
    let finish: () => void = () => undefined;
    const slow: Mailer = {
      send: (mail) => {
        started.push(mail);
        return new Promise<void>((resolve) => {
          finish = resolve;
        });
      },
    };
    // The worker's own poll picks the batch up, as in the running app.
    const w = worker(slow, { pollMs: 10, stopTimeoutMs: 30_000 });
    await until(() => started.length === 1, 'the first send');
    const stopping = w.stop();
    finish();
    await stopping;
    expect(started).toHaveLength(1);
    const rows = await Promise.all(ids.map((id) => row(id)));
    const sentIndex = ids.findIndex((id) => started[0]!.messageId.includes(id));
    expect(rows[sentIndex]).toMatchObject({ status: 'SENT', attempts: 1 });
    // The others are due again at once for the next worker, with no attempt counted.
    for (const r of rows.filter((_, i) => i !== sentIndex)) expect(r).toMatchObject({ status: 'PENDING', attempts: 0, locked_until: null });
    const { sent, mailer } = recorder();
    expect(await worker(mailer).runOnce()).toBe(2);
    expect(sent).toHaveLength(2);
  });

  it('stop() does not wait forever on a hung mail server', async () => {
    await enqueue(1);
    let hung = false;
    const w = worker({ send: () => ((hung = true), new Promise<void>(() => undefined)) }, { pollMs: 10, stopTimeoutMs: 200 });
    await until(() => hung, 'the send to hang');
    const before = Date.now();
    await w.stop();
    expect(Date.now() - before).toBeLessThan(5_000);
  });

  it('the default file mailer writes an .eml with the Message-ID header', async () => {
    const em = f.em();
    const msg = enqueueEmail(em, 'test.eml', { to: 'eml@auth.example', subject: 'Hello file', text: 'Plain body' });
    await em.flush();
    const mails = await mailsTo('eml@auth.example');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatch(new RegExp(`^Message-ID: <outbox-${msg.id}@marketplace\\.local>$`, 'mi'));
    expect(mails[0]).toMatch(/^Subject: Hello file$/m);
    expect(mails[0]).toContain('Plain body');
    expect(await row(msg.id)).toMatchObject({ status: 'SENT', attempts: 1 });
  });

  it('sends to exactly the stored address, never re-parsing it as a list', async () => {
    // A row written before addresses were validated strictly: "odd,victim@…" must not become "victim@…".
    const em = f.em();
    enqueueEmail(em, 'test.eml', { to: 'odd,victim@auth.example', subject: 'Odd address', text: 'x' });
    await em.flush();
    const [mail] = (await t.deliverMail()).filter((m) => /^Subject: Odd address$/m.test(m));
    expect(mail).toBeDefined();
    const to = /^To: (.*)$/m.exec(mail!)?.[1];
    expect(to).toBe('<"odd,victim"@auth.example>');
  });
});
