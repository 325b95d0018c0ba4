/** Lists the requests the actor may see: an agency its own, the desk the whole queue. */
import type { Actor } from '../core/actor.ts';
import { scopeOf, type RequestRecord } from '../core/model.ts';
import type { Page } from '../core/pagination.ts';
import type { Repositories, Transactor } from '../core/ports.ts';
import { listRequestsQuerySchema } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';

export interface ListRequestsDeps {
  readonly store: Transactor<Pick<Repositories, 'requests'>>;
}

export async function listRequests(deps: ListRequestsDeps, actor: Actor, input: unknown): Promise<Page<RequestRecord>> {
  requirePermission(actor, 'request.read');
  const query = parseInput(listRequestsQuerySchema, input);
  return deps.store.read.requests.list(scopeOf(actor), query);
}
