import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { Factory } from './helpers/factories.js';
import { PortalInviteUserDocument, PortalSellerLogoDocument, PortalSetLogoDocument, PortalUpdateSellerUserDocument, PortalUpdateSettingsDocument, PortalViewerDocument } from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

let t: TestApp;
let f: Factory;
let sellerA: Seller;
let sellerB: Seller;

// The smallest files each kind of magic number accepts.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PDF = Buffer.from('%PDF-1.4\n%\u00e2\u00e3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

async function upload(bytes: Buffer, purpose: string, token?: string) {
  const res = await fetch(`${t.url.replace(/\/graphql$/, '')}/files?purpose=${purpose}&name=logo.png`, {
    method: 'POST',
    headers: { 'content-type': 'image/png', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: bytes,
  });
  return { status: res.status, body: (await res.json()) as { id?: string; url?: string; contentType?: string; error?: string } };
}

beforeAll(async () => {
  t = await startTestApp();
  f = new Factory(t);
  await f.setMarketplace(true);
  sellerA = await f.seller();
  sellerB = await f.seller();
});

afterAll(async () => {
  await t?.stop();
});

describe('user management by the seller OWNER', () => {
  it('changes a role, deactivates a user (refused on its next request) and reactivates it', async () => {
    const owner = await f.user({ seller: sellerA, role: UserRole.OWNER });
    const clerk = await f.user({ seller: sellerA, role: UserRole.CATALOG });
    expect((await t.request(PortalViewerDocument, {}, clerk.token)).data?.viewer.user?.id).toBe(clerk.user.id);

    const promoted = await t.request(PortalUpdateSellerUserDocument, { input: { userId: clerk.user.id, role: 'SERVICE' } }, owner.token);
    expect(promoted.data?.updateSellerUser).toEqual({ user: { id: clerk.user.id, role: 'SERVICE', active: true }, userErrors: [] });

    const off = await t.request(PortalUpdateSellerUserDocument, { input: { userId: clerk.user.id, active: false } }, owner.token);
    expect(off.data?.updateSellerUser.user).toEqual({ id: clerk.user.id, role: 'SERVICE', active: false });
    // The very next request with the old token is refused: its sessions ended at once.
    const next = await t.request(PortalViewerDocument, {}, clerk.token);
    expect(codes(next)).toEqual(['UNAUTHENTICATED']);
    const [row] = await f.em().execute<{ open: string }[]>(`select count(*)::text as open from user_session where user_id = ? and revoked_at is null`, [clerk.user.id]);
    expect(row!.open).toBe('0');

    const on = await t.request(PortalUpdateSellerUserDocument, { input: { userId: clerk.user.id, active: true } }, owner.token);
    expect(on.data?.updateSellerUser.user?.active).toBe(true);
    // Ended sessions stay ended: the user signs in again.
    expect(codes(await t.request(PortalViewerDocument, {}, clerk.token))).toEqual(['UNAUTHENTICATED']);
  });

  it('keeps the last active OWNER: neither demoted nor deactivated, until another owner exists', async () => {
    const seller = await f.seller();
    const owner = await f.user({ seller, role: UserRole.OWNER });
    const demote = await t.request(PortalUpdateSellerUserDocument, { input: { userId: owner.user.id, role: 'FINANCE' } }, owner.token);
    expect(demote.data?.updateSellerUser.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['input', 'role']]]);
    const deactivate = await t.request(PortalUpdateSellerUserDocument, { input: { userId: owner.user.id, active: false } }, owner.token);
    expect(deactivate.data?.updateSellerUser.userErrors.map((e) => [e.code, e.field])).toEqual([['CONFLICT', ['input', 'active']]]);
    // Operator staff cannot remove it either: the rule is the seller's, not the caller's.
    const staff = await f.operator(UserRole.ADMIN);
    expect((await t.request(PortalUpdateSellerUserDocument, { input: { userId: owner.user.id, active: false } }, staff.token)).data?.updateSellerUser.userErrors[0]?.code).toBe('CONFLICT');

    const invited = await t.request(PortalInviteUserDocument, { input: { sellerId: seller.id, email: `second-${seller.id}@test.example`, name: 'Second owner', role: 'OWNER' } }, owner.token);
    expect(invited.data?.createSellerUser.userErrors).toEqual([]);
    const ok = await t.request(PortalUpdateSellerUserDocument, { input: { userId: owner.user.id, role: 'FINANCE' } }, owner.token);
    expect(ok.data?.updateSellerUser.user?.role).toBe('FINANCE');
  });

  it('is refused to other roles, to other sellers and with roles of the operator', async () => {
    const owner = await f.user({ seller: sellerA, role: UserRole.OWNER });
    const service = await f.user({ seller: sellerA, role: UserRole.SERVICE });
    const bOwner = await f.user({ seller: sellerB, role: UserRole.OWNER });
    const target = await f.user({ seller: sellerA, role: UserRole.CATALOG });
    expect(codes(await t.request(PortalUpdateSellerUserDocument, { input: { userId: target.user.id, active: false } }, service.token))).toEqual(['FORBIDDEN']);
    // Another seller's user reads as missing.
    const other = await t.request(PortalUpdateSellerUserDocument, { input: { userId: target.user.id, active: false } }, bOwner.token);
    expect(other.data?.updateSellerUser.userErrors.map((e) => e.code)).toEqual(['NOT_FOUND']);
    const bad = await t.request(PortalUpdateSellerUserDocument, { input: { userId: target.user.id, role: 'ADMIN' } }, owner.token);
    expect(bad.data?.updateSellerUser.userErrors.map((e) => [e.code, e.field])).toEqual([['BAD_USER_INPUT', ['input', 'role']]]);
    expect((await t.request(PortalUpdateSellerUserDocument, { input: { userId: 'nope', active: false } }, owner.token)).data?.updateSellerUser.userErrors[0]?.code).toBe('NOT_FOUND');
  });
});

