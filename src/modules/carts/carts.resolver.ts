import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation, UserError } from '../../shared/errors/index.js';
import { money } from '../../shared/money/index.js';
import { ConnectionArgs } from '../../shared/pagination/index.js';
import type { PricedCart } from './pricing.js';
import { maskDocument } from '../sellers/index.js';
import { ShippingOptionType, ShippingQuoteType, toShippingOptionType, toShippingQuoteType } from '../shipping/index.js';
import type { PaymentChoice } from '../promotions/index.js';
import type { Cart } from './carts.entity.js';
import { cartEvaluation } from './carts.loaders.js';
import * as carts from './carts.service.js';
import type { CartEvaluation } from './carts.snapshot.js';
import { CartAddressInput, CartAddressType, CartAppliedDiscountType, CartBuyerInput, CartBuyerType, CartConnection, CartFreeShippingType, CartGroupType, CartLineType, CartPaymentMethod, CartPaymentOptionType, CartPayload, CartRequirementEnum, CartTotalsType, CartType, CartVoucherType, CreateCartInput, CreateCartPayload } from './carts.types.js';


/** The lines as GraphQL shows them, by line id (built once per evaluation and pricing). */
const lineViewCache = new WeakMap<PricedCart, Map<string, CartLineType>>();
function lineViews(e: CartEvaluation): Map<string, CartLineType> {
  let views = lineViewCache.get(e.pricing);
  if (views) return views;
  const currency = e.settings.currency;
  const priced = new Map(e.pricing.groups.flatMap((g) => g.lines.map((l) => [l.key, l] as const)));
  views = new Map(
    e.lines.map(({ line, sku, product, seller }) => {
      const p = priced.get(line.id)!;
      const campaign = e.campaigns.lines.get(line.id);
      const view: CartLineType = {
        id: line.id,
        seller,
        skuCode: sku.code,
        productCode: product.code,
        productName: product.name,
        quantity: line.quantity,
        unitPrice: money(sku.priceCents, currency),
        confirmedUnitPrice: line.unitPriceCents === sku.priceCents ? null : money(line.unitPriceCents, currency),
        merchandiseTotal: money(p.merchandiseCents, currency),
        campaignName: campaign?.campaignName ?? null,
        campaignDiscount: money(p.campaignDiscountCents, currency),
        campaignPrice: money(sku.priceCents - (campaign?.unitDiscountCents ?? 0), currency),
        discountShare: money(p.discountCents, currency),
        freightShare: money(p.freightCents, currency),
        total: money(p.totalCents, currency),
        weight: p.weightGrams,
        problem: e.lineProblems.get(line.id) ?? null,
      };
      return [line.id, view] as const;
    }),
  );
  lineViewCache.set(e.pricing, views);
  return views;
}

/** Single methods a payment-method discount may reward (à vista: a card in one installment). */
const PAYMENT_CHOICES: { method: CartPaymentMethod; choice: PaymentChoice; installments: number }[] = [
  { method: CartPaymentMethod.PIX, choice: 'PIX', installments: 1 },
  { method: CartPaymentMethod.BANK_DEPOSIT, choice: 'BANK_DEPOSIT', installments: 1 },
  { method: CartPaymentMethod.CARD, choice: 'CARD', installments: 1 },
];

@Resolver(() => CartType)
export class CartResolver {
  @Query(() => CartType, { description: 'The cart of a token. An unknown token is NOT_FOUND.' })
  cart(@Arg('token', () => String, { description: 'The cart token returned by createCart (mkc_…).' }) token: string, @Ctx() ctx: Context) {
    return carts.cartByToken(ctx, token);
  }

  @Query(() => CartConnection, { description: "The signed-in customer's open carts, newest first (including carts agents built for them)." })
  myCarts(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return carts.myCarts(ctx, args);
  }

  @Mutation(() => CreateCartPayload, { description: 'A new cart and its token. Signed-in customers get it attached; sales agents build one for a customer (customerEmail).' })
  createCart(@Arg('input', () => CreateCartInput, { nullable: true, description: 'Options; leave out for a plain storefront cart.' }) input: CreateCartInput | undefined, @Ctx() ctx: Context) {
    return runMutation(ctx.em, (em) => carts.createCart(ctx, em, input ?? {}));
  }

