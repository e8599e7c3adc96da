import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { assertIdExists, isId } from '../../shared/db/ids.js';
import { badInput, notFound } from '../../shared/errors/index.js';
import { centsFromDb, money, type Money } from '../../shared/money/index.js';
import { paginate, type Connection, type ConnectionArgs } from '../../shared/pagination/index.js';
import { assertMay, type Viewer } from '../../shared/access/index.js';
import { FINANCE_ACCESS } from './finance.access.js';
import { Seller, getSettings, sellerFilter } from '../sellers/index.js';
import { LedgerAccount, LedgerEntry, LedgerEntryKind, LedgerLine } from './finance.entity.js';

/** Enum members or their string values ('CAPTURE'), whichever the caller has at hand. */
type Literal<E extends string> = E | `${E}`;

export interface JournalLine {
  account: Literal<LedgerAccount>;
  /** Required on SELLER_PAYABLE; elsewhere it attributes the amount to a seller for reports. */
  sellerId?: string | null;
  debit?: number;
  credit?: number;
}

export interface Journal {
  kind: Literal<LedgerEntryKind>;
  /** The event's identity (payment transaction, order, payout…): (kind, reference) is posted once. */
  reference: string;
  cartId?: string;
  cartNumber?: string;
  orderId?: string;
  memo?: string;
  /** ISO 4217; the store currency when left out. */
  currency?: string;
  lines: JournalLine[];
}

export interface CheckedLine {
  account: LedgerAccount;
  sellerId: string | null;
  debit: number;
  credit: number;
}

const ACCOUNTS = new Set<string>(Object.values(LedgerAccount));
const KINDS = new Set<string>(Object.values(LedgerEntryKind));

/**
 * Checks a journal and returns its non-zero lines. Journals are built by code from frozen
 * figures, never typed by a user, so a bad one is a bug: it throws a plain Error (a 500 that
 * rolls the caller's transaction back) rather than a user error.
 */
export function checkJournal(journal: Journal): CheckedLine[] {
  const fail = (why: string): never => {
    throw new Error(`ledger: ${journal.kind} ${journal.reference}: ${why}`);
  };
  if (!KINDS.has(journal.kind)) fail(`unknown entry kind`);
  if (typeof journal.reference !== 'string' || !journal.reference.trim() || journal.reference.length > 200) fail('reference must be 1–200 characters');
  if (journal.cartId != null && !isId(journal.cartId)) fail('cartId is not a UUID');
  if (journal.orderId != null && !isId(journal.orderId)) fail('orderId is not a UUID');
  if (journal.cartNumber != null && (!journal.cartNumber || journal.cartNumber.length > 40)) fail('cartNumber must be 1–40 characters');
  if (journal.currency != null && !/^[A-Z]{3}$/.test(journal.currency)) fail('currency must be an ISO 4217 code');

  let debits = 0;
  let credits = 0;
  const lines: CheckedLine[] = [];
  journal.lines.forEach((l, i) => {
    const debit = l.debit ?? 0;
    const credit = l.credit ?? 0;
    if (!ACCOUNTS.has(l.account)) fail(`line ${i}: unknown account ${l.account}`);
    if (!Number.isSafeInteger(debit) || debit < 0 || !Number.isSafeInteger(credit) || credit < 0) fail(`line ${i}: amounts are non-negative whole centavos`);
    if (debit > 0 && credit > 0) fail(`line ${i}: a line is a debit or a credit, not both`);
    if (l.sellerId != null && !isId(l.sellerId)) fail(`line ${i}: sellerId is not a UUID`);
    if (l.account === LedgerAccount.SELLER_PAYABLE && !l.sellerId) fail(`line ${i}: SELLER_PAYABLE needs a seller`);
    if (debit === 0 && credit === 0) return;
    debits += debit;
    credits += credit;
    lines.push({ account: l.account as LedgerAccount, sellerId: l.sellerId ?? null, debit, credit });
  });
  if (!Number.isSafeInteger(debits) || !Number.isSafeInteger(credits)) fail('totals overflow');
  if (debits !== credits) fail(`unbalanced: debits ${debits} ≠ credits ${credits}`);
  if (debits === 0) fail('nothing to post');
  return lines;
}

/**
 * Validates (non-negative safe integers, one side per line, Σdebit = Σcredit > 0; zero lines dropped) and
 * writes the entry in the caller's transaction (em). Posting the same (kind, reference) again returns the
 * existing entry and writes nothing (idempotent). Throws Error (a bug, not user input) when unbalanced.
 *
 * It flushes the caller's unit of work, so the entry is visible to the queries that follow
 * (cartLedgerSummary) in the same transaction. An advisory lock on (kind, reference) makes a
 * concurrent second posting wait for the first to commit and then find it, instead of failing
 * on the unique index.
 */
export async function postJournal(em: EntityManager, journal: Journal, opts: PostOptions = {}): Promise<LedgerEntry> {
  return (await postJournals(em, [journal], opts))[0]!;
}

