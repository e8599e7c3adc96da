import { ArgsType, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { MaxChars, SEARCH_MAX_CHARS } from '../../shared/validation/index.js';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionArgs } from '../../shared/pagination/index.js';
import { BrandType, CategoryType, ColorType, SizeType, TagType } from './catalog.types.js';

@ArgsType()
export class AttributeListArgs extends ConnectionArgs {
  @MaxChars(SEARCH_MAX_CHARS)
  @Field(() => String, { nullable: true, description: 'Part of the name, ignoring case.' })
  search?: string;
}

@ArgsType()
export class CategoryListArgs extends AttributeListArgs {
  @Field(() => ID, { nullable: true, description: "Only this category's direct children, by position then name." })
  parentId?: string;

  @Field(() => Boolean, { nullable: true, description: 'Only top-level categories, by position then name (e.g. for a menu).' })
  rootsOnly?: boolean;
}

@InputType({ description: 'On update, unset fields stay as they are.' })
export class CategoryInput {
  @Field(() => String, { nullable: true, description: 'Required to create; unique among its siblings, ignoring case.' })
  name?: string;

  @Field(() => String, {
    nullable: true,
    description: 'Lower-case letters, digits and "-", unique in the store. Derived from the name on create when left out; kept on rename.',
  })
  slug?: string;

  @Field(() => ID, { nullable: true, description: 'The parent category. On update, null moves it (and its subtree) to the top level.' })
  parentId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Order among its siblings (0 first).' })
  position?: number;
}

@InputType({ description: 'On update, unset fields stay as they are.' })
export class BrandInput {
  @Field(() => String, { nullable: true, description: 'Required to create; unique, ignoring case.' })
  name?: string;
}

@InputType({ description: 'On update, unset fields stay as they are.' })
export class ColorInput {
  @Field(() => String, { nullable: true, description: 'Required to create; unique, ignoring case.' })
  name?: string;

  @Field(() => String, { nullable: true, description: 'Swatch as "#RRGGBB"; null clears it.' })
  hex?: string | null;
}

@InputType({ description: 'On update, unset fields stay as they are.' })
export class SizeInput {
  @Field(() => String, { nullable: true, description: 'Required to create; unique, ignoring case.' })
  name?: string;

  @Field(() => Int, { nullable: true, description: 'Order in size pickers (0 first), e.g. P, M, G.' })
  position?: number;
}

@InputType({ description: 'On update, unset fields stay as they are.' })
export class TagInput {
  @Field(() => String, { nullable: true, description: 'Required to create; unique, ignoring case.' })
  name?: string;
}

@ObjectType({ description: 'Result of creating or changing a category.' })
export class CategoryPayload {
  @Field(() => CategoryType, { nullable: true, description: 'The category as it is after the change. Null when refused.' })
  category?: CategoryType;

  @Field(() => [UserError], { description: 'Why the input was refused (e.g. a duplicate slug is CONFLICT, moving under its own subtree is BAD_USER_INPUT); empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of creating or changing a brand.' })
export class BrandPayload {
  @Field(() => BrandType, { nullable: true, description: 'The brand as it is after the change. Null when refused.' })
  brand?: BrandType;

  @Field(() => [UserError], { description: 'Why the input was refused (e.g. a duplicate name is CONFLICT); empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of creating or changing a colour.' })
export class ColorPayload {
  @Field(() => ColorType, { nullable: true, description: 'The colour as it is after the change. Null when refused.' })
  color?: ColorType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of creating or changing a size.' })
export class SizePayload {
  @Field(() => SizeType, { nullable: true, description: 'The size as it is after the change. Null when refused.' })
  size?: SizeType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of creating or changing a tag.' })
export class TagPayload {
  @Field(() => TagType, { nullable: true, description: 'The tag as it is after the change. Null when refused.' })
  tag?: TagType;

  @Field(() => [UserError], { description: 'Why the input was refused; empty on success. Nothing was changed when it is not empty.' })
  userErrors!: UserError[];
}

@ObjectType({ description: 'Result of deleting a store attribute.' })
export class DeleteAttributePayload {
  @Field(() => ID, { nullable: true, description: 'The id that was deleted; null when the deletion was refused.' })
  deletedId?: string;

  @Field(() => [UserError], { description: 'Why the deletion was refused (CONFLICT while the attribute is in use); empty on success.' })
  userErrors!: UserError[];
}
