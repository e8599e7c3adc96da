import { UserRole, anyone, operator } from '../../shared/access/index.js';

/** Bulk actions cross sellers, so they are operator staff's alone. */
export const bulkRules = {
  Mutation: {
    bulkUpdateProducts: operator(UserRole.OWNER, UserRole.ADMIN),
  },
  BulkUpdateError: { '*': anyone },
};
