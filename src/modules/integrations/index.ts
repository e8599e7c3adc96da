export { Integration } from './integrations.entity.js';
export { integrationRules } from './integrations.rules.js';
import { IntegrationResolver, SellerCatalogIntegrationResolver } from './integrations.resolver.js';
import { CatalogIntegration, Integration as IntegrationEntity } from './integrations.entity.js';
export const integrationResolvers = [IntegrationResolver, SellerCatalogIntegrationResolver] as const;
export const integrationEntities = [IntegrationEntity, CatalogIntegration] as const;

// Used by other modules.
export { IntegrationType } from './integrations.types.js';
export { INTEGRATION_TOKEN_PREFIX, assertCatalogEditable, catalogIntegrationsOf } from './integrations.service.js';
export { createIntegration } from './integrations.service.js';
