import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { Money } from '../../shared/money/index.js';
import { ConnectionType } from '../../shared/pagination/index.js';
import { DocumentType, SellerType } from '../sellers/index.js';
import { CartStatus } from './carts.entity.js';

registerEnumType(CartStatus, {
  name: 'CartStatus',
  description: 'Whether a cart can still change.',
  valuesConfig: {
    CHECKED_OUT: { description: 'The checkout created its orders; the cart refuses every change.' },
    OPEN: { description: 'Being filled; it can change and check out.' },
  },
});

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
registerEnumType(CartPaymentMethod, {
  name: 'CartPaymentMethod',
  description: 'A single way to pay that may carry a store-wide payment-method discount.',
  valuesConfig: {
    BANK_DEPOSIT: { description: 'Bank deposit, confirmed later by operator staff.' },
    CARD: { description: 'Credit card in one installment (à vista).' },
    PIX: { description: 'Pix, paid at once.' },
  },
});

/**
 * The cart as the storefront sees it. The root object is the Cart entity; the figures come
 * from one evaluation per cart per request (carts.resolver.ts), the same one the checkout uses.
 */
@ObjectType('Cart', { description: 'A shopping cart with lines of one or more sellers. Reached by its secret cart token (mkc_…), which acts as the key: anyone holding it may read and change the cart. Every figure is in BRL centavos and is recomputed on each read from current prices, stock, promotions and freight.' })
export class CartType {
  @Field(() => ID, { description: 'Opaque id of the cart (not the token: the id alone gives no access).' })
  id!: string;

  @Field(() => CartStatus, { description: 'OPEN while it can change; CHECKED_OUT once its orders were created.' })
  status!: CartStatus;

