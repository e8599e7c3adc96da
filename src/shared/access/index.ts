export { UserRole, OPERATOR_ROLES, SELLER_ROLES } from './roles.js';
export { anonymous, viewerSeller, viewerUser, isOperator, type Viewer, type ViewerKindName, type ViewerSeller, type ViewerUser, type ViewerIntegration } from './viewer.js';
export { anyone, authenticated, customer, user, operator, sellerUser, integration, viewerRule, forbiddenError, unauthenticatedError, suspendedMessage } from './rules.js';
export { accessCheck, accessRule, accessRules, assertMay, may, sellerAccessRule, type Access, type AccessTable } from './table.js';
