import { UserRole, type AccessTable } from '../../shared/access/index.js';

const { OWNER, ADMIN, SUPPORT } = UserRole;

/** Who may do what with help articles: read by help.rules.ts and the service. */
export const HELP_ACCESS = {
  /** Published articles: seller users and operator staff. */
  readFaq: { operator: 'ALL', seller: 'ALL' },
  /** Writing articles and reading drafts: operator owners, admins and support staff. */
  writeFaq: { operator: [OWNER, ADMIN, SUPPORT], denied: 'Help articles are written by operator owners, admins and support staff.' },
} as const satisfies AccessTable;