describe('seller settings', () => {
  it('the owner sets its handling time and notification e-mail; bad values are userErrors', async () => {
    const owner = await f.user({ seller: sellerA, role: UserRole.OWNER });
    const res = await t.request(PortalUpdateSettingsDocument, { id: sellerA.id, input: { handlingDays: 3, notificationEmail: 'SAC@Alfa.example' } }, owner.token);
    expect(res.data?.updateSeller).toEqual({ seller: { id: sellerA.id, handlingDays: 3, notificationEmail: 'sac@alfa.example', logoUrl: null }, userErrors: [] });
    const bad = await t.request(PortalUpdateSettingsDocument, { id: sellerA.id, input: { handlingDays: 31, notificationEmail: 'not-an-email' } }, owner.token);
    expect(bad.data?.updateSeller.userErrors.map((e) => e.field)).toEqual([['input', 'notificationEmail'], ['input', 'handlingDays']]);
  });
});

describe('logo upload', () => {
  it('takes a PNG by its bytes, serves it at a stable URL with cache headers', async () => {
    const owner = await f.user({ seller: sellerA, role: UserRole.OWNER });
    const up = await upload(PNG, 'LOGO', owner.token);
    expect(up.status).toBe(201);
    expect(up.body.contentType).toBe('image/png');
    const set = await t.request(PortalSetLogoDocument, { sellerId: sellerA.id, fileId: up.body.id! }, owner.token);
    expect(set.data?.setSellerLogo.userErrors).toEqual([]);
    const url = set.data!.setSellerLogo.seller!.logoUrl!;
    expect(url).toBe(up.body.url);
    // Anyone reads it (the storefront shows it), from the URL the API gave.
    const publicView = await t.request(PortalSellerLogoDocument, { id: sellerA.id });
    expect(publicView.data?.seller?.logoUrl).toBe(url);
    const got = await fetch(`${t.url.replace(/\/graphql$/, '')}${new URL(url).pathname}`);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(got.headers.get('etag')).toMatch(/^"[0-9a-f]{64}"$/);
    expect(Buffer.from(await got.arrayBuffer()).equals(PNG)).toBe(true);
  });

  it('refuses a file that is not an image, whatever it is called, and one over 1 MB', async () => {
    const owner = await f.user({ seller: sellerA, role: UserRole.OWNER });
    const text = await upload(Buffer.from('just text pretending to be a logo'), 'LOGO', owner.token);
    expect(text.status).toBe(415);
    expect(text.body.error).toMatch(/PNG, JPEG or WebP/);
    const pdf = await upload(PDF, 'LOGO', owner.token);
    expect(pdf.status).toBe(415);
    const big = await upload(Buffer.concat([PNG, Buffer.alloc(1024 * 1024)]), 'LOGO', owner.token);
    expect(big.status).toBe(413);
    const [row] = await f.em().execute<{ n: string }[]>(`select count(*)::text as n from stored_file where uploaded_by_id = ?`, [owner.user.id]);
    expect(row!.n).toBe('0');
  });

  it('needs a signed-in seller user; an attachment or another user\'s file is not a logo', async () => {
    expect((await upload(PNG, 'LOGO')).status).toBe(401);
    const customer = await f.customer();
    expect((await upload(PNG, 'LOGO', customer.token)).status).toBe(403);
    const owner = await f.user({ seller: sellerA, role: UserRole.OWNER });
    const bOwner = await f.user({ seller: sellerB, role: UserRole.OWNER });
    const attachment = await upload(PNG, 'ATTACHMENT', owner.token);
    expect((await t.request(PortalSetLogoDocument, { sellerId: sellerA.id, fileId: attachment.body.id! }, owner.token)).data?.setSellerLogo.userErrors[0]?.code).toBe('BAD_USER_INPUT');
    const theirs = await upload(PNG, 'LOGO', bOwner.token);
    expect((await t.request(PortalSetLogoDocument, { sellerId: sellerA.id, fileId: theirs.body.id! }, owner.token)).data?.setSellerLogo.userErrors[0]?.code).toBe('NOT_FOUND');
    expect(codes(await t.request(PortalSetLogoDocument, { sellerId: sellerA.id, fileId: theirs.body.id! }, bOwner.token))).toEqual(['FORBIDDEN']);
  });
});
