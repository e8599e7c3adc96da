import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, codes, type TestApp } from './helpers/app.js';
import { CatalogFactory, Factory } from './helpers/factories.js';
import { seedOrder } from './helpers/portal-orders.js';
import {
  PortalAddTicketMessageDocument,
  PortalCloseTicketDocument,
  PortalDashboardDocument,
  PortalOpenTicketDocument,
  PortalTicketDocument,
  PortalTicketsDocument,
  PortalUpdateServiceCalendarDocument,
} from './generated/graphql.js';
import { UserRole } from '../src/shared/access/index.js';
import { Services } from '../src/shared/runtime/index.js';
import { CLOCK } from '../src/shared/time/index.js';
import type { Seller } from '../src/modules/sellers/sellers.entity.js';

let t: TestApp;
let f: Factory;
let sellerA: Seller;
let sellerB: Seller;
let skuA: string;
let skuB: string;

/** The app's clock, set by each test: deadlines and overdue flags are read at these instants. */
const clock = { at: new Date('2026-12-04T19:00:00Z'), now() { return this.at; } };
const at = (iso: string) => (clock.at = new Date(iso));
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const base = () => t.url.replace(/\/graphql$/, '');

async function upload(bytes: Buffer, token: string) {
  const res = await fetch(`${base()}/files?purpose=ATTACHMENT&name=foto.png`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: bytes });
  return (await res.json()) as { id: string; url: string };
}

beforeAll(async () => {
  t = await startTestApp({}, { overrides: new Services().set(CLOCK, clock) });
  f = new Factory(t);
  const c = new CatalogFactory(f);
  await f.setMarketplace(true);
  sellerA = await f.seller();
  sellerB = await f.seller();
  const pa = await c.product(sellerA);
  const pb = await c.product(sellerB);
  skuA = (await f.em().execute<{ id: string }[]>(`select id from sku where product_id = ?`, [pa.id]))[0]!.id;
  skuB = (await f.em().execute<{ id: string }[]>(`select id from sku where product_id = ?`, [pb.id]))[0]!.id;
  await f.em().execute(`update seller set notification_email = ? where id = ?`, ['sac-a@alfa.example', sellerA.id]);
});

afterAll(async () => {
  await t?.stop();
});

