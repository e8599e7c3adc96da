export { User, UserRole } from './auth.entity.js';
export type { Viewer } from './viewer.js';
export { authRules } from './auth.rules.js';
import { AuthResolver, ViewerResolver } from './auth.resolver.js';
export const authResolvers = [ViewerResolver, AuthResolver] as const;
