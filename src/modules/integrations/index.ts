export { Integration } from './integrations.entity.js';
export { IntegrationResolver } from './integrations.resolver.js';
export { integrationRules } from './integrations.rules.js';
import { IntegrationResolver } from './integrations.resolver.js';
export const integrationResolvers = [IntegrationResolver] as const;