describe('customer tickets (SAC)', () => {
  it('deadlines count business hours across a weekend; overdue flips at the deadline', async () => {
    const customer = await f.customer();
    const order = await seedOrder(f, { sellerId: sellerA.id, skuId: skuA, placedAt: new Date('2026-12-01T15:00:00Z'), customerId: customer.user.id, buyerDocument: '52998224725', postalCode: '01310100' });
    // Friday 2026-12-04 16:00 in São Paulo (19:00 UTC); the desk works Monday–Friday 09:00–18:00; 16 business hours:
    // 2 h on Friday, 9 h on Monday, 5 h on Tuesday → Tuesday 14:00 São Paulo (17:00 UTC).
    at('2026-12-04T19:00:00Z');
    const opened = await t.request(PortalOpenTicketDocument, { input: { kind: 'CUSTOMER', reason: 'DELIVERY', subject: 'Onde está meu pedido?', message: 'Ainda não chegou.', orderCode: order.code } }, customer.token);
    expect(opened.data?.openTicket.userErrors).toEqual([]);
    const ticket = opened.data!.openTicket.ticket!;
    expect(ticket.protocol).toMatch(/^20261204\d{6}$/);
    expect(ticket.responseDueAt).toBe('2026-12-08T17:00:00.000Z');
    expect(ticket.seller?.id).toBe(sellerA.id);
    expect(ticket.status).toBe('OPEN');
    expect(ticket.overdue).toBe(false);

    const seller = await f.user({ seller: sellerA, role: UserRole.SERVICE });
    at('2026-12-08T16:59:59Z');
    expect((await t.request(PortalTicketDocument, { id: ticket.id }, seller.token)).data?.ticket?.overdue).toBe(false);
    expect((await t.request(PortalTicketsDocument, { filter: { kind: 'CUSTOMER', overdue: true } }, seller.token)).data?.tickets.edges).toEqual([]);
    at('2026-12-08T17:00:01Z');
    expect((await t.request(PortalTicketDocument, { id: ticket.id }, seller.token)).data?.ticket?.overdue).toBe(true);
    const overdue = await t.request(PortalTicketsDocument, { filter: { kind: 'CUSTOMER', overdue: true } }, seller.token);
    expect(overdue.data?.tickets.edges.map((e) => e.node.id)).toEqual([ticket.id]);
    const dash = await t.request(PortalDashboardDocument, { from: '2026-12-01', to: '2026-12-08' }, (await f.user({ seller: sellerA, role: UserRole.OWNER })).token);
    expect(dash.data?.sellerDashboard.tickets).toEqual({ open: 1, overdue: 1 });

    // The seller answers one second late: ANSWERED, the deadline cleared, and the lateness kept for its reputation.
    const answer = await t.request(PortalAddTicketMessageDocument, { input: { ticketId: ticket.id, body: 'Está com a transportadora.' } }, seller.token);
    expect(answer.data?.addTicketMessage.userErrors).toEqual([]);
    expect(answer.data?.addTicketMessage.ticket).toMatchObject({ status: 'ANSWERED', responseDueAt: null, overdue: false, firstResponseAt: '2026-12-08T17:00:01.000Z' });
    expect(answer.data?.addTicketMessage.ticket?.messages.map((m) => [m.side, m.authorKind])).toEqual([['REQUESTER', 'CUSTOMER'], ['SERVICE', 'SELLER']]);
    const rep = await t.request(PortalDashboardDocument, { from: '2026-12-01', to: '2026-12-08' }, seller.token);
    expect(rep.data?.sellerDashboard.reputation).toMatchObject({ ticketAnswers: 1, ticketAnswersOnTime: 0 });

    // The customer writes again on Tuesday 17:30 São Paulo: 30 min that day, 9 h Wednesday, 6.5 h Thursday → Thursday 15:30.
    at('2026-12-08T20:30:00Z');
    const again = await t.request(PortalAddTicketMessageDocument, { input: { ticketId: ticket.id, body: 'Ainda nada.' } }, customer.token);
    expect(again.data?.addTicketMessage.ticket).toMatchObject({ status: 'OPEN', responseDueAt: '2026-12-10T18:30:00.000Z' });

    // Search by protocol, order code, buyer document and delivery postal code, with or without masks.
    for (const filter of [{ protocol: ticket.protocol }, { orderCode: order.code.toLowerCase() }, { buyerDocument: '529.982.247-25' }, { postalCode: '01310-100' }]) {
      const found = await t.request(PortalTicketsDocument, { filter: { kind: 'CUSTOMER', ...filter } }, seller.token);
      expect(found.data?.tickets.edges.map((e) => e.node.id), JSON.stringify(filter)).toEqual([ticket.id]);
    }
    expect((await t.request(PortalTicketsDocument, { filter: { kind: 'CUSTOMER', postalCode: '99999999' } }, seller.token)).data?.tickets.edges).toEqual([]);

    // Every change wrote a domain event, and each one e-mailed the other side.
    const events = await f.em().execute<{ type: string; seller_id: string; aggregate_code: string }[]>(`select type, seller_id, aggregate_code from domain_event where aggregate_id = ? order by position`, [ticket.id]);
    expect(events.map((e) => e.type)).toEqual(['ticket.opened', 'ticket.message_added', 'ticket.message_added']);
    expect(new Set(events.map((e) => `${e.seller_id}:${e.aggregate_code}`))).toEqual(new Set([`${sellerA.id}:${ticket.protocol}`]));
    const mail = (await t.deliverMail()).filter((m) => m.includes(ticket.protocol));
    const to = (m: string) => /^To: (.*)$/m.exec(m)?.[1]?.trim();
    expect(mail.map(to).sort()).toEqual(['sac-a@alfa.example', 'sac-a@alfa.example', customer.user.email].sort());
  });

  it('a holiday in the service calendar moves the deadline', async () => {
    const staff = await f.operator(UserRole.ADMIN);
    const set = await t.request(PortalUpdateServiceCalendarDocument, { input: { holidays: ['2026-12-07'], responseBusinessHours: 4 } }, staff.token);
    expect(set.data?.updateServiceCalendar.serviceCalendar).toEqual({ weekdays: [1, 2, 3, 4, 5], opensAt: '09:00', closesAt: '18:00', holidays: ['2026-12-07'], responseBusinessHours: 4 });
    const customer = await f.customer();
    // Friday 17:00 São Paulo: 1 h Friday, Monday is a holiday, 3 h Tuesday → Tuesday 12:00 (15:00 UTC).
    at('2026-12-04T20:00:00Z');
    const opened = await t.request(PortalOpenTicketDocument, { input: { kind: 'CUSTOMER', reason: 'OTHER', subject: 'Dúvida', message: 'Vocês vendem vale-presente?' } }, customer.token);
    expect(opened.data?.openTicket.ticket?.responseDueAt).toBe('2026-12-08T15:00:00.000Z');
    expect(opened.data?.openTicket.ticket?.seller).toBeNull();
    const bad = await t.request(PortalUpdateServiceCalendarDocument, { input: { opensAt: '19:00', holidays: ['2026-02-30'] } }, staff.token);
    expect(bad.data?.updateServiceCalendar.userErrors.map((e) => e.field)).toEqual([['input', 'holidays']]);
    const seller = await f.user({ seller: sellerA, role: UserRole.OWNER });
    expect(codes(await t.request(PortalUpdateServiceCalendarDocument, { input: { responseBusinessHours: 8 } }, seller.token))).toEqual(['FORBIDDEN']);
    await t.request(PortalUpdateServiceCalendarDocument, { input: { holidays: [], responseBusinessHours: 16 } }, staff.token);
  });

  it("seller B cannot read A's tickets or their attachments; customers see only their own", async () => {
    at('2026-12-09T13:00:00Z');
    const customer = await f.customer();
    const order = await seedOrder(f, { sellerId: sellerA.id, skuId: skuA, placedAt: new Date('2026-12-02T15:00:00Z'), customerId: customer.user.id });
    const photo = await upload(PNG, customer.token);
    const opened = await t.request(PortalOpenTicketDocument, { input: { kind: 'CUSTOMER', reason: 'PRODUCT', subject: 'Chegou quebrado', message: 'Veja a foto.', orderCode: order.code, attachmentIds: [photo.id] } }, customer.token);
    expect(opened.data?.openTicket.userErrors).toEqual([]);
    const ticket = opened.data!.openTicket.ticket!;
    const [attachment] = ticket.messages[0]!.attachments;
    expect(attachment).toMatchObject({ id: photo.id, contentType: 'image/png', size: PNG.length, fileName: 'foto.png' });

    const aService = await f.user({ seller: sellerA, role: UserRole.SERVICE });
    const aCatalog = await f.user({ seller: sellerA, role: UserRole.CATALOG });
    const bOwner = await f.user({ seller: sellerB, role: UserRole.OWNER });
    const stranger = await f.customer();
    const get = (token?: string) => fetch(`${base()}${new URL(attachment!.url).pathname}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

    expect((await t.request(PortalTicketDocument, { id: ticket.id }, aService.token)).data?.ticket?.id).toBe(ticket.id);
    const aGot = await get(aService.token);
    expect(aGot.status).toBe(200);
    expect(aGot.headers.get('cache-control')).toBe('private, max-age=300');
    expect(Buffer.from(await aGot.arrayBuffer()).equals(PNG)).toBe(true);
    expect((await get(customer.token)).status).toBe(200);

    expect((await t.request(PortalTicketDocument, { id: ticket.id }, bOwner.token)).data?.ticket).toBeNull();
    expect((await t.request(PortalTicketsDocument, { filter: { kind: 'CUSTOMER' } }, bOwner.token)).data?.tickets.edges.map((e) => e.node.id)).not.toContain(ticket.id);
    expect((await t.request(PortalTicketsDocument, { filter: { kind: 'CUSTOMER', sellerId: sellerA.id } }, bOwner.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await get(bOwner.token)).status).toBe(404);
    expect((await get(stranger.token)).status).toBe(404);
    expect((await get()).status).toBe(401);
    expect((await t.request(PortalTicketDocument, { id: ticket.id }, stranger.token)).data?.ticket).toBeNull();
    // A seller's catalog user does not do customer service.
    expect(codes(await t.request(PortalTicketsDocument, { filter: { kind: 'CUSTOMER' } }, aCatalog.token))).toEqual(['FORBIDDEN']);
    // B cannot answer it either, and cannot attach A's customer's file to anything.
    expect((await t.request(PortalAddTicketMessageDocument, { input: { ticketId: ticket.id, body: 'oi' } }, bOwner.token)).data?.addTicketMessage.userErrors[0]?.code).toBe('NOT_FOUND');
    const other = await t.request(PortalOpenTicketDocument, { input: { kind: 'SUPPORT', reason: 'OTHER', subject: 'x', message: 'y', attachmentIds: [photo.id] } }, bOwner.token);
    expect(other.data?.openTicket.userErrors[0]?.code).toBe('NOT_FOUND');
    // A customer cannot open a ticket about someone else's order.
    const foreign = await seedOrder(f, { sellerId: sellerB.id, skuId: skuB, placedAt: new Date('2026-12-02T15:00:00Z') });
    expect((await t.request(PortalOpenTicketDocument, { input: { kind: 'CUSTOMER', reason: 'OTHER', subject: 'x', message: 'y', orderCode: foreign.code } }, customer.token)).data?.openTicket.userErrors[0]?.code).toBe('NOT_FOUND');
  });
});

describe('support tickets (seller → operator)', () => {
  it('a seller asks, operator staff answer, the seller closes; customers and other sellers see none of it', async () => {
    at('2026-12-09T13:00:00Z');
    const aFinance = await f.user({ seller: sellerA, role: UserRole.FINANCE });
    const opened = await t.request(PortalOpenTicketDocument, { input: { kind: 'SUPPORT', reason: 'PAYOUT', subject: 'Repasse', message: 'Quando cai o repasse?' } }, aFinance.token);
    expect(opened.data?.openTicket.userErrors).toEqual([]);
    const ticket = opened.data!.openTicket.ticket!;
    expect(ticket).toMatchObject({ kind: 'SUPPORT', status: 'OPEN', responseDueAt: '2026-12-10T20:00:00.000Z' });
    const staff = await f.operator(UserRole.SUPPORT);
    const answered = await t.request(PortalAddTicketMessageDocument, { input: { ticketId: ticket.id, body: 'Na quarta-feira.' } }, staff.token);
    expect(answered.data?.addTicketMessage.ticket?.status).toBe('ANSWERED');
    const closed = await t.request(PortalCloseTicketDocument, { ticketId: ticket.id }, aFinance.token);
    expect(closed.data?.closeTicket.ticket?.status).toBe('CLOSED');
    const bOwner = await f.user({ seller: sellerB, role: UserRole.OWNER });
    expect((await t.request(PortalTicketsDocument, { filter: { kind: 'SUPPORT' } }, bOwner.token)).data?.tickets.edges).toEqual([]);
    expect((await t.request(PortalTicketsDocument, { filter: { kind: 'SUPPORT' } }, staff.token)).data?.tickets.edges.map((e) => e.node.id)).toContain(ticket.id);
    const customer = await f.customer();
    expect(codes(await t.request(PortalTicketsDocument, { filter: { kind: 'SUPPORT' } }, customer.token))).toEqual(['FORBIDDEN']);
    expect(codes(await t.request(PortalOpenTicketDocument, { input: { kind: 'SUPPORT', reason: 'OTHER', subject: 'x', message: 'y' } }, customer.token))).toEqual(['FORBIDDEN']);
    // A requester's message reopens a closed ticket with a new deadline.
    const reopened = await t.request(PortalAddTicketMessageDocument, { input: { ticketId: ticket.id, body: 'Não caiu.' } }, aFinance.token);
    expect(reopened.data?.addTicketMessage.ticket).toMatchObject({ status: 'OPEN', closedAt: null });
  });
});
