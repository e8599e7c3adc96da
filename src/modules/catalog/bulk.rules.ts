import { UserRole } from '../auth/auth.entity.js';
import { anyone, operator } from '../auth/auth.rules.js';

/** Bulk actions cross sellers, so they are operator staff's alone. */
export const bulkRules = {
  Mutation: {
    bulkUpdateProducts: operator(UserRole.OWNER, UserRole.ADMIN),
  },
  BulkUpdateError: { '*': anyone },
};
