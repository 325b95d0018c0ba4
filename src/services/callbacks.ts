/**
 * Callbacks: someone at the desk phones the requesting agency on the number in the directory — never one from the
 * request — and records what the call gave. An emergency request releases nothing without a confirmed one.
 */
import type { Actor } from '../core/actor.ts';
import type { CallbackRecord } from '../core/emergency.ts';
import { WritError } from '../core/errors.ts';
import type { RequestRecord } from '../core/model.ts';
import type { Clock, Repositories, Transactor } from '../core/ports.ts';
import { OPEN_STATES } from '../core/request.ts';
import { callbackInputSchema, followUpInputSchema } from '../core/schemas.ts';
import { loadRequest, parseInput, recordRead, requirePermission } from './common.ts';

export interface CallbackDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'organisations' | 'callbacks' | 'notes' | 'audit'>>;
  readonly clock: Clock;
}

export async function recordCallback(
  deps: CallbackDeps,
  actor: Actor,
  input: { reference: string; body: unknown },
): Promise<CallbackRecord> {
  requirePermission(actor, 'request.callback');
  const callback = parseInput(callbackInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    if (!OPEN_STATES.has(request.state)) {
      throw new WritError('INVALID_TRANSITION', 'This request is no longer open; a callback changes nothing now.', {
        state: request.state,
      });
    }
    const agency = await repositories.organisations.find(request.agencyId);
    if (!agency?.verificationPhone) {
      throw new WritError(
        'DIRECTORY_PHONE_MISSING',
        'The agency directory has no verification number for this agency; an admin records one from an official source first (PATCH /api/v1/agencies/{id}). Never call a number given in the request.',
      );
    }
    const recorded = await repositories.callbacks.insert({
      requestId: request.id,
      calledBy: actor.userId,
      phone: agency.verificationPhone,
      outcome: callback.outcome,
      spokeWith: callback.spokeWith ?? null,
      note: callback.note ?? null,
      calledAt: deps.clock.now(),
    });
    await repositories.audit.append(actor, {
      type: 'request.callback_recorded',
      requestId: request.id,
      data: { callbackId: recorded.id, outcome: recorded.outcome },
    });
    return recorded;
  });
}

export async function listCallbacks(
  deps: Pick<CallbackDeps, 'store'>,
  actor: Actor,
  input: { reference: string },
): Promise<CallbackRecord[]> {
  requirePermission(actor, 'request.read_notes');
  const request = await loadRequest(deps.store.read.requests, actor, input.reference);
  const callbacks = await deps.store.read.callbacks.list(request.id);
  await recordRead(deps.store.read.audit, actor, request.id, 'callbacks');
  return callbacks;
}

/** The desk records that the legal process an approved emergency request promised has come. */
export async function recordFollowUp(
  deps: CallbackDeps,
  actor: Actor,
  input: { reference: string; body: unknown },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.decide');
  const followUp = parseInput(followUpInputSchema, input.body ?? {});
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    if (request.kind !== 'emergency' || request.followUp.due === null) {
      throw new WritError('INVALID_TRANSITION', 'Only an approved emergency request has follow-up legal process to record.', {
        state: request.state,
      });
    }
    if (request.followUp.receivedAt !== null) return request;
    const now = deps.clock.now();
    await repositories.requests.setFollowUp(request.id, { receivedAt: now });
    if (followUp.note) {
      await repositories.notes.insert({
        requestId: request.id,
        authorId: actor.userId,
        body: `Follow-up legal process received: ${followUp.note}`,
      });
    }
    await repositories.audit.append(actor, {
      type: 'request.follow_up_received',
      requestId: request.id,
      data: { due: request.followUp.due, late: now.getTime() > Date.parse(request.followUp.due) },
    });
    return { ...request, followUp: { ...request.followUp, receivedAt: now.toISOString() } };
  });
}
