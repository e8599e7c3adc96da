import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { Money } from '../../shared/money/index.js';
import { ConnectionType } from '../../shared/pagination/index.js';
import { DocumentType, SellerType } from '../sellers/index.js';
import { CartStatus } from './carts.entity.js';

registerEnumType(CartStatus, { name: 'CartStatus' });

export enum CartRequirementEnum {
  BUYER = 'BUYER',
  ADDRESS = 'ADDRESS',
  LINES = 'LINES',
  SHIPPING = 'SHIPPING',
}
registerEnumType(CartRequirementEnum, {
  name: 'CartRequirement',
  description: 'What a cart still needs before checkout.',
  valuesConfig: {
    BUYER: { description: "The buyer's name, e-mail, CPF/CNPJ and phone (setBuyer)." },
    ADDRESS: { description: 'The delivery address (setShippingAddress).' },
    LINES: { description: 'Products: the cart is empty, or a line cannot be bought as it is (see CartLine.problem).' },
    SHIPPING: { description: 'A shipping option: none is offered until an address is set, or none ships to it (see Cart.shippingProblem).' },
  },
});

export enum CartPaymentMethod {
  PIX = 'PIX',
  CARD = 'CARD',
  BANK_DEPOSIT = 'BANK_DEPOSIT',
}
registerEnumType(CartPaymentMethod, { name: 'CartPaymentMethod', description: 'A single way to pay that may carry a store-wide payment-method discount.' });

/**
 * The cart as the storefront sees it. The root object is the Cart entity; the figures come
 * from one evaluation per cart per request (carts.resolver.ts), the same one the checkout uses.
 */
@ObjectType('Cart')
export class CartType {
  @Field(() => ID)
  id!: string;

  @Field(() => CartStatus)
  status!: CartStatus;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}

@ObjectType('CartBuyer', { description: 'Who buys. The full document is shown to operator staff only; shoppers see it masked.' })
export class CartBuyerType {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  email!: string;

  @Field(() => DocumentType)
  documentType!: DocumentType;

  @Field(() => String, { description: 'CPF/CNPJ with only the last digits visible, e.g. ***.***.*89-09.' })
  maskedDocument!: string;

  @Field(() => String, { nullable: true, description: 'The whole CPF/CNPJ. Operator staff only.' })
  document!: string;

  @Field(() => String, { description: 'Area code and number, digits only.' })
  phone!: string;
}

@ObjectType('CartAddress')
export class CartAddressType {
  @Field(() => String)
  recipient!: string;

  @Field(() => String)
  street!: string;

  @Field(() => String)
  number!: string;

  @Field(() => String, { nullable: true })
  complement?: string | null;

  @Field(() => String)
  district!: string;

  @Field(() => String)
  city!: string;

  @Field(() => String, { description: 'UF.' })
  state!: string;

  @Field(() => String, { description: 'CEP, 8 digits.' })
  postalCode!: string;
}

@ObjectType('CartLine', { description: 'One SKU of the cart, with its seller and its share of the cart discount and freight.' })
export class CartLineType {
  @Field(() => ID)
  id!: string;

  @Field(() => SellerType)
  seller!: SellerType;

  @Field(() => String, { description: 'Displayed SKU code.' })
  skuCode!: string;

  @Field(() => String, { description: 'Displayed product code.' })
  productCode!: string;

  @Field(() => String)
  productName!: string;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Money, { description: "The SKU's current price." })
  unitPrice!: Money;

  @Field(() => Money, { nullable: true, description: 'The price the shopper last confirmed, when the current one differs: the checkout answers PRICE_CHANGED until the line is updated.' })
  confirmedUnitPrice?: Money | null;

  @Field(() => Money, { description: 'quantity × unitPrice.' })
  merchandiseTotal!: Money;

  @Field(() => String, { nullable: true, description: "The running campaign that discounts the line for the cart's payment as priced here (none chosen: campaigns that need no payment condition; see paymentOptions)." })
  campaignName?: string | null;

  @Field(() => Money, { description: 'The campaign discount of the line, all units (a part of discountShare); 0 without a campaign.' })
  campaignDiscount!: Money;

  @Field(() => Money, { description: 'The campaign price of one unit: unitPrice (the list price) less the campaign discount per unit; equal to unitPrice without a campaign.' })
  campaignPrice!: Money;

  @Field(() => Money, { description: "Every discount on the line: its campaign discount, its share of the cart's discounts (by merchandise after campaign discounts) and of its seller's freight campaign." })
  discountShare!: Money;

  @Field(() => Money)
  freightShare!: Money;

  @Field(() => Money, { description: 'merchandiseTotal − discountShare + freightShare.' })
  total!: Money;

  @Field(() => Int, { description: 'Grams, all units.' })
  weight!: number;

  @Field(() => UserError, { nullable: true, description: 'Why the line cannot be bought as it is: NOT_FOUND (no longer on sale), MARKETPLACE_DISABLED or OUT_OF_STOCK.' })
  problem?: UserError | null;
}

