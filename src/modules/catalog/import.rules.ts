import { anyone } from '../../shared/access/index.js';
import { allowed } from './catalog.rules.js';

/**
 * ERP upsert: integrations (their own seller) and operator owners/admins acting for a seller.
 * File import: whoever writes the catalog (writeCatalog), each within its own scope, which
 * the service enforces through the seller argument.
 */
export const importRules = {
  Mutation: {
    upsertProducts: allowed.upsertProducts,
    importProducts: allowed.writeCatalog,
  },
  // Reached only through the payloads of the mutations above.
  UpsertProductResult: { '*': anyone },
  ImportRowError: { '*': anyone },
};
