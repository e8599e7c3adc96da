import { FraudAnalysisResolver } from './fraud.resolver.js';
import { fraudAnalysisRules } from './fraud.rules.js';
import { FraudAnalysis } from './fraud.entity.js';
// The analyzer extension point: what an analyzer receives and answers.
export { countDistinctSellers, type FraudAnalyzer, type FraudVerdict, type FraudRequest, type FraudItem, type FraudSeller, type FraudBuyer, type FraudAddress, type FraudPaymentPart, type FraudReason } from './fraud.analyzer.js';
export { RulesAnalyzer, RULES, DEFAULT_RULE_SETTINGS, buildRules, renderRulesMarkdown, type FraudRule, type RuleEffect, type RuleSettings } from './rules.analyzer.js';
export { ClearSaleAnalyzer, CLEARSALE_STATUSES, toClearSaleOrder, type ClearSaleOptions, type ClearSaleProduct, type ClearSaleStatus } from './clearsale.analyzer.js';
export { loadFraudConfig, createFraudAnalyzer, FRAUD_ANALYZER, fraudAnalyzer, type FraudConfig, type ClearSaleSettings } from './fraud.config.js';

// What this module adds to the app: GraphQL resolvers, shield rules, MikroORM entities.
export const fraudResolvers: readonly (abstract new (...args: never[]) => unknown)[] = [FraudAnalysisResolver];
export const fraudRules: Record<string, Record<string, unknown>> = fraudAnalysisRules;
export const fraudEntities: readonly (abstract new (...args: never[]) => unknown)[] = [FraudAnalysis];
export { FraudAnalysis, FraudStatus } from './fraud.entity.js';

// Used by other modules.
export { analyzeCart, decideAnalysis } from './fraud.service.js';
export { toFraudAnalysisType } from './fraud.resolver.js';
export { DecideFraudAnalysisInput, DecideFraudAnalysisPayload, FraudAnalysisType } from './fraud.types.js';