@ObjectType('CartGroup', { description: "One seller's part of the cart: the order it becomes at checkout." })
export class CartGroupType {
  @Field(() => SellerType)
  seller!: SellerType;

  @Field(() => Int, { description: "1-based; the admin seller first, then guest sellers by concatenation code (the order code's n)." })
  position!: number;

  @Field(() => [CartLineType])
  lines!: CartLineType[];

  @Field(() => Money)
  merchandiseTotal!: Money;

  @Field(() => Int, { description: 'Grams.' })
  weight!: number;

  @Field(() => Money, { description: 'Share of the freight, by weight.' })
  freightShare!: Money;

  @Field(() => Money, { description: "Campaign line discounts, plus the share of the cart's discounts (by merchandise after campaign discounts), plus the seller's freight campaign discount." })
  discountShare!: Money;

  @Field(() => Money, { description: 'The campaign line discounts of the group (a part of discountShare).' })
  campaignDiscount!: Money;

  @Field(() => Money, { description: "What the seller's freight campaign takes off this group's freight share (a part of discountShare, funded by the seller)." })
  freightDiscount!: Money;

  @Field(() => Money)
  total!: Money;
}

@ObjectType('CartTotals')
export class CartTotalsType {
  @Field(() => Money)
  merchandise!: Money;

  @Field(() => Money, { description: 'Every discount: campaign line discounts, promotions and the coupon, freight campaigns.' })
  discount!: Money;

  @Field(() => Money, { description: 'The campaign line discounts (a part of discount).' })
  campaignDiscount!: Money;

  @Field(() => Money, { description: 'The freight campaign discounts (a part of discount).' })
  freightDiscount!: Money;

  @Field(() => Money)
  freight!: Money;

  @Field(() => Money)
  total!: Money;
}

@ObjectType('CartAppliedDiscount', { description: 'A promotion or coupon applied to the cart.' })
export class CartAppliedDiscountType {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'The coupon code; null for automatic promotions.' })
  code?: string | null;

  @Field(() => Money)
  amount!: Money;
}

@ObjectType('CartVoucher')
export class CartVoucherType {
  @Field(() => String)
  code!: string;

  @Field(() => Boolean)
  applied!: boolean;

  @Field(() => UserError, { nullable: true, description: 'Why the coupon does not apply now (VOUCHER_INVALID, VOUCHER_EXHAUSTED).' })
  problem?: UserError | null;
}

@ObjectType('CartFreeShipping', { description: 'The promotion that waives the freight.' })
export class CartFreeShippingType {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  code?: string | null;
}

@ObjectType('CartPaymentOption', { description: 'The cart total when paid by one method alone that earns a discount: a payment-method promotion or a payment-conditioned campaign (cash price, or tied to the method).' })
export class CartPaymentOptionType {
  @Field(() => CartPaymentMethod)
  method!: CartPaymentMethod;

  @Field(() => Int, { description: 'Card installments (1 = à vista).' })
  installments!: number;

  @Field(() => Money, { description: 'All discounts with this method.' })
  discount!: Money;

  @Field(() => Money, { description: 'The campaign line discounts with this method (a part of discount).' })
  campaignDiscount!: Money;

  @Field(() => Money)
  total!: Money;
}

export const CartConnection = ConnectionType('Cart', CartType);

@InputType()
export class CreateCartInput {
  @Field(() => String, { nullable: true, description: 'Assisted sale: the e-mail of an existing customer. Sales agents and operator owners/admins only.' })
  customerEmail?: string;
}

@InputType()
export class CartBuyerInput {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String, { description: 'CPF or CNPJ (numeric or alphanumeric), with or without mask.' })
  document!: string;

  @Field(() => String, { description: 'With area code, e.g. (11) 98765-4321.' })
  phone!: string;
}

@InputType()
export class CartAddressInput {
  @Field(() => String)
  recipient!: string;

  @Field(() => String)
  street!: string;

  @Field(() => String)
  number!: string;

  @Field(() => String, { nullable: true })
  complement?: string;

  @Field(() => String)
  district!: string;

  @Field(() => String)
  city!: string;

  @Field(() => String, { description: 'UF, e.g. SP.' })
  state!: string;

  @Field(() => String, { description: 'CEP, e.g. 01310-100.' })
  postalCode!: string;
}

@ObjectType()
export class CartPayload {
  @Field(() => CartType, { nullable: true })
  cart?: CartType;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

@ObjectType()
export class CreateCartPayload {
  @Field(() => CartType, { nullable: true })
  cart?: CartType;

  @Field(() => String, { nullable: true, description: 'The cart token (mkc_…): shown only once; it is the only way to reach the cart.' })
  token?: string;

  @Field(() => [UserError])
  userErrors!: UserError[];
}
