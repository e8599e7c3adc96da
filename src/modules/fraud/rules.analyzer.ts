import { isValidCnpj, isValidCpf, removeAccents } from '@brazilian-utils/brazilian-utils';
import { stateOfCep } from './cep.js';
import { assertConsistentFraudRequest, type FraudAnalyzer, type FraudOutcome, type FraudReason, type FraudRequest, type FraudVerdict, type PaymentMethodKind } from './fraud.analyzer.js';
import { formatBRL } from '../../shared/money/index.js';

/**
 * The default fraud analyzer: a fixed list of written rules, each adding points to a score,
 * some rejecting outright. It is deterministic (same request, same verdict: time is measured
 * against `placedAt`, never the clock) so operators can be told exactly why a cart was held,
 * and tests and the seed can produce each outcome on purpose.
 */

export interface RuleSettings {
  /** Score at or above which the cart goes to operator review. */
  reviewScore: number;
  /** Score at or above which the cart is rejected. */
  rejectScore: number;
  /** Centavos: a cart total at or above this is reviewed. */
  highValue: number;
  /** Centavos: at or above this, only irrevocable payment (Pix, bank deposit) is accepted. */
  veryHighValue: number;
  /** This many distinct sellers or more… */
  manySellers: number;
  /** …together with a total at or above this (centavos). */
  manySellersValue: number;
  /** More units than this of one SKU looks like reselling or card testing. */
  maxQuantityPerSku: number;
  /** An account younger than this (hours)… */
  newAccountHours: number;
  /** …buying at or above this total (centavos). */
  newAccountValue: number;
  /** Disposable-mailbox domains (a subdomain of one matches too). */
  blockedEmailDomains: readonly string[];
  /** Card BINs (6–8 digits, prefix match) the operator refuses, e.g. after chargebacks. */
  deniedBins: readonly string[];
}

export const DEFAULT_RULE_SETTINGS: Readonly<RuleSettings> = Object.freeze({
  reviewScore: 40,
  rejectScore: 80,
  highValue: 300_000,
  veryHighValue: 1_000_000,
  manySellers: 3,
  manySellersValue: 150_000,
  maxQuantityPerSku: 10,
  newAccountHours: 24,
  newAccountValue: 100_000,
  blockedEmailDomains: Object.freeze([
    'mailinator.com',
    'guerrillamail.com',
    'sharklasers.com',
    '10minutemail.com',
    'yopmail.com',
    'tempmail.com',
    'temp-mail.org',
    'trashmail.com',
    'getnada.com',
    'maildrop.cc',
    'dispostable.com',
  ]),
  // Empty by default: BINs to refuse come from the operator's own chargeback history
  // (FRAUD_DENIED_BINS), not from a list shipped with the code.
  deniedBins: Object.freeze([] as string[]),
});

export interface RuleEffect {
  /** Points added to the cart's score when the rule fires. */
  score: number;
  /** A hard rule rejects the cart whatever the total score. */
  hardReject?: true;
}

export interface FraudRule {
  /** Stable reason code reported when the rule fires. */
  code: string;
  name: string;
  /** When it fires, in words, with the configured thresholds. */
  description: string;
  effect: RuleEffect;
  /** Why the rule fires for this cart (the reason's message), or null when it does not. */
  check(request: FraudRequest): string | null;
}

// Pix and bank deposits cannot be charged back, so a very high total paid that way is not
// the card-fraud exposure the very-high-value rule guards against.
const IRREVOCABLE: ReadonlySet<PaymentMethodKind> = new Set(['PIX', 'BANK_DEPOSIT']);

// Local parts people type when they do not want to give an address (the domain is not
// judged: reserved test domains like *.example are what this project's own tests use).
const TEST_EMAIL_LOCAL = /^(test|teste|testing|tester|fraud|fraude|fake|asdf|asdfg|qwerty|xxx+|aaa+)\d*$/;

function emailParts(email: string): { local: string; domain: string } {
  const at = email.lastIndexOf('@');
  const local = (at < 0 ? email : email.slice(0, at)).toLowerCase().replace(/\+.*$/, '');
  return { local, domain: at < 0 ? '' : email.slice(at + 1).toLowerCase() };
}

/** CPF or CNPJ with valid check digits; mirrors the sellers' document rule without its entity. */
export function documentKind(raw: string): 'CPF' | 'CNPJ' | null {
  const value = raw.replace(/[\s./-]/g, '').toUpperCase();
  if (/^\d{11}$/.test(value)) return isValidCpf(value) ? 'CPF' : null;
  if (/^[A-Z0-9]{12}\d{2}$/.test(value)) return isValidCnpj(value, { version: 2 }) ? 'CNPJ' : null;
  return null;
}

