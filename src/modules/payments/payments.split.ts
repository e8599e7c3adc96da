import { ErrorCode, Validation } from '../../shared/errors/errors.js';
import { WIDEST_INSTALLMENT_RULE, allocate, installmentProblem, type InstallmentRule, type Money } from '../../shared/money/index.js';

/**
 * How a cart's single payment transaction is divided between tenders. The buyer states the
 * amount of each part; these functions only check and divide, they never guess a split.
 */

export type PaymentPartMethod = 'PIX' | 'CARD' | 'BANK_DEPOSIT' | 'VOUCHER';

export interface PaymentPartInput {
  method: PaymentPartMethod;
  amount: Money;
  /** Cards only; 1 when omitted. */
  installments?: number;
}

export interface PaymentPart {
  /** Position as entered: ties in later splits (refunds) go to the earlier part. */
  index: number;
  method: PaymentPartMethod;
  amount: Money;
  installments: number;
}

/**
 * The store's payment methods (design notes): Pix, card, Pix + card, Pix + 2 cards, 2 cards,
 * bank deposit, voucher. Keys are the methods sorted, so the order the buyer entered them in
 * does not matter. Voucher and deposit stand alone because the design lists no combination
 * with them; adding one is adding its key here.
 */
export const PAYMENT_COMBINATIONS: ReadonlySet<string> = new Set(['PIX', 'CARD', 'CARD+PIX', 'CARD+CARD+PIX', 'CARD+CARD', 'BANK_DEPOSIT', 'VOUCHER']);

const combinationKey = (methods: readonly PaymentPartMethod[]) => [...methods].sort().join('+');

/**
 * Checks that `parts` pay exactly `total`: an offered combination of methods, every part a
 * positive amount in the total's currency, card installments within the store's rule
 * (`installments`: the checkout passes the store settings), and the parts summing to the
 * total to the centavo. Collects every problem and throws them together as BAD_USER_INPUT
 * (fields under `field`, e.g. ["input", "payment", "parts", "1", "amount"]).
 */
export function splitPayment(
  total: Money,
  parts: readonly PaymentPartInput[],
  field: readonly string[] = ['payment', 'parts'],
  installments: InstallmentRule = WIDEST_INSTALLMENT_RULE,
): PaymentPart[] {
  const v = new Validation();
  const at = (...rest: string[]) => [...field, ...rest];
  if (!Number.isSafeInteger(total.amount) || total.amount <= 0) {
    v.add(ErrorCode.BAD_USER_INPUT, 'The amount to pay must be a positive number of centavos.', [...field]);
  }
  v.check(parts.length > 0, 'Choose how to pay.', [...field]);
  if (parts.length > 0) {
    v.check(
      PAYMENT_COMBINATIONS.has(combinationKey(parts.map((p) => p.method))),
      `${parts.map((p) => p.method).join(' + ')} is not an offered way to pay; the store takes Pix, card, Pix + card, Pix + 2 cards, 2 cards, bank deposit or voucher.`,
      [...field],
    );
  }
  let amountsValid = true;
  parts.forEach((part, i) => {
    const index = String(i);
    const validAmount = Number.isSafeInteger(part.amount.amount) && part.amount.amount > 0;
    if (!validAmount) amountsValid = false;
    v.check(validAmount, 'Each part must be a positive number of centavos.', at(index, 'amount'));
    if (part.amount.currency !== total.currency) {
      amountsValid = false;
      v.add(ErrorCode.BAD_USER_INPUT, `Each part must be in ${total.currency}.`, at(index, 'amount'));
    }
    if (part.method === 'CARD') {
      // The minimum installment is judged only on a valid amount; a bad amount is reported above.
      const rule = validAmount ? installments : { ...installments, minInstallmentCents: 0 };
      const problem = installmentProblem(rule, part.amount.amount, part.installments ?? 1);
      if (problem) v.add(ErrorCode.BAD_USER_INPUT, problem, at(index, 'installments'));
    } else {
      v.check(part.installments === undefined || part.installments === 1, 'Only card payments have installments.', at(index, 'installments'));
    }
  });
  if (amountsValid && parts.length > 0) {
    const sum = parts.reduce((acc, p) => acc + p.amount.amount, 0);
    v.check(sum === total.amount, `The parts add up to ${sum} centavos but ${total.amount} is due.`, [...field]);
  }
  v.throwIfAny();
  return parts.map((p, index) => ({ index, method: p.method, amount: { ...p.amount }, installments: p.installments ?? 1 }));
}

/**
 * Divides a refund over the payment parts in proportion to what each still has unrefunded
 * (largest remainder; ties to the larger base, then the earlier part), so no part is asked
 * to give back more than it has left. The shares always sum to the refund.
 */
export function splitRefund(refund: Money, unrefunded: readonly Money[]): Money[] {
  if (!Number.isSafeInteger(refund.amount) || refund.amount <= 0) throw new Error(`refund must be a positive number of centavos, got ${refund.amount}`);
  if (unrefunded.some((m) => m.currency !== refund.currency)) throw new Error('refund and payment parts must share a currency');
  const available = unrefunded.reduce((acc, m) => acc + m.amount, 0);
  if (refund.amount > available) throw new Error(`cannot refund ${refund.amount}: only ${available} is left unrefunded`);
  return allocate(
    refund.amount,
    unrefunded.map((m) => m.amount),
  ).map((amount) => ({ amount, currency: refund.currency }));
}
