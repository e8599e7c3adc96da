import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { UserError } from '../../shared/errors/index.js';
import { ConnectionType } from '../../shared/pagination/index.js';
import { FaqStatus } from './help.entity.js';

registerEnumType(FaqStatus, {
  name: 'FaqStatus',
  description: 'Whether sellers can read a help article.',
  valuesConfig: { DRAFT: { description: 'Being written; operator staff only.' }, PUBLISHED: { description: 'Readable by seller users.' } },
});

@ObjectType('FaqArticle', { description: 'A help article for sellers, written by operator staff.' })
export class FaqArticleType {
  @Field(() => ID, { description: 'The article id.' })
  id!: string;

  @Field(() => String, { description: 'The topic sellers browse by.' })
  topic!: string;

  @Field(() => String, { description: 'The question or headline the article answers, as shown in the help list.' })
  title!: string;

  @Field(() => String, { description: 'The text (Markdown).' })
  body!: string;

  @Field(() => FaqStatus, { description: 'Draft or published.' })
  status!: FaqStatus;

  @Field(() => Int, { description: 'Order within the topic (ascending).' })
  position!: number;

  @Field(() => DateTimeResolver, { description: 'Last change.' })
  updatedAt!: Date;
}

export const FaqArticleConnection = ConnectionType('FaqArticle', FaqArticleType);

@InputType({ description: 'Finds help articles.' })
export class FaqFilter {
  @Field(() => String, { nullable: true, description: 'Only this topic.' })
  topic?: string | null;

  @Field(() => String, { nullable: true, description: 'Words to find in the title or text (Portuguese full-text search).' })
  text?: string | null;

  @Field(() => FaqStatus, { nullable: true, description: 'Operator writers: only drafts or only published ones (seller users always get published ones).' })
  status?: FaqStatus | null;
}

@InputType({ description: 'A help article; on update, fields left out stay as they are.' })
export class FaqArticleInput {
  @Field(() => String, { nullable: true, description: 'Topic, up to 80 characters (required to create).' })
  topic?: string | null;

  @Field(() => String, { nullable: true, description: 'Title, up to 200 characters (required to create).' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Text in Markdown (required to create).' })
  body?: string | null;

  @Field(() => FaqStatus, { nullable: true, description: 'DRAFT (the default) or PUBLISHED.' })
  status?: FaqStatus | null;

  @Field(() => Int, { nullable: true, description: 'Order within the topic.' })
  position?: number | null;
}

@ObjectType({ description: 'The result of a help article change.' })
export class FaqArticlePayload {
  @Field(() => FaqArticleType, { nullable: true, description: 'The article as it is now.' })
  article?: FaqArticleType;

  @Field(() => [UserError], { description: 'Why the change was refused.' })
  userErrors!: UserError[];
}