  @Mutation(() => CartPayload, { description: 'Adds units of a SKU (displayed code); a SKU already in the cart gets them added to its line.' })
  addCartLine(
    @Arg('cartToken', () => String, { description: 'The cart\'s token.' }) cartToken: string,
    @Arg('skuCode', () => String, { description: 'Displayed SKU code (`<concat>-<raw>` for guest sellers).' }) skuCode: string,
    @Arg('quantity', () => Int, { description: 'Units to add, 1 to 999 in all on the line.' }) quantity: number,
    @Ctx() ctx: Context,
  ) {
    return mutateCart(ctx, (em) => carts.addCartLine(ctx.viewer, em, cartToken, skuCode, quantity));
  }

  @Mutation(() => CartPayload, { description: "Sets a line's quantity (1–999); the line takes the SKU's current price." })
  updateCartLine(
    @Arg('cartToken', () => String, { description: 'The cart\'s token.' }) cartToken: string,
    @Arg('lineId', () => ID, { description: 'Id of the line to change.' }) lineId: string,
    @Arg('quantity', () => Int, { description: 'The line\'s new number of units, 1 to 999.' }) quantity: number,
    @Ctx() ctx: Context,
  ) {
    return mutateCart(ctx, (em) => carts.updateCartLine(ctx.viewer, em, cartToken, lineId, quantity));
  }

  @Mutation(() => CartPayload, { description: 'Removes a line from the cart.' })
  removeCartLine(@Arg('cartToken', () => String, { description: 'The cart\'s token.' }) cartToken: string, @Arg('lineId', () => ID, { description: 'Id of the line to remove.' }) lineId: string, @Ctx() ctx: Context) {
    return mutateCart(ctx, (em) => carts.removeCartLine(ctx.viewer, em, cartToken, lineId));
  }

  @Mutation(() => CartPayload, { description: "The buyer's name, e-mail, CPF/CNPJ (check digits verified) and phone." })
  setBuyer(@Arg('cartToken', () => String, { description: 'The cart\'s token.' }) cartToken: string, @Arg('input', () => CartBuyerInput, { description: 'The buyer\'s name, e-mail, document and phone.' }) input: CartBuyerInput, @Ctx() ctx: Context) {
    return mutateCart(ctx, (em) => carts.setBuyer(ctx.viewer, em, cartToken, input));
  }

  @Mutation(() => CartPayload, { description: 'Sets the delivery address and quotes the freight for it.' })
  setShippingAddress(@Arg('cartToken', () => String, { description: 'The cart\'s token.' }) cartToken: string, @Arg('input', () => CartAddressInput, { description: 'The delivery address.' }) input: CartAddressInput, @Ctx() ctx: Context) {
    return mutateCart(ctx, (em) => carts.setShippingAddress(ctx.viewer, em, cartToken, input));
  }

  @Mutation(() => CartPayload, { description: "Chooses one of the options of the cart's current quote." })
  selectShippingOption(
    @Arg('cartToken', () => String, { description: 'The cart\'s token.' }) cartToken: string,
    @Arg('carrier', () => String, { description: 'The option\'s `carrier`, as the cart\'s shippingQuote lists it.' }) carrier: string,
    @Arg('method', () => String, { description: 'The option\'s `method`, as the cart\'s shippingQuote lists it.' }) method: string,
    @Ctx() ctx: Context,
  ) {
    return mutateCart(ctx, (em) => carts.selectShippingOption(ctx, em, cartToken, { carrier, method }));
  }

  @Mutation(() => CartPayload, { description: 'Applies a coupon: VOUCHER_INVALID or VOUCHER_EXHAUSTED when it cannot apply now.' })
  applyVoucher(@Arg('cartToken', () => String, { description: 'The cart\'s token.' }) cartToken: string, @Arg('code', () => String, { description: 'The coupon code, in any letter case.' }) code: string, @Ctx() ctx: Context) {
    return mutateCart(ctx, (em) => carts.applyVoucher(ctx.viewer, em, cartToken, code));
  }