function hasCard(request: FraudRequest): boolean {
  return request.payments.some((p) => p.method === 'CREDIT_CARD');
}

/** The rule list for these settings; `RULES` is the list with the defaults. */
export function buildRules(settings: RuleSettings = DEFAULT_RULE_SETTINGS): FraudRule[] {
  const s = settings;
  return [
    {
      code: 'DENIED_CARD_BIN',
      name: 'Card BIN on the deny list',
      description: `A card's BIN starts with one on the operator's deny list (${s.deniedBins.length ? s.deniedBins.join(', ') : 'none configured'}).`,
      effect: { score: 100, hardReject: true },
      check: (r) => {
        const card = r.payments
          .flatMap((p) => (p.card ? [p.card] : []))
          .find((c) => s.deniedBins.some((bin) => c.bin.startsWith(bin)));
        return card ? `Card ${card.bin}…${card.last4} is on the deny list.` : null;
      },
    },
    {
      code: 'VERY_HIGH_VALUE_REVOCABLE',
      name: 'Very high value on a revocable payment',
      description: `Total at or above ${formatBRL(s.veryHighValue)} with any part paid by a method that can be charged back (anything but Pix or bank deposit).`,
      effect: { score: 100, hardReject: true },
      check: (r) => {
        if (r.totals.total < s.veryHighValue) return null;
        const revocable = r.payments.filter((p) => !IRREVOCABLE.has(p.method));
        if (!revocable.length) return null;
        const methods = [...new Set(revocable.map((p) => p.method))].join(', ');
        return `Total ${formatBRL(r.totals.total)} is at or above ${formatBRL(s.veryHighValue)} and is paid partly by ${methods}; only Pix or bank deposit is accepted for such amounts.`;
      },
    },
    {
      code: 'HIGH_VALUE',
      name: 'High-value cart',
      description: `Total at or above ${formatBRL(s.highValue)}.`,
      effect: { score: 40 },
      check: (r) =>
        r.totals.total >= s.highValue ? `Total ${formatBRL(r.totals.total)} is at or above ${formatBRL(s.highValue)}.` : null,
    },
    {
      code: 'INVALID_BUYER_DOCUMENT',
      name: 'Buyer document invalid',
      description: "The buyer's CPF/CNPJ fails its check digits.",
      effect: { score: 60 },
      check: (r) => (documentKind(r.buyer.document) ? null : `Buyer document "${r.buyer.document}" is not a valid CPF or CNPJ.`),
    },
    {
      code: 'BLOCKED_EMAIL_DOMAIN',
      name: 'Disposable e-mail domain',
      description: `The buyer's e-mail is at a disposable-mailbox domain (${s.blockedEmailDomains.join(', ')}) or a subdomain of one.`,
      effect: { score: 40 },
      check: (r) => {
        const { domain } = emailParts(r.buyer.email);
        const blocked = s.blockedEmailDomains.find((d) => domain === d || domain.endsWith(`.${d}`));
        return blocked ? `E-mail domain ${domain} is a disposable mailbox.` : null;
      },
    },
    {
      code: 'TEST_EMAIL_PATTERN',
      name: 'Throw-away e-mail name',
      description: 'The e-mail\'s local part (before any "+tag") is a throw-away word such as test, teste, fake, fraude, asdf, qwerty, xxx, optionally followed by digits.',
      effect: { score: 25 },
      check: (r) => {
        const { local } = emailParts(r.buyer.email);
        return TEST_EMAIL_LOCAL.test(local) ? `E-mail "${r.buyer.email}" looks like a throw-away address.` : null;
      },
    },
    {
      code: 'MANY_SELLERS_HIGH_VALUE',
      name: 'Many sellers, high value',
      description: `Items from ${s.manySellers} or more distinct sellers and a total at or above ${formatBRL(s.manySellersValue)}.`,
      effect: { score: 25 },
      check: (r) =>
        r.distinctSellers >= s.manySellers && r.totals.total >= s.manySellersValue
          ? `${r.distinctSellers} sellers in one cart totalling ${formatBRL(r.totals.total)}.`
          : null,
    },
    {
      code: 'BULK_QUANTITY',
      name: 'Bulk quantity of one SKU',
      description: `More than ${s.maxQuantityPerSku} units of one SKU (summed over the cart's lines).`,
      effect: { score: 25 },
      check: (r) => {
        const units = new Map<string, number>();
        for (const item of r.items) units.set(item.skuCode, (units.get(item.skuCode) ?? 0) + item.quantity);
        const bulk = [...units].filter(([, quantity]) => quantity > s.maxQuantityPerSku);
        return bulk.length ? `${bulk.map(([sku, q]) => `${q} × ${sku}`).join(', ')} (more than ${s.maxQuantityPerSku} per SKU).` : null;
      },
    },
    {
      code: 'DISTANT_BILLING_ADDRESS',
      name: 'Card billed in another state',
      description: 'Paid (at least partly) by card, and the delivery and billing postal codes (CEP) belong to different states.',
      effect: { score: 20 },
      check: (r) => {
        if (!hasCard(r)) return null;
        const delivery = stateOfCep(r.delivery.postalCode);
        const billing = stateOfCep(r.billing.postalCode);
        return delivery && billing && delivery !== billing
          ? `Card payment billed in ${billing} (CEP ${r.billing.postalCode}) for delivery in ${delivery} (CEP ${r.delivery.postalCode}).`
          : null;
      },
    },
    {
      code: 'NEW_ACCOUNT_HIGH_VALUE',
      name: 'New account, high value',
      description: `The customer account is less than ${s.newAccountHours} h old at checkout and the total is at or above ${formatBRL(s.newAccountValue)}. Anonymous carts (no account) are not judged here.`,
      effect: { score: 30 },
      check: (r) => {
        const created = r.buyer.accountCreatedAt;
        if (!created || r.totals.total < s.newAccountValue) return null;
        const ageMs = r.placedAt.getTime() - created.getTime();
        return ageMs < s.newAccountHours * 3_600_000
          ? `Account created ${Math.max(0, Math.floor(ageMs / 60_000))} min before a ${formatBRL(r.totals.total)} checkout.`
          : null;
      },
    },
    {
      code: 'EMAIL_NAME_MISMATCH',
      name: 'E-mail unrelated to the name',
      description: "An individual buyer (CPF) whose e-mail local part contains none of the words of 3+ letters of their name (accents ignored). A weak signal on its own.",
      effect: { score: 10 },
      check: (r) => {
        if (documentKind(r.buyer.document) !== 'CPF') return null;
        const local = removeAccents(emailParts(r.buyer.email).local).replace(/[^a-z]/g, '');
        const words = removeAccents(r.buyer.name.toLowerCase())
          .split(/[^a-z]+/)
          .filter((w) => w.length >= 3 && w !== 'dos' && w !== 'das');
        if (!words.length || words.some((w) => local.includes(w))) return null;
        return `E-mail "${r.buyer.email}" shares no word with the name "${r.buyer.name}".`;
      },
    },
  ];
}

