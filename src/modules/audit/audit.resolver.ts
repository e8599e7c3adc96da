import { Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../shared/runtime/index.js';
import { auditLog } from './audit.service.js';
import { AuditEntryConnection, AuditEntryType, AuditLogArgs } from './audit.types.js';

@Resolver(() => AuditEntryType)
export class AuditResolver {
  @Query(() => AuditEntryConnection, {
    description: "Who changed what and when, newest first, with each changed field's before and after: the whole store for operator owners/admins, its own seller's for a seller's owner.",
  })
  auditLog(@Args(() => AuditLogArgs) args: AuditLogArgs, @Ctx() ctx: Context) {
    return auditLog(ctx, args);
  }
}
