/**
 * Lists the requests the actor may see: an agency its own, the desk the whole queue. Each page read is one
 * `request.list_viewed` event naming the requests it showed.
 */
import type { Actor } from '../core/actor.ts';
import { scopeOf, type RequestRecord } from '../core/model.ts';
import type { Page } from '../core/pagination.ts';
import type { Repositories, Transactor } from '../core/ports.ts';
import { listRequestsQuerySchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';

export interface ListRequestsDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'audit'>>;
}

export async function listRequests(deps: ListRequestsDeps, actor: Actor, input: unknown): Promise<Page<RequestRecord>> {
  requirePermission(actor, 'request.read');
  const query = parseInput(listRequestsQuerySchema, input);
  const page = await deps.store.read.requests.list(scopeOf(actor), query);
  await deps.store.read.audit.append(actor, {
    type: 'request.list_viewed',
    data: {
      list: 'requests',
      requestIds: page.items.map((request) => request.id),
      filtered: query.q !== undefined || query.state !== undefined || query.kind !== undefined,
      next: page.nextCursor !== null,
    },
  });
  return page;
}
