import { or } from 'graphql-shield';
import { UserRole, anyone, integration, operator } from '../../shared/access/index.js';
import { catalogWriter } from './catalog.rules.js';

const { OWNER, ADMIN } = UserRole;

/**
 * ERP upsert: integrations (their own seller) and operator owners/admins acting for a seller.
 * File import: whoever writes the catalog (catalogWriter), each within its own scope, which
 * the service enforces through the seller argument.
 */
export const importRules = {
  Mutation: {
    upsertProducts: or(integration({ write: true }), operator(OWNER, ADMIN)),
    importProducts: catalogWriter,
  },
  // Reached only through the payloads of the mutations above.
  UpsertProductResult: { '*': anyone },
  ImportRowError: { '*': anyone },
};
