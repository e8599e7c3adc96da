import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { ConnectionArgs, connectionFromArray } from '../../shared/pagination/index.js';
import type { Category } from './attributes.entity.js';
import { childrenByParentId } from './attributes.loaders.js';
import * as attributes from './attributes.service.js';
import { AttributeListArgs, BrandInput, BrandPayload, CategoryInput, CategoryListArgs, CategoryPayload, ColorInput, ColorPayload, DeleteAttributePayload, SizeInput, SizePayload, TagInput, TagPayload } from './attributes.types.js';
import { categoryById } from './catalog.loaders.js';
import { BrandConnection, CategoryConnection, CategoryType, ColorConnection, SizeConnection, TagConnection } from './catalog.types.js';

@Resolver(() => CategoryType)
export class CategoryResolver {
  @Query(() => CategoryConnection, {
    description:
      'Without parentId or rootsOnly: every category in tree order (each subtree contiguous, parents first). With them: one level, by position then name.',
  })
  categories(@Args(() => CategoryListArgs) args: CategoryListArgs, @Ctx() ctx: Context) {
    return attributes.listCategories(ctx, args);
  }

  @Query(() => CategoryType, { nullable: true, description: 'A category by id or slug.' })
  category(
    @Arg('id', () => ID, { nullable: true, description: 'Id of the category. Give `id` or `slug`.' }) id: string | undefined,
    @Arg('slug', () => String, { nullable: true, description: 'Slug of the category, e.g. `moda-feminina`. Give `id` or `slug`.' }) slug: string | undefined,
    @Ctx() ctx: Context,
  ) {
    return attributes.findCategory(ctx, { id, slug });
  }

  @FieldResolver(() => CategoryType, { nullable: true, description: 'The parent category. Null for a top-level category.' })
  parent(@Root() c: Category, @Ctx() ctx: Context) {
    return c.parent ? categoryById(ctx).load(c.parent.id) : null;
  }

  @FieldResolver(() => CategoryConnection, { description: 'Direct subcategories, by position then name.' })
  async children(@Root() c: Category, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return connectionFromArray(await childrenByParentId(ctx).load(c.id), args);
  }

  @FieldResolver(() => [CategoryType], { description: 'From the top-level category down to the parent, for breadcrumbs.' })
  async ancestors(@Root() c: Category, @Ctx() ctx: Context) {
    const found = await categoryById(ctx).loadMany(attributes.ancestorIds(c));
    return found.filter((x): x is Category => !!x && !(x instanceof Error));
  }

