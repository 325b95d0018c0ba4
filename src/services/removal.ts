/**
 * Removal orders. The desk decides, per item of content named by URL or id, to remove it, restrict it in the
 * requesting country (or the countries it names), or keep it, each with the statement of reasons its author is given
 * (DSA Art. 17(3)); that decision and the `actioned` state commit together with the job that has the connector act.
 * The job acts on the platform (safe to repeat), records what it did once, emits `removal.actioned` per action, and
 * plans the author's notice with the statement of reasons. A connector that cannot act answers `not_supported`.
 */
import { sideOf, SYSTEM_ACTOR, type Actor } from '../core/actor.ts';
import type { ActOutcome, PlatformConnector, RemovalAction } from '../core/connector.ts';
import { WritError } from '../core/errors.ts';
import { normalizeContent } from '../core/identifiers.ts';
import type { RequestRecord } from '../core/model.ts';
import type { Clock, RemovalActionRecord, Repositories, Transactor } from '../core/ports.ts';
import { removalInputSchema } from '../core/schemas.ts';
import { applyTransition, loadRequest, parseInput, recordRead, requirePermission } from './common.ts';
import { planNoticesIn, type NoticePlanDeps } from './notices.ts';

export interface ActDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'removals' | 'audit' | 'outbox'>>;
}

/** The desk acts on a removal order: every item of content decided, in one transaction with the state change. */
export async function actOnRemoval(
  deps: ActDeps,
  actor: Actor,
  input: { reference: string; body: unknown; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.act');
  const { items } = parseInput(removalInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    if (request.kind !== 'removal') throw new WritError('INVALID_TRANSITION', 'Only a removal order is acted on.');
    const targets = await repositories.requests.targets(request.id);
    const ids = new Set(targets.map((target) => target.id));
    const decided = new Set<string>();
    for (const item of items) {
      if (!ids.has(item.targetId)) throw new WritError('DECISION_SCOPE_INVALID', 'An item names a target this request does not have.');
      if (decided.has(item.targetId)) throw new WritError('DECISION_SCOPE_INVALID', 'An item of content is decided twice.');
      decided.add(item.targetId);
    }
    if (decided.size !== ids.size) throw new WritError('DECISION_SCOPE_INVALID', 'Decide every item of content the order names.');
    const home = /^[A-Z]{2}$/.test(request.jurisdiction) ? [request.jurisdiction] : undefined;
    const changed = await applyTransition(repositories, actor, request, 'action_removal', input.expectedVersion);
    await repositories.removals.insert(
      items.map((item) => {
        const countries = item.action === 'restricted' ? (item.countries ?? home) : [];
        if (!countries) {
          throw new WritError('VALIDATION_FAILED', 'Name the countries to restrict in: the order comes from more than one.', {
            errors: [{ path: 'items.countries', message: 'required for this jurisdiction' }],
          });
        }
        return {
          requestId: request.id,
          targetId: item.targetId,
          action: item.action,
          countries,
          reasons: item.reasons,
          decidedBy: actor.userId,
        };
      }),
    );
    return changed;
  });
}

export async function getRemoval(
  deps: { readonly store: Transactor<Pick<Repositories, 'requests' | 'removals' | 'audit'>> },
  actor: Actor,
  input: { reference: string },
): Promise<RemovalActionRecord[]> {
  requirePermission(actor, 'request.read');
  const request = await loadRequest(deps.store.read.requests, actor, input.reference);
  const actions = await deps.store.read.removals.forRequest(request.id);
  await recordRead(deps.store.read.audit, actor, request.id, 'removal');
  // A removal order discloses nothing: who wrote the content stays with the platform.
  return sideOf(actor) === 'agency' ? actions.map((action) => ({ ...action, authorAccount: null })) : actions;
}

export interface RunRemovalDeps extends Pick<NoticePlanDeps, 'review'> {
  readonly store: Transactor<
    Pick<Repositories, 'requests' | 'documents' | 'organisations' | 'productions' | 'notices' | 'removals' | 'schedule' | 'audit'>
  >;
  readonly connector: PlatformConnector;
  readonly clock: Clock;
}

/** The `request.act-on-removal` job. */
export async function runRemoval(deps: RunRemovalDeps, input: { requestId: string }): Promise<RemovalActionRecord[]> {
  const request = await deps.store.read.requests.find({ kind: 'desk' }, input.requestId);
  if (!request || request.kind !== 'removal' || request.state !== 'actioned') return [];
  const pending = (await deps.store.read.removals.forRequest(request.id)).filter((action) => action.state === 'pending');
  if (pending.length === 0) return [];
  const targets = new Map((await deps.store.read.requests.targets(request.id)).map((target) => [target.id, target]));
  // The platform is acted on outside Writ's transaction; acting twice on the same content changes nothing more.
  const outcomes: Array<{ action: RemovalActionRecord; acted: ActOutcome }> = [];
  for (const action of pending) {
    const target = targets.get(action.targetId);
    const content = normalizeContent(target?.kind ?? 'other', target?.value ?? '');
    const acted = deps.connector.act
      ? await deps.connector.act(action.action, content, { countries: action.countries, reference: request.trackingNumber })
      : {
          status: 'not_supported' as const,
          detail: `The ${deps.connector.name} connector cannot act on the platform; act there by hand and record it.`,
        };
    outcomes.push({ action, acted });
  }
  return deps.store.transaction(async (repositories) => {
    const now = deps.clock.now();
    const counts = new Map<RemovalAction, number>();
    const notify: string[] = [];
    for (const { action, acted } of outcomes) {
      const recorded = await repositories.removals.record(action.id, {
        state: acted.status,
        contentId: acted.status === 'done' ? acted.contentId : null,
        authorAccount: acted.status === 'done' ? acted.authorAccountId : null,
        detail: acted.detail,
        at: now,
      });
      if (!recorded || acted.status !== 'done') continue;
      counts.set(action.action, (counts.get(action.action) ?? 0) + 1);
      // The author of content taken down or withheld is given the statement of reasons (DSA Art. 17; TCO Art. 11).
      if (action.action !== 'kept' && acted.authorAccountId) notify.push(action.targetId);
    }
    for (const [action, items] of counts) {
      await repositories.audit.append(SYSTEM_ACTOR, { type: 'removal.actioned', requestId: request.id, data: { action, items } });
    }
    const current = await repositories.requests.find({ kind: 'desk' }, request.id);
    if (current) await planNoticesIn(repositories, deps, current, notify, 'removal');
    return repositories.removals.forRequest(request.id);
  });
}
