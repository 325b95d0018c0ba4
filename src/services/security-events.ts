/**
 * Failed and suspicious attempts, for auditors and admins: failed and throttled logins, rejected credentials, refused
 * routes, held requests, directory and account status changes. Newest first, with where they came from.
 */
import type { Actor } from '../core/actor.ts';
import { SECURITY_EVENT_TYPES } from '../core/audit.ts';
import type { Page } from '../core/pagination.ts';
import type { AuditEntry, Repositories, Transactor } from '../core/ports.ts';
import { securityEventsQuerySchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';

export async function listSecurityEvents(
  deps: { readonly store: Transactor<Pick<Repositories, 'audit'>> },
  actor: Actor,
  query: unknown,
): Promise<Page<AuditEntry>> {
  requirePermission(actor, 'audit.security');
  const { type, limit, cursor } = parseInput(securityEventsQuerySchema, query ?? {});
  const page = await deps.store.read.audit.list({ types: type ? [type] : SECURITY_EVENT_TYPES, limit, cursor });
  // They hold the addresses attempts came from: reading them is an event too.
  await deps.store.transaction((repositories) =>
    repositories.audit.append(actor, {
      type: 'audit.security_events_viewed',
      data: { count: page.items.length, ...(type ? { filter: type } : {}) },
    }),
  );
  return page;
}
