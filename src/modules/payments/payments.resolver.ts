import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { confirmBankDeposit } from './confirmation.service.js';
import { createGiftCard } from './giftcards.service.js';
import { transactionsForDisplay } from './payments.loaders.js';
import { ConfirmBankDepositInput, ConfirmBankDepositPayload, CreateGiftCardInput, CreateGiftCardPayload, PaymentTransactionType, toGiftCardType, toPaymentTransactionType } from './payments.types.js';

@Resolver()
export class PaymentResolver {
  @Query(() => PaymentTransactionType, { nullable: true, description: "Operator staff: a cart's payment by its cart number; null when there is none." })
  async paymentTransaction(@Arg('cartNumber', () => String, { description: 'The cart number (the middle of its order codes).' }) cartNumber: string, @Ctx() ctx: Context) {
    const [row] = cartNumber.length <= 40 ? await transactionsForDisplay(ctx.em, { cartNumber }) : [];
    return row ? toPaymentTransactionType(row) : null;
  }

  @Mutation(() => ConfirmBankDepositPayload, { description: "Operator: the buyer's bank deposit arrived; the cart's orders move on as with a confirmed Pix." })
  confirmBankDeposit(@Arg('input', () => ConfirmBankDepositInput, { description: 'The cart number and an idempotency key.' }) input: ConfirmBankDepositInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => {
      const confirmed = await confirmBankDeposit(ctx.runtime, em, input, ctx.viewer);
      await em.flush();
      const [row] = await transactionsForDisplay(em, { id: confirmed.id });
      return { transaction: toPaymentTransactionType(row!) };
    });
  }

  @Mutation(() => CreateGiftCardPayload, { description: 'Operator: creates a gift card; its code is returned here only, once.' })
  createGiftCard(@Arg('input', () => CreateGiftCardInput, { description: 'The value and, optionally, a chosen code.' }) input: CreateGiftCardInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => {
      const { giftCard, code } = await createGiftCard(em, input);
      return { issued: { code, giftCard: toGiftCardType(giftCard) } };
    });
  }
}
