/** Reads one request with everything the actor may see of it; desk-internal notes only for the desk. */
import { can, sideOf, type Actor } from '../core/actor.ts';
import type { HoldReason } from '../core/anomalies.ts';
import { WritError } from '../core/errors.ts';
import { scopeOf } from '../core/model.ts';
import type {
  DecisionRecord,
  DocumentRecord,
  MessageRecord,
  NoteRecord,
  RequestRecord,
  TargetRecord,
  TimelineEntry,
} from '../core/model.ts';
import type { Repositories, Transactor } from '../core/ports.ts';
import { allowedEvents, type RequestEvent } from '../core/transitions.ts';
import { loadRequest, recordRead, requirePermission } from './common.ts';

export interface RequestView {
  readonly request: RequestRecord;
  readonly targets: readonly TargetRecord[];
  readonly documents: readonly DocumentRecord[];
  readonly messages: readonly MessageRecord[];
  readonly decisions: readonly DecisionRecord[];
  /** Desk only; absent for agencies. */
  readonly notes?: readonly NoteRecord[];
  /** Desk only: why verification held the request for the desk to confirm its requester (the latest hold). */
  readonly holds?: readonly HoldReason[];
  readonly timeline: readonly TimelineEntry[];
  /** What this actor can do next. */
  readonly allowedEvents: readonly RequestEvent[];
}

export interface GetRequestDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'documents' | 'messages' | 'notes' | 'decisions' | 'audit'>>;
}

export async function getRequest(deps: GetRequestDeps, actor: Actor, input: { readonly reference: string }): Promise<RequestView> {
  requirePermission(actor, 'request.read');
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    const [targets, documents, messages, decisions, timeline] = await Promise.all([
      repositories.requests.targets(request.id),
      repositories.documents.listForRequest(request.id),
      repositories.messages.list(request.id),
      repositories.decisions.list(request.id),
      repositories.audit.timeline(request.id),
    ]);
    const isDesk = sideOf(actor) !== 'agency';
    const notes = isDesk && can(actor, 'request.read_notes') ? await repositories.notes.list(request.id) : undefined;
    const held = isDesk ? timeline.filter((entry) => entry.type === 'request.held').at(-1) : undefined;
    await recordRead(repositories.audit, actor, request.id, undefined);
    return {
      request,
      targets,
      documents,
      messages,
      decisions,
      ...(notes ? { notes } : {}),
      ...(held ? { holds: held.data.reasons as RequestView['holds'] } : {}),
      // Agencies see their request's progress, not who at the desk looked at it, what made verification hold it, nor
      // the first of two approvals the desk's own policy asks for.
      timeline: isDesk ? timeline : timeline.filter((entry) => !DESK_ONLY_EVENTS.has(entry.type)),
      allowedEvents: allowedEvents(request.kind, request.state, sideOf(actor)),
    };
  });
}

const DESK_ONLY_EVENTS: ReadonlySet<string> = new Set(['request.viewed', 'request.held', 'request.approval_recorded', 'review.rerun']);

export interface RequestStatus {
  readonly trackingNumber: string;
  readonly kind: RequestRecord['kind'];
  readonly state: RequestRecord['state'];
  readonly version: number;
  readonly receivedAt: string;
  readonly updatedAt: string;
}

/**
 * Where a request stands, for polling. It tells who asked what and where that stands, so reading it is recorded (a
 * poll that repeats within a minute is covered by the first read: src/core/read-trail.ts).
 */
export async function getRequestStatus(
  deps: { readonly store: Transactor<Pick<Repositories, 'requests' | 'audit'>> },
  actor: Actor,
  input: { readonly reference: string },
): Promise<RequestStatus> {
  requirePermission(actor, 'request.read');
  const status = await deps.store.read.requests.status(scopeOf(actor), input.reference);
  if (!status) throw new WritError('REQUEST_NOT_FOUND', 'No such request.');
  const { id, ...shown } = status;
  await recordRead(deps.store.read.audit, actor, id, 'status');
  return shown;
}
