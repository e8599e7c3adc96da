export { User } from './auth.entity.js';
export { UserRole } from '../../shared/access/index.js';
export type { Viewer } from '../../shared/access/index.js';
export { authRules } from './auth.rules.js';
import { AuthResolver, SellerUsersResolver, ViewerResolver } from './auth.resolver.js';
import { PasswordResetToken as ResetTokenEntity, Session as SessionEntity, SignUpRequest as SignUpRequestEntity, User as UserEntity } from './auth.entity.js';
export const authResolvers = [ViewerResolver, AuthResolver, SellerUsersResolver] as const;
export const authEntities = [UserEntity, SessionEntity, ResetTokenEntity, SignUpRequestEntity] as const;

// Used by other modules.
export { PasswordResetToken, Session } from './auth.entity.js';
export { checkPassword, issuePasswordToken, resolveViewer } from './auth.service.js';
export { UserConnection, UserType } from './auth.types.js';
export { hashPassword } from './crypto.js';
export { createSellerUser } from './users.service.js';
export { AUTH_THROTTLE, AuthThrottle } from './auth.throttle.js';
