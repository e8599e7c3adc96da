import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { runMutation } from '../../shared/errors/index.js';
import { ConnectionArgs } from '../../shared/pagination/index.js';
import * as help from './help.service.js';
import { FaqArticleConnection, FaqArticleInput, FaqArticlePayload, FaqArticleType, FaqFilter } from './help.types.js';

@Resolver(() => FaqArticleType)
export class HelpResolver {
  @Query(() => FaqArticleConnection, { description: 'Help articles by topic and position: published ones for seller users, drafts too for operator writers.' })
  faqArticles(@Arg('filter', () => FaqFilter, { nullable: true }) filter: FaqFilter | null, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context) {
    return help.searchFaq(ctx, filter ?? {}, args);
  }

  @Mutation(() => FaqArticlePayload, { description: 'Writes a help article (operator owners, admins, support).' })
  createFaqArticle(@Arg('input', () => FaqArticleInput) input: FaqArticleInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ article: help.createFaqArticle(ctx, em, input) }));
  }

  @Mutation(() => FaqArticlePayload, { description: 'Changes or publishes a help article (operator owners, admins, support).' })
  updateFaqArticle(@Arg('id', () => ID) id: string, @Arg('input', () => FaqArticleInput) input: FaqArticleInput, @Ctx() ctx: Context) {
    return runMutation(ctx.em, async (em) => ({ article: await help.updateFaqArticle(ctx, em, id, input) }));
  }
}
