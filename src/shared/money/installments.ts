import { formatBRL } from './money.js';

/*
 * The installment rule, in one place. The store's figures are its settings
 * (MarketplaceSettings.maxInstallments and .minInstallmentCents, sellers module); the
 * checkout reads them and hands them to the payment split, which is where a card part's
 * installments are accepted or refused — before any provider is asked.
 */

/**
 * The widest installment range the store may offer (design.md: cards "with 1–12
 * installments by store rule"): the bound of `maxInstallments`, of the payment_part table's
 * check constraint and of the providers' own guard. The cap a shopper meets is the store's
 * setting; this only bounds it. Raising it takes a migration of that constraint.
 */
export const INSTALLMENTS_LIMIT = 12;

/** The store's figures (MarketplaceSettings has them). */
export interface InstallmentRule {
  /** 1 to INSTALLMENTS_LIMIT. */
  maxInstallments: number;
  /** Smallest installment, in centavos ("parcela mínima"); 0 for none. */
  minInstallmentCents: number;
}

/** The rule when no store figures are at hand (unit tests, tools): the limit and no minimum. */
export const WIDEST_INSTALLMENT_RULE: InstallmentRule = { maxInstallments: INSTALLMENTS_LIMIT, minInstallmentCents: 0 };

/**
 * Why `amountCents` cannot be paid in `installments` under `rule`, or null. At most
 * `maxInstallments`, and no installment below `minInstallmentCents`: a part of R$ 30,00 with
 * a R$ 5,00 minimum pays in at most 6. A part paid at once (1) is never refused for its size.
 */
export function installmentProblem(rule: InstallmentRule, amountCents: number, installments: number): string | null {
  const max = Math.min(rule.maxInstallments, INSTALLMENTS_LIMIT);
  if (!Number.isInteger(installments) || installments < 1) return `Installments are a whole number from 1 to ${max}.`;
  if (installments > max) return `The store takes cards in up to ${max} installments.`;
  if (installments > 1 && rule.minInstallmentCents > 0 && Math.floor(amountCents / installments) < rule.minInstallmentCents) {
    const most = Math.max(1, Math.floor(amountCents / rule.minInstallmentCents));
    return `Each installment must be at least ${formatBRL(rule.minInstallmentCents)}; ${formatBRL(amountCents)} pays in at most ${most}.`;
  }
  return null;
}
