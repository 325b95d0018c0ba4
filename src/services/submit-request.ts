/** An officer submits a request; the receipt is issued only after the commit. */
import type { Actor } from '../core/actor.ts';
import { canonicalJson } from '../core/canonical.ts';
import { WritError } from '../core/errors.ts';
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
  readonly store: Transactor<Pick<Repositories, 'requests' | 'documents' | 'audit' | 'outbox' | 'idempotency'>>;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
  readonly clock: Clock;
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
          payloadSha256,
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
      await repositories.outbox.add('request.verify', { requestId: stored.id });
      const receipt: Receipt = { trackingNumber, state: stored.state, payloadSha256, receivedAt: stored.receivedAt, documents };
      return receipt;
    },
  );
  return { ...result, replayed };
}
