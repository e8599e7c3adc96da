import { Field, ObjectType } from 'type-graphql';
import { ErrorCode } from './errors.js';

@ObjectType({ description: 'Why a mutation refused its input. Nothing was changed.' })
export class UserError {
  @Field(() => ErrorCode)
  code!: ErrorCode;

  @Field(() => String)
  message!: string;

  @Field(() => [String], { nullable: true, description: 'Path of the input field at fault, e.g. ["input", "document"].' })
  field?: string[];
}
