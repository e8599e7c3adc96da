import { Field, ObjectType } from 'type-graphql';
import { ErrorCode } from './errors.js';

@ObjectType({ description: 'Why a mutation refused its input. Nothing was changed.' })
export class UserError {
  @Field(() => ErrorCode, { description: 'What went wrong, as a stable code to switch on.' })
  code!: ErrorCode;

  @Field(() => String, { description: 'A human-readable explanation in English, fit to show to the person who filled the form. Its wording may change; switch on `code`, not on this text.' })
  message!: string;

  @Field(() => [String], { nullable: true, description: 'Path of the input field at fault, e.g. ["input", "document"].' })
  field?: string[];
}
