import { Arg, Args, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { money } from '../../shared/money/index.js';
import { ConnectionArgs, connectionFromArray } from '../../shared/pagination/index.js';
import { payoutCalendar, type PayoutCalendarView } from './calendar.service.js';
import { sellerStatement, statementCsv, type Statement } from './statements.service.js';
import { PayoutCalendarType, PayoutForecastType, SellerStatementType, StatementMovementConnection, StatementTotalType } from './statements.types.js';

interface StatementRoot extends SellerStatementType {
  statement: Statement;
}

interface CalendarRoot extends PayoutCalendarType {
  view: PayoutCalendarView;
}

@Resolver(() => SellerStatementType)
export class StatementResolver {
  @Query(() => SellerStatementType, {
    description: "A seller's statement for the days from–to (store time zone, at most 366 days): sellers read their own, operator staff name the seller.",
  })
  async sellerStatement(
    @Arg('from', () => String, { description: 'First day, YYYY-MM-DD.' }) from: string,
    @Arg('to', () => String, { description: 'Last day, YYYY-MM-DD, included.' }) to: string,
    @Arg('sellerId', () => ID, { nullable: true, description: 'Operator staff name the seller; sellers get their own (another id is FORBIDDEN).' }) sellerId: string | undefined,
    @Ctx() ctx: Context,
  ): Promise<StatementRoot> {
    const s = await sellerStatement(ctx, sellerId, from, to);
    const m = (n: number) => money(n, s.currency);
    return { statement: s, sellerId: s.sellerId, from: s.from, to: s.to, timeZone: s.timeZone, openingBalance: m(s.opening), closingBalance: m(s.closing), credits: m(s.credits), debits: m(s.debits) };
  }

  @FieldResolver(() => StatementMovementConnection, { description: 'The movements, oldest first, each with the balance after it.' })
  movements(@Root() root: StatementRoot, @Args(() => ConnectionArgs) args: ConnectionArgs) {
    const cur = root.statement.currency;
    return connectionFromArray(
      root.statement.movements.map((mv) => ({ ...mv, amount: money(mv.amount, cur), balance: money(mv.balance, cur) })),
      args,
    );
  }

  @FieldResolver(() => [StatementTotalType], { description: 'The sum of each type of movement in the period (one row per type present).' })
  totals(@Root() root: StatementRoot) {
    const totals = new Map<string, { type: StatementTotalType['type']; count: number; amount: number }>();
    for (const mv of root.statement.movements) {
      const t = totals.get(mv.type) ?? { type: mv.type, count: 0, amount: 0 };
      t.count += 1;
      t.amount += mv.amount;
      totals.set(mv.type, t);
    }
    return [...totals.values()].map((t) => ({ ...t, amount: money(t.amount, root.statement.currency) }));
  }

  @FieldResolver(() => String, {
    description:
      'The statement as CSV (RFC 4180, comma, CRLF), one row per movement, columns: date (YYYY-MM-DD, store time zone), time (HH:MM:SS), type (StatementMovementType), order_code, cart_number, description, amount (reais, point decimal, signed), balance (reais, after the movement).',
  })
  csv(@Root() root: StatementRoot) {
    return statementCsv(root.statement);
  }
}

@Resolver(() => PayoutCalendarType)
export class PayoutCalendarResolver {
  @Query(() => PayoutCalendarType, { description: "A seller's next payout dates with the amounts expected. Sellers read their own; operator staff name the seller." })
  async payoutCalendar(
    @Arg('sellerId', () => ID, { nullable: true, description: 'Operator staff name the seller; sellers get their own.' }) sellerId: string | undefined,
    @Arg('count', () => Int, { nullable: true, description: 'How many dates, 1 to 12 (default 4).' }) count: number | undefined,
    @Ctx() ctx: Context,
  ): Promise<CalendarRoot> {
    const view = await payoutCalendar(ctx, sellerId, count);
    return { view, sellerId: view.sellerId, frequency: view.frequency, today: view.today, undated: money(view.undated, view.currency) };
  }

  @FieldResolver(() => [PayoutForecastType], { description: 'The next payout dates (at most 12), soonest first.' })
  dates(@Root() root: CalendarRoot) {
    const m = (n: number) => money(n, root.view.currency);
    return root.view.forecasts.map((f) => ({ periodEnd: f.periodEnd, credits: m(f.credits), debits: m(f.debits), carriedIn: m(f.carriedIn), expected: m(f.expected) }));
  }
}
