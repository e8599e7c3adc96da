export { IdempotencyClaim, ClaimStatus } from './claim.entity.js';
export { claimKey, takeOver, Lease, LeaseLostError, type ClaimRequest, type ClaimOutcome } from './claims.js';
export { recoverAbandonedClaims, claimAttentionSource, NeedsAttentionError, type ClaimRecovery, type RecoveryPassResult } from './recovery.js';