export interface PostOptions {
  /**
   * The caller knows none of these references can have been posted yet: each names a row its
   * own transaction creates (a new order), or the caller read that reference's postings under a
   * row lock every poster of it holds (a payment transaction's captures). Then the advisory
   * locks and the look-up are skipped; the unique (kind, reference) index still stands behind it.
   */
  unposted?: boolean;
  /** false: leave the entries in the unit of work for the caller's flush (e.g. flushTogether). */
  flush?: boolean;
}

/**
 * postJournal for several entries at once (a checkout posts one per order): the same checks,
 * idempotence and locks, in a fixed number of statements — the advisory locks in one (taken in
 * key order, so two posters of overlapping sets never deadlock), the existing entries in one,
 * and the new entries and lines in the caller's flush.
 */
export async function postJournals(em: EntityManager, journals: Journal[], opts: PostOptions = {}): Promise<LedgerEntry[]> {
  if (!em.isInTransaction()) throw new Error('ledger: postJournal writes in the caller\'s transaction; call it inside em.transactional');
  if (!journals.length) return [];
  const checked = journals.map((journal) => ({ journal, lines: checkJournal(journal), kind: journal.kind as LedgerEntryKind }));
  const found = new Map<string, LedgerEntry>();
  if (!opts.unposted) {
    const keys = [...new Set(checked.map((c) => `ledger:${c.kind}:${c.journal.reference}`))].sort();
    await em.execute(`select pg_advisory_xact_lock(hashtext(k)) from (select unnest(array[${keys.map(() => '?').join(', ')}]::text[]) as k order by 1) keys`, keys);
    const existing = await em.find(LedgerEntry, { $or: checked.map((c) => ({ kind: c.kind, reference: c.journal.reference })) });
    for (const e of existing) found.set(`${e.kind}:${e.reference}`, e);
  }

  const createdAt = new Date();
  let settingsCurrency: string | undefined;
  const out: LedgerEntry[] = [];
  for (const { journal, lines, kind } of checked) {
    const key = `${kind}:${journal.reference}`;
    const already = found.get(key);
    if (already) {
      out.push(already);
      continue;
    }
    const currency = journal.currency ?? (settingsCurrency ??= (await getSettings(em)).currency);
    const entry = em.create(LedgerEntry, {
      kind,
      reference: journal.reference,
      cartId: journal.cartId ?? null,
      cartNumber: journal.cartNumber ?? null,
      orderId: journal.orderId ?? null,
      memo: journal.memo ?? null,
      createdAt,
    });
    lines.forEach((l, position) =>
      em.create(LedgerLine, {
        entry,
        position,
        account: l.account,
        seller: l.sellerId ? em.getReference(Seller, l.sellerId) : null,
        debit: l.debit,
        credit: l.credit,
        currency,
        createdAt,
      }),
    );
    // The same journal twice in one call is written once, like two calls of postJournal.
    found.set(key, entry);
    out.push(entry);
  }
  if (opts.flush !== false) await em.flush();
  return out;
}

export interface LedgerBalance {
  account: LedgerAccount;
  sellerId: string | null;
  debit: number;
  credit: number;
}

const ACCOUNT_ORDER = Object.values(LedgerAccount);

/**
 * Totals of every entry posted for a cart, per account and seller (accounts in chart order,
 * then seller id). `debits` always equals `credits`; checks like "credits to sellers,
 * commission and freight equal the captured amount" read `byAccount`.
 */
export async function cartLedgerSummary(em: EntityManager, cartId: string): Promise<{ debits: number; credits: number; byAccount: LedgerBalance[] }> {
  if (!isId(cartId)) throw new Error(`ledger: cart id ${cartId} is not a UUID`);
  const rows: { account: LedgerAccount; seller_id: string | null; debit: string; credit: string }[] = await em.execute(
    `select l.account, l.seller_id, coalesce(sum(l.debit), 0)::text as debit, coalesce(sum(l.credit), 0)::text as credit
       from ledger_line l join ledger_entry e on e.id = l.entry_id
      where e.cart_id = ?
      group by l.account, l.seller_id`,
    [cartId],
  );
  const byAccount = rows
    .map((r) => ({ account: r.account, sellerId: r.seller_id, debit: centsFromDb(r.debit), credit: centsFromDb(r.credit) }))
    .sort((a, b) => ACCOUNT_ORDER.indexOf(a.account) - ACCOUNT_ORDER.indexOf(b.account) || (a.sellerId ?? '').localeCompare(b.sellerId ?? ''));
  return {
    debits: byAccount.reduce((s, r) => s + r.debit, 0),
    credits: byAccount.reduce((s, r) => s + r.credit, 0),
    byAccount,
  };
}

// ---------------------------------------------------------------------------------------
// Reading the ledger

function assertLedgerReader(viewer: Viewer): void {
  assertMay(viewer, FINANCE_ACCESS.readLedger);
}

export interface LedgerEntryFilter {
  cartNumber?: string | null;
  orderId?: string | null;
  sellerId?: string | null;
  kind?: LedgerEntryKind | null;
}