  @Mutation(() => CartPayload, { description: 'Removes the coupon from the cart.' })
  removeVoucher(@Arg('cartToken', () => String, { description: 'The cart\'s token.' }) cartToken: string, @Ctx() ctx: Context) {
    return mutateCart(ctx, (em) => carts.removeVoucher(ctx.viewer, em, cartToken));
  }

  @FieldResolver(() => Boolean, { description: 'Built by a sales agent for a customer (assisted sale).' })
  assisted(@Root() cart: Cart) {
    return !!cart.createdBy;
  }

  @FieldResolver(() => CartBuyerType, { nullable: true, description: 'The buyer\'s identity. Null until setBuyer.' })
  buyer(@Root() cart: Cart): CartBuyerType | null {
    const b = cart.buyer;
    if (!b?.document) return null;
    return { name: b.name, email: b.email, documentType: b.documentType, maskedDocument: maskDocument(b.document), document: b.document, phone: b.phone };
  }

  @FieldResolver(() => CartAddressType, { nullable: true, description: 'The delivery address. Null until setShippingAddress.' })
  shippingAddress(@Root() cart: Cart): CartAddressType | null {
    return cart.shippingAddress?.postalCode ? cart.shippingAddress : null;
  }

  @FieldResolver(() => [CartLineType], { description: 'In the order they were added.' })
  async lines(@Root() cart: Cart, @Ctx() ctx: Context) {
    const e = await cartEvaluation(ctx).load(cart.id);
    const views = lineViews(e);
    return e.lines.map((l) => views.get(l.line.id)!);
  }

  @FieldResolver(() => [CartGroupType], { description: 'Lines by seller: the admin seller first, then guest sellers by concatenation code.' })
  async groups(@Root() cart: Cart, @Ctx() ctx: Context): Promise<CartGroupType[]> {
    const e = await cartEvaluation(ctx).load(cart.id);
    const views = lineViews(e);
    const sellers = new Map(e.lines.map((l) => [l.seller.id, l.seller]));
    const m = (cents: number) => money(cents, e.settings.currency);
    return e.pricing.groups.map((g) => ({
      seller: sellers.get(g.seller.id)!,
      position: g.position,
      lines: g.lines.map((l) => views.get(l.key)!),
      merchandiseTotal: m(g.merchandiseCents),
      weight: g.weightGrams,
      freightShare: m(g.freightCents),
      discountShare: m(g.discountCents),
      campaignDiscount: m(g.campaignDiscountCents),
      freightDiscount: m(g.freightDiscountCents),
      total: m(g.totalCents),
    }));
  }

  @FieldResolver(() => CartTotalsType, { description: 'The cart\'s figures, summed over its lines.' })
  async totals(@Root() cart: Cart, @Ctx() ctx: Context): Promise<CartTotalsType> {
    const e = await cartEvaluation(ctx).load(cart.id);
    const m = (cents: number) => money(cents, e.settings.currency);
    const p = e.pricing;
    return { merchandise: m(p.merchandiseCents), discount: m(p.discountCents), campaignDiscount: m(p.campaignDiscountCents), freightDiscount: m(p.freightDiscountCents), freight: m(p.freightCents), total: m(p.totalCents) };
  }

  @FieldResolver(() => [CartAppliedDiscountType], { description: 'Promotions and the coupon applied, in application order (without payment-method discounts: see paymentOptions).' })
  async discounts(@Root() cart: Cart, @Ctx() ctx: Context): Promise<CartAppliedDiscountType[]> {
    const e = await cartEvaluation(ctx).load(cart.id);
    return e.discounts.map((d) => ({ name: d.name, code: d.code, amount: money(d.amountCents, e.settings.currency) }));
  }

