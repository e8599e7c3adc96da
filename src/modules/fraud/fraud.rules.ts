import { allow } from 'graphql-shield';
import { accessRule } from '../../shared/access/index.js';
import { FRAUD_ACCESS } from './fraud.access.js';

/** Scores and reasons are operator staff's business only; sellers and shoppers see order statuses. */
export const fraudAnalysisRules = {
  Query: { fraudAnalysis: accessRule('fraud.readAnalyses', FRAUD_ACCESS.readAnalyses) },
  FraudAnalysis: { '*': allow },
  FraudAnalysisItem: { '*': allow },
  FraudReason: { '*': allow },
};
