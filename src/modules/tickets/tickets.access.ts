import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN, SERVICE } = UserRole;

/**
 * Who may do what with tickets: read by tickets.rules.ts and the services. Whose tickets
 * (a seller's own orders', a customer's own) is the service's scope (ticketScope).
 */
export const TICKETS_ACCESS = {
  /** Customer tickets: the customer (its own), the order's seller OWNER/SERVICE users, operator staff. */
  customerTickets: { operator: 'ALL', seller: [OWNER, SERVICE], customer: true, write: true },
  /** Support tickets: every user of the asking seller, and operator staff. */
  supportTickets: { operator: 'ALL', seller: 'ALL', write: true },
  /** Anything about tickets at all (the list query, the types): the union of the two above. */
  anyTickets: { operator: 'ALL', seller: 'ALL', customer: true },
  /** The service-desk calendar and deadlines. */
  manageCalendar: { operator: [OWNER, ADMIN] },
  /** Reading the calendar: staff and seller users (they answer against it). */
  readCalendar: { operator: 'ALL', seller: 'ALL' },
} as const satisfies AccessTable;
