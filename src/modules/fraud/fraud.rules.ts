import { allow } from 'graphql-shield';
import { operator } from '../../shared/access/index.js';

/** Scores and reasons are operator staff's business only; sellers and shoppers see order statuses. */
export const fraudAnalysisRules = {
  Query: { fraudAnalysis: operator() },
  FraudAnalysis: { '*': allow },
  FraudAnalysisItem: { '*': allow },
  FraudReason: { '*': allow },
};
