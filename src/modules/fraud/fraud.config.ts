import type { Logger } from 'pino';
import { z } from 'zod';
import { ServiceKey, type Runtime } from '../../shared/runtime/index.js';
import { ClearSaleAnalyzer, type ClearSaleProduct } from './clearsale.analyzer.js';
import type { FraudAnalyzer } from './fraud.analyzer.js';
import { RulesAnalyzer } from './rules.analyzer.js';

/**
 * Which fraud analyzer the store uses, from the environment. Kept beside the module (not in
 * src/config.ts) so the fraud extension point owns its settings; the app calls
 * `loadFraudConfig` once at start-up, next to `loadConfig`, and fails with the variable's
 * name when one is wrong.
 *
 * | variable | meaning |
 * |---|---|
 * | `FRAUD_ANALYZER` | `rules` (default) or `clearsale` |
 * | `FRAUD_TIMEOUT_MS` | deadline of one provider analysis in ms (100–60000), default 5000 |
 * | `FRAUD_DENIED_BINS` | comma-separated card BINs (6–8 digits) the rules refuse |
 * | `CLEARSALE_API_URL` | base URL before `/v1/…`; required with `clearsale` |
 * | `CLEARSALE_LOGIN`, `CLEARSALE_PASSWORD` | API credentials; required with `clearsale` |
 * | `CLEARSALE_PRODUCT` | optional `application`, `total` or `total-garantido` |
 */

const blankIsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <T extends z.ZodType>(type: T) => z.preprocess(blankIsUnset, type.optional());
// A missing variable gets a message naming the reason it is needed; a malformed one keeps zod's.
const whenClearSale = (issue: { input?: unknown }) => (issue.input === undefined ? 'required when FRAUD_ANALYZER=clearsale' : undefined);

const common = {
  FRAUD_TIMEOUT_MS: z.preprocess(blankIsUnset, z.coerce.number().int().min(100).max(60_000).default(5_000)),
  FRAUD_DENIED_BINS: optional(z.string().regex(/^\s*\d{6,8}\s*(,\s*\d{6,8}\s*)*$/, 'comma-separated BINs of 6 to 8 digits')),
};

const schema = z.preprocess(
  (env) => (typeof env === 'object' && env !== null ? { ...env, FRAUD_ANALYZER: blankIsUnset(Reflect.get(env, 'FRAUD_ANALYZER')) ?? 'rules' } : env),
  z.discriminatedUnion('FRAUD_ANALYZER', [
    z.object({ FRAUD_ANALYZER: z.literal('rules'), ...common }),
    z.object({
      FRAUD_ANALYZER: z.literal('clearsale'),
      ...common,
      CLEARSALE_API_URL: z.preprocess(blankIsUnset, z.url({ protocol: /^https?$/, error: whenClearSale })),
      CLEARSALE_LOGIN: z.preprocess(blankIsUnset, z.string({ error: whenClearSale })),
      CLEARSALE_PASSWORD: z.preprocess(blankIsUnset, z.string({ error: whenClearSale })),
      CLEARSALE_PRODUCT: optional(z.enum(['application', 'total', 'total-garantido'] satisfies ClearSaleProduct[])),
    }),
  ], { error: (issue) => (issue.code === 'invalid_union' ? 'must be rules or clearsale' : undefined) }),
);

export interface ClearSaleSettings {
  baseUrl: string;
  login: string;
  password: string;
  product?: ClearSaleProduct;
}

export type FraudConfig =
  | { analyzer: 'rules'; timeoutMs: number; deniedBins: string[] }
  | { analyzer: 'clearsale'; timeoutMs: number; deniedBins: string[]; clearsale: ClearSaleSettings };

export function loadFraudConfig(env: NodeJS.ProcessEnv = process.env): FraudConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid fraud configuration:\n${problems}`);
  }
  const c = parsed.data;
  const deniedBins = c.FRAUD_DENIED_BINS ? c.FRAUD_DENIED_BINS.split(',').map((bin) => bin.trim()) : [];
  if (c.FRAUD_ANALYZER === 'rules') return { analyzer: 'rules', timeoutMs: c.FRAUD_TIMEOUT_MS, deniedBins };
  return {
    analyzer: 'clearsale',
    timeoutMs: c.FRAUD_TIMEOUT_MS,
    deniedBins,
    clearsale: { baseUrl: c.CLEARSALE_API_URL, login: c.CLEARSALE_LOGIN, password: c.CLEARSALE_PASSWORD, product: c.CLEARSALE_PRODUCT },
  };
}

/** The slot src/app fills with the analyzer chosen by configuration. */
export const FRAUD_ANALYZER = new ServiceKey<FraudAnalyzer>('fraud.analyzer');

export function fraudAnalyzer(runtime: Runtime): FraudAnalyzer {
  return runtime.services.get(FRAUD_ANALYZER);
}

/** The configured analyzer. The deny list applies to the rules analyzer only (ClearSale keeps its own). */
export function createFraudAnalyzer(config: FraudConfig, deps: { logger?: Pick<Logger, 'warn'> } = {}): FraudAnalyzer {
  switch (config.analyzer) {
    case 'rules':
      return new RulesAnalyzer({ deniedBins: config.deniedBins });
    case 'clearsale':
      return new ClearSaleAnalyzer({ ...config.clearsale, timeoutMs: config.timeoutMs, logger: deps.logger });
  }
}
