import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { ConnectionArgs } from '../../shared/pagination/index.js';
import * as help from './help.service.js';
import { FaqArticleConnection, FaqArticleInput, FaqArticlePayload, FaqArticleType, FaqFilter } from './help.types.js';

@Resolver(() => FaqArticleType)
export class HelpResolver {
  @Query(() => FaqArticleConnection, { description: 'Help articles by topic and position: published ones for seller users, drafts too for operator writers.' })
  faqArticles(@Arg('filter', () => FaqFilter, { nullable: true, description: 'Topic, full-text search (Portuguese) and, for operator staff, drafts; null lists every published article.' }) filter: FaqFilter | null, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return help.searchFaq(ctx, filter ?? {}, args);
  }

  @Mutation(() => FaqArticlePayload, { description: 'Writes a help article (operator owners, admins, support).' })
  createFaqArticle(@Arg('input', () => FaqArticleInput, { description: 'Topic, title, body and whether it is published.' }) input: FaqArticleInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ article: help.createFaqArticle(ctx, em, input) }));
  }

  @Mutation(() => FaqArticlePayload, { description: 'Changes or publishes a help article (operator owners, admins, support).' })
  updateFaqArticle(@Arg('id', () => ID, { description: "The article's id." }) id: string, @Arg('input', () => FaqArticleInput, { description: 'The whole article as it should read (topic, title, body, published).' }) input: FaqArticleInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ article: await help.updateFaqArticle(ctx, em, id, input) }));
  }
}
