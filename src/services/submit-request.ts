/** An officer submits a request; the receipt is issued only after the commit. */
import type { Actor } from '../core/actor.ts';
import { canonicalJson } from '../core/canonical.ts';
import { WritError } from '../core/errors.ts';
import { networkOf } from '../core/networks.ts';
import type { Clock, Repositories, Secrets, Transactor } from '../core/ports.ts';
import { formatTrackingNumber, type RequestState } from '../core/request.ts';
import { submitRequestSchema, type SubmitRequestInput } from '../core/schemas.ts';
import { parseInput, requirePermission } from './common.ts';
import { once } from './idempotency.ts';

export interface Receipt {
  readonly trackingNumber: string;
  readonly state: RequestState;
  readonly payloadSha256: string;
  readonly receivedAt: string;
  readonly documents: ReadonlyArray<{ readonly id: string; readonly sha256: string }>;
}

export interface SubmitRequestDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'documents' | 'users' | 'audit' | 'outbox' | 'idempotency'>>;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
  readonly clock: Clock;
  /** Requests one person may send in an hour; the next waits (429) until the earliest of them is an hour old. */
  readonly submissionsPerHour: number;
}

// Kinds that stand on a legal instrument the desk must read; emergency and assistance requests may come without one.
const NEEDS_DOCUMENT = new Set(['disclosure', 'preservation', 'removal', 'prospective']);

/**
 * Validates and stores a request in state `received`, with its targets, attached documents, audit event and the outbox
 * row that starts verification, in one transaction. With an idempotency key, a retry returns the first receipt.
 */
export async function submitRequest(
  deps: SubmitRequestDeps,
  actor: Actor,
  input: { readonly payload: unknown; readonly idempotencyKey?: string | undefined },
): Promise<Receipt & { readonly replayed: boolean }> {
  requirePermission(actor, 'request.submit');
  const request: SubmitRequestInput = parseInput(submitRequestSchema, input.payload);
  const payloadSha256 = deps.secrets.sha256Hex(canonicalJson(input.payload));
  if (NEEDS_DOCUMENT.has(request.kind) && request.legalProcess.documentIds.length === 0) {
    throw new WritError('DOCUMENT_REQUIRED', `A ${request.kind} request needs its legal process document; upload it first.`);
  }
  await rateLimit(deps, actor, input.idempotencyKey);
  const network = networkOf(actor.ip);
  const { result, replayed } = await once(
    deps,
    actor,
    { scope: 'submit-request', key: input.idempotencyKey, input: input.payload },
    async (repositories) => {
      const sequence = await repositories.requests.nextTrackingSequence();
      const trackingNumber = formatTrackingNumber(deps.clock.now().getUTCFullYear(), sequence);
      const stored = await repositories.requests.insert(
        {
          trackingNumber,
          agencyId: actor.organisationId,
          officerId: actor.userId,
          kind: request.kind,
          jurisdiction: request.jurisdiction,
          caseReference: request.caseReference ?? null,
          summary: request.summary ?? null,
          legalProcess: {
            instrumentType: request.legalProcess.instrumentType,
            issuingAuthority: request.legalProcess.issuingAuthority ?? null,
            issuerType: request.legalProcess.issuerType ?? null,
            reference: request.legalProcess.reference ?? null,
            issuedOn: request.legalProcess.issuedOn ?? null,
          },
          categories: request.categories,
          dateRange: request.dateRange ?? null,
          offence: request.offence ?? null,
          nonDisclosure: { ordered: request.nonDisclosure?.ordered ?? false, until: request.nonDisclosure?.until ?? null },
          deadline: request.deadline ?? null,
          emergency: request.emergency ?? null,
          facts: request.facts ?? null,
          payloadSha256,
          senderNetwork: network,
        },
        request.targets.map((target, position) => ({ position, kind: target.kind, value: target.value, note: target.note ?? null })),
      );
      const documentIds = [...new Set(request.legalProcess.documentIds)];
      const documents = await repositories.documents.attach(actor.organisationId, documentIds, stored.id);
      if (documents.length !== documentIds.length) {
        throw new WritError('DOCUMENT_NOT_FOUND', 'A document is unknown or already attached to another request.');
      }
      await repositories.audit.append(actor, {
        type: 'request.submitted',
        requestId: stored.id,
        data: { trackingNumber, payloadSha256, kind: request.kind },
      });
      if (network) await repositories.users.usedNetwork(actor.userId, network, deps.clock.now(), false);
      await repositories.outbox.add('request.verify', { requestId: stored.id });
      const receipt: Receipt = { trackingNumber, state: stored.state, payloadSha256, receivedAt: stored.receivedAt, documents };
      return receipt;
    },
  );
  return { ...result, replayed };
}

/**
 * More than the hourly limit of submissions from one person is refused before anything is stored, and audited: a
 * stolen account or a runaway script cannot flood the desk. (A smaller burst is accepted and held: `core/anomalies.ts`.)
 */
async function rateLimit(deps: SubmitRequestDeps, actor: Actor, idempotencyKey: string | undefined): Promise<void> {
  const now = deps.clock.now();
  const { count, earliest } = await deps.store.read.requests.sentSince(
    actor.userId,
    new Date(now.getTime() - 3_600_000),
    deps.submissionsPerHour,
  );
  if (count < deps.submissionsPerHour) return;
  // A retry of a request already received still gets its receipt.
  if (idempotencyKey && (await deps.store.read.idempotency.find(actor.userId, 'submit-request', idempotencyKey))) return;
  const retryAfterSeconds = Math.max(1, Math.ceil(((earliest?.getTime() ?? now.getTime()) + 3_600_000 - now.getTime()) / 1000));
  await deps.store.read.audit.append(actor, { type: 'request.submission_throttled', data: { sentInLastHour: count, retryAfterSeconds } });
  throw new WritError('RATE_LIMITED', `More than ${deps.submissionsPerHour} requests in an hour; wait before sending another.`, {
    retryAfterSeconds,
  });
}
