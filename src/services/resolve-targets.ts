/**
 * The desk looks a request's targets up on the platform before deciding: which accounts each identifier names, or
 * that it names none. It reads user data (account names), so it is for those who review, and each look-up is an
 * audited view. It reads no records: productions do that, within the decision.
 */
import type { Actor } from '../core/actor.ts';
import type { PlatformAccount, PlatformConnector } from '../core/connector.ts';
import { WritError } from '../core/errors.ts';
import { normalizeIdentifier, type NormalizedIdentifier } from '../core/identifiers.ts';
import type { TargetRecord } from '../core/model.ts';
import type { Repositories, Transactor } from '../core/ports.ts';
import { loadRequest, requirePermission } from './common.ts';

export interface ResolveTargetsDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'audit'>>;
  readonly connector: Pick<PlatformConnector, 'resolve' | 'name'>;
}

export interface TargetResolution {
  readonly targetId: string;
  readonly position: number;
  readonly kind: TargetRecord['kind'];
  readonly value: string;
  /** The form that was looked up (`core/identifiers.ts`). */
  readonly lookedUp: Pick<NormalizedIdentifier, 'kind' | 'value'>;
  readonly status: 'found' | 'not_found';
  readonly accounts: readonly PlatformAccount[];
}

/** At most this many targets are looked up in one call; a bigger request is resolved target by target. */
export const RESOLVE_AT_ONCE = 100;

export async function resolveTargets(
  deps: ResolveTargetsDeps,
  actor: Actor,
  input: { reference: string; targetId?: string | undefined },
): Promise<{ connector: string; items: TargetResolution[]; truncated: boolean }> {
  requirePermission(actor, 'request.resolve');
  const request = await loadRequest(deps.store.read.requests, actor, input.reference);
  const targets = await deps.store.read.requests.targets(request.id);
  const chosen = input.targetId ? targets.filter((target) => target.id === input.targetId) : targets.slice(0, RESOLVE_AT_ONCE);
  if (input.targetId && chosen.length === 0) throw new WritError('NOT_FOUND', 'The request has no such target.');
  const items: TargetResolution[] = [];
  // One at a time: the platform's database is someone else's, and a request may name many accounts.
  for (const target of chosen) {
    const identifier = normalizeIdentifier(target.kind, target.value, request.jurisdiction);
    const outcome = await deps.connector.resolve(identifier);
    items.push({
      targetId: target.id,
      position: target.position,
      kind: target.kind,
      value: target.value,
      lookedUp: { kind: identifier.kind, value: identifier.value },
      status: outcome.status,
      accounts: outcome.status === 'found' ? outcome.accounts : [],
    });
  }
  await deps.store.read.audit.append(actor, {
    type: 'request.targets_resolved',
    requestId: request.id,
    data: { targets: items.length, found: items.filter((item) => item.status === 'found').length },
  });
  return { connector: deps.connector.name, items, truncated: !input.targetId && targets.length > chosen.length };
}