export const RULES: readonly FraudRule[] = Object.freeze(buildRules());

function effectText(effect: RuleEffect): string {
  return effect.hardReject ? `+${effect.score}, **rejects**` : `+${effect.score}`;
}

/** The rules and how they combine, as Markdown, for the README and operator documentation. */
export function renderRulesMarkdown(settings: RuleSettings = DEFAULT_RULE_SETTINGS): string {
  const escape = (text: string) => text.replace(/\|/g, '\\|');
  const rows = buildRules(settings).map((rule) => `| \`${rule.code}\` | ${escape(rule.name)} | ${escape(rule.description)} | ${effectText(rule.effect)} |`);
  return [
    '| Code | Rule | Fires when | Effect |',
    '|---|---|---|---|',
    ...rows,
    '',
    `The score is the sum of the points of the rules that fire, capped at 100. A score of ${settings.rejectScore} or more is \`REJECTED\`, ` +
      `${settings.reviewScore} or more is \`REVIEW\` (settled by operator staff), anything lower is \`APPROVED\`; a rule that rejects ` +
      'rejects the cart whatever the score. Every rule that fires is reported as a reason, in the order above.',
    '',
  ].join('\n');
}

export class RulesAnalyzer implements FraudAnalyzer {
  readonly provider = 'rules';
  readonly settings: Readonly<RuleSettings>;
  readonly rules: readonly FraudRule[];

  constructor(settings: Partial<RuleSettings> = {}) {
    this.settings = { ...DEFAULT_RULE_SETTINGS, ...settings };
    this.rules = buildRules(this.settings);
  }

  async analyze(request: FraudRequest): Promise<FraudVerdict> {
    return this.evaluate(request);
  }

  /** The synchronous core of `analyze`, for callers (seed, tests) that need no promise. */
  evaluate(request: FraudRequest): FraudVerdict {
    assertConsistentFraudRequest(request);
    const reasons: FraudReason[] = [];
    let points = 0;
    let hardReject = false;
    for (const rule of this.rules) {
      const message = rule.check(request);
      if (message === null) continue;
      reasons.push({ code: rule.code, message });
      points += rule.effect.score;
      hardReject ||= rule.effect.hardReject === true;
    }
    const score = Math.min(100, points);
    const outcome: FraudOutcome =
      hardReject || score >= this.settings.rejectScore ? 'REJECTED' : score >= this.settings.reviewScore ? 'REVIEW' : 'APPROVED';
    return { outcome, score, reasons, provider: this.provider };
  }
}