  @Mutation(() => CategoryPayload, { description: 'Adds a category to the store\'s tree. Operator owners/admins and attribute-permitted integrations.' })
  createCategory(@Arg('input', () => CategoryInput, { description: 'The new category; `name` is required, `parentId` places it under another.' }) input: CategoryInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ category: await attributes.createCategory(ctx, em, input) }));
  }

  @Mutation(() => CategoryPayload, { description: 'Rename, re-slug, reorder, or move with its whole subtree (parentId; null for the top level).' })
  updateCategory(@Arg('id', () => ID, { description: 'Id of the category to change.' }) id: string, @Arg('input', () => CategoryInput, { description: 'The fields to change; unset fields stay as they are.' }) input: CategoryInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ category: await attributes.updateCategory(ctx, em, id, input) }));
  }

  @Mutation(() => DeleteAttributePayload, { description: 'Refused (CONFLICT) while it has subcategories or products.' })
  deleteCategory(@Arg('id', () => ID, { description: 'Id of the category to delete.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ deletedId: await attributes.deleteCategory(ctx, em, id) }));
  }
}

@Resolver()
export class AttributeResolver {
  @Query(() => BrandConnection, { description: 'Brands by name.' })
  brands(@Args(() => AttributeListArgs) args: AttributeListArgs, @Ctx() ctx: Context) {
    return attributes.listBrands(ctx, args);
  }

  @Query(() => ColorConnection, { description: 'Colours by name.' })
  colors(@Args(() => AttributeListArgs) args: AttributeListArgs, @Ctx() ctx: Context) {
    return attributes.listColors(ctx, args);
  }

  @Query(() => SizeConnection, { description: 'Sizes by position, then name.' })
  sizes(@Args(() => AttributeListArgs) args: AttributeListArgs, @Ctx() ctx: Context) {
    return attributes.listSizes(ctx, args);
  }

  @Query(() => TagConnection, { description: 'Tags by name.' })
  tags(@Args(() => AttributeListArgs) args: AttributeListArgs, @Ctx() ctx: Context) {
    return attributes.listTags(ctx, args);
  }

  @Mutation(() => BrandPayload, { description: 'Adds a brand to the store. Operator owners/admins and attribute-permitted integrations.' })
  createBrand(@Arg('input', () => BrandInput, { description: 'The new brand; `name` is required.' }) input: BrandInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ brand: await attributes.saveBrand(ctx, em, null, input) }));
  }

  @Mutation(() => BrandPayload, { description: 'Renames a brand. Operator owners/admins and attribute-permitted integrations.' })
  updateBrand(@Arg('id', () => ID, { description: 'Id of the brand to change.' }) id: string, @Arg('input', () => BrandInput, { description: 'The new name.' }) input: BrandInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ brand: await attributes.saveBrand(ctx, em, id, input) }));
  }

  @Mutation(() => DeleteAttributePayload, { description: 'Refused (CONFLICT) while products use it.' })
  deleteBrand(@Arg('id', () => ID, { description: 'Id of the brand to delete.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ deletedId: await attributes.deleteBrand(ctx, em, id) }));
  }

  @Mutation(() => ColorPayload, { description: 'Adds a colour to the store. Operator owners/admins and attribute-permitted integrations.' })
  createColor(@Arg('input', () => ColorInput, { description: 'The new colour; `name` is required.' }) input: ColorInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ color: await attributes.saveColor(ctx, em, null, input) }));
  }

  @Mutation(() => ColorPayload, { description: 'Renames a colour or changes its swatch. Operator owners/admins and attribute-permitted integrations.' })
  updateColor(@Arg('id', () => ID, { description: 'Id of the colour to change.' }) id: string, @Arg('input', () => ColorInput, { description: 'The fields to change; unset fields stay as they are.' }) input: ColorInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ color: await attributes.saveColor(ctx, em, id, input) }));
  }

  @Mutation(() => DeleteAttributePayload, { description: 'Refused (CONFLICT) while SKUs use it.' })
  deleteColor(@Arg('id', () => ID, { description: 'Id of the colour to delete.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ deletedId: await attributes.deleteColor(ctx, em, id) }));
  }

  @Mutation(() => SizePayload, { description: 'Adds a size to the store. Operator owners/admins and attribute-permitted integrations.' })
  createSize(@Arg('input', () => SizeInput, { description: 'The new size; `name` is required.' }) input: SizeInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ size: await attributes.saveSize(ctx, em, null, input) }));
  }

  @Mutation(() => SizePayload, { description: 'Renames or reorders a size. Operator owners/admins and attribute-permitted integrations.' })
  updateSize(@Arg('id', () => ID, { description: 'Id of the size to change.' }) id: string, @Arg('input', () => SizeInput, { description: 'The fields to change; unset fields stay as they are.' }) input: SizeInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ size: await attributes.saveSize(ctx, em, id, input) }));
  }

  @Mutation(() => DeleteAttributePayload, { description: 'Refused (CONFLICT) while SKUs use it.' })
  deleteSize(@Arg('id', () => ID, { description: 'Id of the size to delete.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ deletedId: await attributes.deleteSize(ctx, em, id) }));
  }

  @Mutation(() => TagPayload, { description: 'Adds a tag to the store. Operator owners/admins and attribute-permitted integrations.' })
  createTag(@Arg('input', () => TagInput, { description: 'The new tag; `name` is required.' }) input: TagInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ tag: await attributes.saveTag(ctx, em, null, input) }));
  }

  @Mutation(() => TagPayload, { description: 'Renames a tag. Operator owners/admins and attribute-permitted integrations.' })
  updateTag(@Arg('id', () => ID, { description: 'Id of the tag to change.' }) id: string, @Arg('input', () => TagInput, { description: 'The new name.' }) input: TagInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ tag: await attributes.saveTag(ctx, em, id, input) }));
  }

  @Mutation(() => DeleteAttributePayload, { description: 'Refused (CONFLICT) while products carry it.' })
  deleteTag(@Arg('id', () => ID, { description: 'Id of the tag to delete.' }) id: string, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ deletedId: await attributes.deleteTag(ctx, em, id) }));
  }
}
