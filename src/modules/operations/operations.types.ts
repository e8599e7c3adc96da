import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { ConnectionArgs, ConnectionType } from '../../shared/pagination/index.js';

@ObjectType('AttentionItem', {
  description:
    'Something a background pass keeps failing on — a fraud analysis whose capture the provider refuses, an unpaid payment that cannot be expired, an idempotency key whose abandoned request cannot be recovered automatically. The pass backs off between tries; once it failed 5 times (the default bound) the item waits here for operator staff (it is still retried at the longest back-off, and leaves the list when it succeeds).',
})
export class AttentionItemType {
  @Field(() => ID, { description: 'The attention item itself (not the failing item: see subjectId).' })
  id!: string;

  @Field(() => String, {
    description: 'The pass that fails on it: fraud-resume, payment-expiry, payout-run (one seller\'s payout in a run; the item is the seller), or claim:<scope> for an idempotency key (claim:checkout, claim:payment-release).',
  })
  source!: string;

  @Field(() => String, { description: "The item's id in its own table (fraud analysis, payment transaction, idempotency claim)." })
  subjectId!: string;

  @Field(() => String, { description: 'What to look for, e.g. "cart 100231" or "checkout key …".' })
  label!: string;

  @Field(() => Int, { description: 'Failures so far.' })
  failures!: number;

  @Field(() => String, { description: 'The last failure, as the pass saw it.' })
  lastError!: string;

  @Field(() => DateTimeResolver, { description: 'When the pass first failed on it (since its last success).' })
  firstFailedAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When the pass last failed on it.' })
  lastFailedAt!: Date;

  @Field(() => DateTimeResolver, { description: 'When the pass tries it again.' })
  nextAttemptAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it reached the bound and started waiting for operator staff; null while it is only backing off.' })
  attentionSince!: Date | null;
}

export const AttentionItemConnection = ConnectionType('AttentionItem', AttentionItemType);

@ArgsType()
export class AttentionItemArgs extends ConnectionArgs {
  @Field(() => Boolean, {
    nullable: true,
    description: 'Also list items that failed but are still being retried on their own (default false: only those waiting for operator staff).',
  })
  includeRetrying?: boolean;

  @Field(() => String, { nullable: true, description: 'Only items of this pass (fraud-resume, payment-expiry, claim:checkout, …).' })
  source?: string;
}