/**
 * An orderId filter names an order, or it is NOT_FOUND (shared/db/ids). Orders live above this
 * module, but every order has its checkout entry from the moment it exists (same transaction),
 * so "no entry names it" is "no order has it". Another seller's order exists: its filter is
 * simply empty for this seller's statement.
 */
async function assertOrderBooked(em: EntityManager, orderId: string): Promise<void> {
  const booked = isId(orderId) && (await em.createQueryBuilder(LedgerEntry).select('id').where({ orderId }).limit(1).execute('get'));
  if (!booked) throw notFound('No order has this id.', 'orderId');
}

/** Journal entries in posting order; `sellerId` keeps those with a line for that seller. */
export async function listLedgerEntries(ctx: Context, filter: LedgerEntryFilter, args: ConnectionArgs) {
  assertLedgerReader(ctx.viewer);
  if (filter.orderId) await assertOrderBooked(ctx.em, filter.orderId);
  if (filter.sellerId) await assertIdExists(ctx.em, Seller, filter.sellerId, ['sellerId'], 'seller');
  const where: FilterQuery<LedgerEntry> = {};
  if (filter.cartNumber) where.cartNumber = filter.cartNumber;
  if (filter.orderId) where.orderId = filter.orderId;
  if (filter.kind) where.kind = filter.kind;
  if (filter.sellerId) where.lines = { $some: { seller: filter.sellerId } };
  return paginate(ctx.em, LedgerEntry, where, args, { createdAt: 'asc' });
}

/**
 * A line of a seller's statement. A separate shape from LedgerLine on purpose: a seller sees
 * its own SELLER_PAYABLE movements and the order they belong to, never the entry's other
 * lines (other sellers' shares, the operator's commission and freight) nor its memo.
 */
export interface SellerLedgerItem {
  id: string;
  sellerId: string;
  kind: LedgerEntryKind;
  cartNumber: string | null;
  orderId: string | null;
  debit: Money;
  credit: Money;
  createdAt: Date;
}

export interface SellerLedgerFilter {
  sellerId?: string | null;
  kind?: LedgerEntryKind | null;
  cartNumber?: string | null;
  orderId?: string | null;
}

/** The seller scope of a statement: the viewer's own seller, or the one operator staff name. */
async function statementSeller(ctx: Context, requested: string | null | undefined): Promise<string> {
  // The scope comes first: a seller user naming any other id, well-formed or not, is FORBIDDEN.
  const sellerId = sellerFilter(ctx.viewer, requested);
  if (!sellerId) throw badInput('Name the seller whose statement to show.', 'sellerId');
  if (ctx.viewer.kind === 'OPERATOR' && (!isId(sellerId) || !(await ctx.em.count(Seller, { id: sellerId })))) {
    throw notFound('No seller has this id.', 'sellerId');
  }
  return sellerId;
}

/** A seller's receivable movements (credits: sales; debits: cancellations, refunds, payouts), oldest first. */
export async function sellerLedger(ctx: Context, filter: SellerLedgerFilter, args: ConnectionArgs): Promise<Connection<SellerLedgerItem>> {
  const sellerId = await statementSeller(ctx, filter.sellerId);
  if (filter.orderId) await assertOrderBooked(ctx.em, filter.orderId);
  const entry: FilterQuery<LedgerEntry> = {};
  if (filter.kind) entry.kind = filter.kind;
  if (filter.cartNumber) entry.cartNumber = filter.cartNumber;
  if (filter.orderId) entry.orderId = filter.orderId;
  const where: FilterQuery<LedgerLine> = { seller: sellerId, account: LedgerAccount.SELLER_PAYABLE, ...(Object.keys(entry).length ? { entry } : {}) };
  const page = await paginate(ctx.em, LedgerLine, where, args, { createdAt: 'asc' });
  await ctx.em.populate(
    page.edges.map((e) => e.node),
    ['entry'],
  );
  return {
    edges: page.edges.map(({ cursor, node }) => {
      const e = node.entry.getEntity();
      return {
        cursor,
        node: {
          id: node.id,
          sellerId,
          kind: e.kind,
          cartNumber: e.cartNumber ?? null,
          orderId: e.orderId ?? null,
          debit: money(node.debit, node.currency),
          credit: money(node.credit, node.currency),
          createdAt: node.createdAt,
        },
      };
    }),
    pageInfo: page.pageInfo,
    get totalCount() {
      return page.totalCount;
    },
  };
}

/**
 * What the store owes a seller now by the books: credits minus debits on its SELLER_PAYABLE
 * account (sales, cancellations, returns, chargebacks, adjustments and payouts alike). The
 * payouts module shows it split by receivable state (sellerBalance).
 */
export async function sellerPayableBalance(em: EntityManager, sellerId: string): Promise<number> {
  const [row] = await em.execute<{ balance: string }[]>(
    `select coalesce(sum(credit) - sum(debit), 0)::text as balance from ledger_line where seller_id = ? and account = ?`,
    [sellerId, LedgerAccount.SELLER_PAYABLE],
  );
  // sum(bigint) is numeric: read it exactly (a balance past R$ 21 million is ordinary).
  return centsFromDb(row?.balance ?? '0');
}