  @Field(() => DateTimeResolver, { description: 'When the cart was created (ISO 8601, UTC).' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When the cart last changed (ISO 8601, UTC).' })
  updatedAt!: Date;
}

@ObjectType('CartBuyer', { description: 'Who buys. The full document is shown to operator staff only; shoppers see it masked.' })
export class CartBuyerType {
  @Field(() => String, { description: 'The buyer\'s full name.' })
  name!: string;

  @Field(() => String, { description: 'The buyer\'s e-mail; order e-mails go there.' })
  email!: string;

  @Field(() => DocumentType, { description: 'Whether the buyer\'s document is a CPF or a CNPJ.' })
  documentType!: DocumentType;

  @Field(() => String, { description: 'CPF/CNPJ with only the last digits visible, e.g. ***.***.*89-09.' })
  maskedDocument!: string;

  @Field(() => String, { nullable: true, description: 'The whole CPF/CNPJ. Operator staff only.' })
  document!: string;

  @Field(() => String, { description: 'Area code and number, digits only.' })
  phone!: string;
}

@ObjectType('CartAddress', { description: 'The delivery address of a cart.' })
export class CartAddressType {
  @Field(() => String, { description: 'Who receives the parcel.' })
  recipient!: string;

  @Field(() => String, { description: 'Street name (logradouro).' })
  street!: string;

  @Field(() => String, { description: 'Street number, as written (may be "s/n").' })
  number!: string;

  @Field(() => String, { nullable: true, description: 'Apartment, block, reference. Null when none.' })
  complement?: string | null;

  @Field(() => String, { description: 'District (bairro).' })
  district!: string;

  @Field(() => String, { description: 'City (município).' })
  city!: string;

  @Field(() => String, { description: 'UF.' })
  state!: string;

  @Field(() => String, { description: 'CEP, 8 digits.' })
  postalCode!: string;
}

@ObjectType('CartLine', { description: 'One SKU of the cart, with its seller and its share of the cart discount and freight.' })
export class CartLineType {
  @Field(() => ID, { description: 'Opaque id of the line; pass it to updateCartLine and removeCartLine.' })
  id!: string;

  @Field(() => SellerType, { description: 'Who sells this SKU.' })
  seller!: SellerType;

  @Field(() => String, { description: 'Displayed SKU code.' })
  skuCode!: string;

  @Field(() => String, { description: 'Displayed product code.' })
  productCode!: string;

  @Field(() => String, { description: 'The product\'s name.' })
  productName!: string;

  @Field(() => Int, { description: 'Units of the SKU, 1 to 999.' })
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

  @Field(() => Money, { description: 'This line\'s share of the cart\'s freight, by weight (by merchandise value when every weight is 0), largest remainder, in BRL centavos.' })
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
  @Field(() => SellerType, { description: 'The seller of these lines.' })
  seller!: SellerType;

  @Field(() => Int, { description: "1-based; the admin seller first, then guest sellers by concatenation code (the order code's n)." })
  position!: number;

  @Field(() => [CartLineType], { description: 'The seller\'s lines, in the order they were added.' })
  lines!: CartLineType[];

  @Field(() => Money, { description: 'Sum of the lines\' quantity × unit price (BRL centavos).' })
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

  @Field(() => Money, { description: 'What this seller\'s order will cost: merchandise − discount share + freight share (BRL centavos).' })
  total!: Money;
}

@ObjectType('CartTotals', { description: 'A cart\'s figures in BRL centavos, before any payment-method discount. total = merchandise − discount + freight.' })
export class CartTotalsType {
  @Field(() => Money, { description: 'Sum of quantity × unit price over every line.' })
  merchandise!: Money;

  @Field(() => Money, { description: 'Every discount: campaign line discounts, promotions and the coupon, freight campaigns.' })
  discount!: Money;

  @Field(() => Money, { description: 'The campaign line discounts (a part of discount).' })
  campaignDiscount!: Money;

  @Field(() => Money, { description: 'The freight campaign discounts (a part of discount).' })
  freightDiscount!: Money;

  @Field(() => Money, { description: 'Freight of the selected (or cheapest) shipping option; 0 when free shipping applies or before an address is set.' })
  freight!: Money;

  @Field(() => Money, { description: 'What the buyer pays: merchandise − discount + freight.' })
  total!: Money;
}

@ObjectType('CartAppliedDiscount', { description: 'A promotion or coupon applied to the cart.' })
export class CartAppliedDiscountType {
  @Field(() => String, { description: 'The promotion\'s name, as the storefront shows it.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The coupon code; null for automatic promotions.' })
  code?: string | null;

  @Field(() => Money, { description: 'How much it takes off the cart (BRL centavos).' })
  amount!: Money;
}

@ObjectType('CartVoucher', { description: 'The coupon entered on a cart.' })
export class CartVoucherType {
  @Field(() => String, { description: 'The coupon code as entered.' })
  code!: string;

  @Field(() => Boolean, { description: 'True when the coupon applies to the cart as it is now.' })
  applied!: boolean;

  @Field(() => UserError, { nullable: true, description: 'Why the coupon does not apply now (VOUCHER_INVALID, VOUCHER_EXHAUSTED).' })
  problem?: UserError | null;
}

@ObjectType('CartFreeShipping', { description: 'The promotion that waives the freight.' })
export class CartFreeShippingType {
  @Field(() => String, { description: 'The promotion\'s name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'The coupon code when a coupon waives the freight; null for an automatic promotion.' })
  code?: string | null;
}

@ObjectType('CartPaymentOption', { description: 'The cart total when paid by one method alone that earns a discount: a payment-method promotion or a payment-conditioned campaign (cash price, or tied to the method).' })
export class CartPaymentOptionType {
  @Field(() => CartPaymentMethod, { description: 'The way to pay.' })
  method!: CartPaymentMethod;

  @Field(() => Int, { description: 'Card installments (1 = à vista).' })
  installments!: number;

  @Field(() => Money, { description: 'All discounts with this method.' })
  discount!: Money;

  @Field(() => Money, { description: 'The campaign line discounts with this method (a part of discount).' })
  campaignDiscount!: Money;

  @Field(() => Money, { description: 'What the cart costs when paid this way (BRL centavos).' })
  total!: Money;
}

export const CartConnection = ConnectionType('Cart', CartType);

@InputType({ description: 'Options of a new cart.' })
export class CreateCartInput {
  @Field(() => String, { nullable: true, description: 'Assisted sale: the e-mail of an existing customer. Sales agents and operator owners/admins only.' })
  customerEmail?: string;
}

@InputType({ description: 'The buyer\'s identity, required before checkout.' })
export class CartBuyerInput {
  @Field(() => String, { description: 'The buyer\'s full name.' })
  name!: string;

  @Field(() => String, { description: 'The buyer\'s e-mail; order e-mails go there.' })
  email!: string;

  @Field(() => String, { description: 'CPF or CNPJ (numeric or alphanumeric), with or without mask.' })
  document!: string;

  @Field(() => String, { description: 'With area code, e.g. (11) 98765-4321.' })
  phone!: string;
}

@InputType({ description: 'A Brazilian delivery address. Setting it quotes the freight again.' })
export class CartAddressInput {
  @Field(() => String, { description: 'Who receives the parcel.' })
  recipient!: string;

  @Field(() => String, { description: 'Street name (logradouro).' })
  street!: string;

  @Field(() => String, { description: 'Street number, as written (may be "s/n").' })
  number!: string;

  @Field(() => String, { nullable: true, description: 'Apartment, block, reference.' })
  complement?: string;

  @Field(() => String, { description: 'District (bairro).' })
  district!: string;

  @Field(() => String, { description: 'City (município).' })
  city!: string;

  @Field(() => String, { description: 'UF, e.g. SP.' })
  state!: string;

  @Field(() => String, { description: 'CEP, e.g. 01310-100.' })
  postalCode!: string;
}

@ObjectType({ description: 'Result of a change to a cart.' })
export class CartPayload {
  @Field(() => CartType, { nullable: true, description: 'The cart as it is after the change. Null when refused.' })
  cart?: CartType;

  @Field(() => [UserError], { description: 'Why the change was refused (e.g. OUT_OF_STOCK, NOT_FOUND for an unknown token or SKU, CONFLICT for a checked-out cart); empty on success.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of createCart.' })
export class CreateCartPayload {
  @Field(() => CartType, { nullable: true, description: 'The new cart. Null when refused.' })
  cart?: CartType;

  @Field(() => String, { nullable: true, description: 'The cart token (mkc_…): shown only once; it is the only way to reach the cart.' })
  token?: string;

  @Field(() => [UserError], { description: 'Why the cart was not created (e.g. an unknown customerEmail); empty on success.' })
  userErrors!: UserError[];
}
