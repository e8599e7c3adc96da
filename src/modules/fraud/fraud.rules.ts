import { allow } from 'graphql-shield';
import { UserRole } from '../auth/auth.entity.js';
import { operator } from '../auth/auth.rules.js';

/** Scores and reasons are operator staff's business only; sellers and shoppers see order statuses. */
export const fraudAnalysisRules = {
  Query: { fraudAnalysis: operator() },
  Mutation: { decideFraudAnalysis: operator(UserRole.OWNER, UserRole.ADMIN, UserRole.SUPPORT) },
  FraudAnalysis: { '*': allow },
  FraudAnalysisItem: { '*': allow },
  FraudReason: { '*': allow },
};
