/** Pieces every use case shares: permission checks, scoped loading, validation and the one way state changes. */
import type { z } from 'zod';
import { can, sideOf, type Actor, type Permission } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import { refusedStringPath } from '../core/safe-strings.ts';
import { scopeOf, type MessageRecord, type RequestRecord } from '../core/model.ts';
import type { AuditLog, Outbox, Repositories, RequestRepository, Transactor } from '../core/ports.ts';
import { isRepeatRead, REPEAT_READ_LOOKBACK, type ReadPart } from '../core/read-trail.ts';
import { transition, type Effect, type RequestEvent } from '../core/transitions.ts';

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new WritError('FORBIDDEN', 'Your role does not allow this.');
}

/** Parses input with a schema; failures name the fields and what is wrong, never echo the values. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const refused = refusedStringPath(input);
  if (refused !== undefined) {
    throw new WritError('VALIDATION_FAILED', 'The input is not valid.', {
      errors: [{ path: refused, message: 'holds a NUL character or an unpaired surrogate' }],
    });
  }
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  throw new WritError('VALIDATION_FAILED', 'The input is not valid.', { errors });
}

/** A request the actor may see, or REQUEST_NOT_FOUND: another agency's request answers exactly like a missing one. */
export async function loadRequest(requests: Pick<RequestRepository, 'find'>, actor: Actor, reference: string): Promise<RequestRecord> {
  const request = await requests.find(scopeOf(actor), reference);
  if (!request) throw new WritError('REQUEST_NOT_FOUND', 'No such request.');
  return request;
}

/** Outbox topic per effect: what the job runner does after the commit. */
const EFFECT_TOPICS: Readonly<Record<Effect, string>> = {
  verify_request: 'request.verify',
  notify_agency: 'request.notify-agency',
  notify_desk: 'request.notify-desk',
  produce: 'request.produce',
  preserve: 'request.preserve',
  act_on_removal: 'request.act-on-removal',
  notify_users: 'request.plan-notices',
  release_copy: 'request.release-copy',
};

export interface TransitionPorts {
  readonly requests: Pick<RequestRepository, 'transition'>;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly outbox: Outbox;
}

/**
 * The only way a request changes state: the core table decides, a guarded update applies it, and the audit event and
 * outbox rows go in the same transaction. `expectedVersion` (from If-Match) turns a lost race into STALE_UPDATE.
 */
export async function applyTransition(
  ports: TransitionPorts,
  actor: Actor,
  request: RequestRecord,
  event: RequestEvent,
  expectedVersion?: number,
): Promise<RequestRecord> {
  const result = transition(request.kind, request.state, event, sideOf(actor));
  if (!result.ok) throw new WritError(result.code, result.reason, { state: request.state });
  if (expectedVersion !== undefined && expectedVersion !== request.version) {
    throw new WritError('STALE_UPDATE', 'The request changed since you read it; reload it and try again.', { version: request.version });
  }
  const changed = await ports.requests.transition(request.id, { from: request.state, to: result.next, version: request.version });
  if (!changed) throw new WritError('STALE_UPDATE', 'The request changed since you read it; reload it and try again.');
  await ports.audit.append(actor, {
    type: 'request.transitioned',
    requestId: request.id,
    data: { event, from: request.state, to: result.next },
  });
  for (const effect of result.effects) {
    await ports.outbox.add(EFFECT_TOPICS[effect], { requestId: request.id, event, to: result.next });
  }
  return { ...request, state: result.next, version: request.version + 1 };
}

export interface StateChangeDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'messages' | 'audit' | 'outbox'>>;
}

/**
 * Loads the request in scope, applies `event`, and lets `alongside` write what goes with it (a message, a decision) in
 * the same transaction. Returns the request as it is after the change.
 */
export async function changeState(
  deps: StateChangeDeps,
  actor: Actor,
  input: { readonly reference: string; readonly event: RequestEvent; readonly expectedVersion?: number | undefined },
  alongside?: (repositories: Pick<Repositories, 'requests' | 'messages' | 'audit' | 'outbox'>, request: RequestRecord) => Promise<void>,
): Promise<RequestRecord> {
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    const changed = await applyTransition(repositories, actor, request, input.event, input.expectedVersion);
    await alongside?.(repositories, request);
    return changed;
  });
}

/** Writes a message on the request's thread with its audit event. */
export async function postOnThread(
  repositories: Pick<Repositories, 'messages' | 'audit'>,
  actor: Actor,
  requestId: string,
  side: 'agency' | 'desk',
  body: string,
): Promise<MessageRecord> {
  const message = await repositories.messages.insert({ requestId, authorId: actor.userId, side, body });
  await repositories.audit.append(actor, { type: 'request.message_posted', requestId, data: { messageId: message.id, side } });
  return message;
}

/**
 * Records that the actor read a part of a request (`undefined`: the request in full), unless the read repeats one
 * already on the request's trail (src/core/read-trail.ts states the rule). Returns whether an event was written.
 */
export async function recordRead(
  audit: Pick<AuditLog, 'append' | 'recentForRequest'>,
  actor: Actor,
  requestId: string,
  part: ReadPart,
): Promise<boolean> {
  const recent = await audit.recentForRequest(requestId, REPEAT_READ_LOOKBACK);
  const reader = { actorUserId: actor.via === 'system' ? null : actor.userId, via: actor.via, part };
  if (isRepeatRead(recent, reader, new Date())) return false;
  await audit.append(actor, { type: 'request.viewed', requestId, data: part ? { part } : {} });
  return true;
}