  @FieldResolver(() => CartVoucherType, { nullable: true, description: 'The coupon entered, whether or not it applies now. Null when none.' })
  async voucher(@Root() cart: Cart, @Ctx() ctx: Context): Promise<CartVoucherType | null> {
    const v = (await cartEvaluation(ctx).load(cart.id)).voucher;
    return v && { code: v.code, applied: v.applied, problem: v.problem ? { code: v.problem.code, message: v.problem.message } : null };
  }

  @FieldResolver(() => CartFreeShippingType, { nullable: true, description: 'Set when a free-shipping promotion waives the freight.' })
  async freeShipping(@Root() cart: Cart, @Ctx() ctx: Context): Promise<CartFreeShippingType | null> {
    const f = (await cartEvaluation(ctx).load(cart.id)).freeShipping;
    return f && { name: f.name, code: f.code };
  }

  @FieldResolver(() => ShippingQuoteType, { nullable: true, description: 'The options for the current address and lines; null without an address or lines, or when nothing ships there (shippingProblem).' })
  async shippingQuote(@Root() cart: Cart, @Ctx() ctx: Context): Promise<ShippingQuoteType | null> {
    const e = await cartEvaluation(ctx).load(cart.id);
    return e.quote && toShippingQuoteType(e.quote, e.settings.currency);
  }

  @FieldResolver(() => UserError, { nullable: true, description: 'NO_FREIGHT_AVAILABLE when nothing can ship the cart to its address.' })
  async shippingProblem(@Root() cart: Cart, @Ctx() ctx: Context) {
    return (await cartEvaluation(ctx).load(cart.id)).shippingProblem;
  }

  @FieldResolver(() => ShippingOptionType, { nullable: true, description: 'The chosen option while it is still offered, else the cheapest.' })
  async selectedShipping(@Root() cart: Cart, @Ctx() ctx: Context): Promise<ShippingOptionType | null> {
    const e = await cartEvaluation(ctx).load(cart.id);
    return e.shipping && toShippingOptionType(e.shipping, e.settings.currency);
  }

  @FieldResolver(() => Boolean, { description: 'True when the cart is OPEN and nothing is missing.' })
  async readyForCheckout(@Root() cart: Cart, @Ctx() ctx: Context) {
    return cart.status === 'OPEN' && (await cartEvaluation(ctx).load(cart.id)).missing.length === 0;
  }

  @FieldResolver(() => [CartRequirementEnum], { description: 'What the cart still needs before checkout; empty when it is ready.' })
  async missing(@Root() cart: Cart, @Ctx() ctx: Context) {
    return (await cartEvaluation(ctx).load(cart.id)).missing;
  }

  @FieldResolver(() => [CartPaymentOptionType], { description: 'The total for each single way to pay that earns a discount: a payment-method promotion (e.g. Pix à vista) or a payment-conditioned campaign, which applies only when the whole cart is paid by qualifying methods.' })
  async paymentOptions(@Root() cart: Cart, @Ctx() ctx: Context): Promise<CartPaymentOptionType[]> {
    const e = await cartEvaluation(ctx).load(cart.id);
    if (e.lines.length === 0) return [];
    const m = (cents: number) => money(cents, e.settings.currency);
    const out: CartPaymentOptionType[] = [];
    for (const p of PAYMENT_CHOICES) {
      const { discounts, pricing } = await e.reprice(p.choice, p.installments);
      // Shown when paying this way earns something the cart as priced does not have.
      const earns = discounts.some((d) => d.kind === 'PAYMENT_METHOD') || pricing.campaignDiscountCents > e.pricing.campaignDiscountCents;
      if (earns) out.push({ method: p.method, installments: p.installments, discount: m(pricing.discountCents), campaignDiscount: m(pricing.campaignDiscountCents), total: m(pricing.totalCents) });
    }
    return out;
  }
}

/** Runs a cart mutation and drops this request's cached evaluation, so the payload shows the new state. */
async function mutateCart(ctx: Context, work: (em: EntityManager) => Promise<Cart>) {
  const result = await runMutation(ctx.em, async (em) => ({ cart: await work(em) }));
  if (result.cart) cartEvaluation(ctx).clear(result.cart.id);
  return result;
}
