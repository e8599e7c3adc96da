import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { money } from '../../shared/money/index.js';
import { PixProviderEnum, paymentProviders, type CardBrand, type PixProviderName } from '../payments/index.js';
import { checkoutAndAnswer, type CheckoutInput } from './checkout.service.js';
import { CheckoutInputType, CheckoutPayload } from './checkout.types.js';

/** GraphQL input → service input. Card tokens are branded here; anything looking like a card number is refused by cardToken(). */
function toServiceInput(input: CheckoutInputType): CheckoutInput {
  return {
    cartToken: input.cartToken,
    idempotencyKey: input.idempotencyKey,
    deviceSessionId: input.deviceSessionId ?? null,
    payment: {
      parts: (input.payment?.parts ?? []).map((p) => ({
        method: p.method,
        amount: money(p.amount ?? 0),
        ...(p.installments !== undefined && p.installments !== null ? { installments: p.installments } : {}),
        ...(p.card ? { card: { token: p.card.token, brand: p.card.brand as CardBrand, bin: p.card.bin, last4: p.card.last4, holderName: p.card.holderName } } : {}),
        ...(p.giftCardCode ? { giftCardCode: p.giftCardCode } : {}),
        ...(p.pixProvider ? { pixProvider: p.pixProvider } : {}),
      })),
    },
  };
}

@Resolver()
export class CheckoutResolver {
  @Query(() => [PixProviderEnum], { description: 'The Pix providers a shopper may choose at checkout, the store default first.' })
  pixProviders(@Ctx() ctx: Context): PixProviderName[] {
    return paymentProviders(ctx.runtime).pixOffered;
  }

  @Mutation(() => CheckoutPayload, {
    description:
      'Turns the cart into one order per seller paid by one transaction. Re-checks prices (PRICE_CHANGED) and stock (OUT_OF_STOCK); the same idempotencyKey returns the same result.',
  })
  checkout(@Arg('input', () => CheckoutInputType, { description: 'The cart token, the payment and an idempotency key.' }) input: CheckoutInputType, @Ctx() ctx: Context) {
    // The checkout commits in steps of its own (key claim, provider call, orders), so the runner
    // opens no transaction around it; refusals still come back as userErrors.
    return runMutation(ctx.em, () => checkoutAndAnswer(ctx, toServiceInput(input)), { transaction: false });
  }
}
