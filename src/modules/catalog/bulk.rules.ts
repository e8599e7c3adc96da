import { anyone } from '../../shared/access/index.js';
import { allowed } from './catalog.rules.js';

/** Bulk actions cross sellers, so they are operator staff's alone. */
export const bulkRules = {
  Mutation: {
    bulkUpdateProducts: allowed.bulkUpdateProducts,
  },
  BulkUpdateError: { '*': anyone },
};
