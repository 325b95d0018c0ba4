/** Starting a production (counsel), and reading and downloading its package (the agency, and the desk). */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { ProductionRecord, RequestRecord } from '../core/model.ts';
import type { Clock, EvidenceStore, Repositories, Transactor } from '../core/ports.ts';
import { emergencyReleaseRefusal } from '../core/emergency.ts';
import type { DeliveryReceipt } from '../core/audit-log.ts';
import { deliveryReceipt, type ReceiptDeps } from './audit-log.ts';
import { applyTransition, loadRequest, recordRead, requirePermission } from './common.ts';

export interface StartProductionDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'messages' | 'audit' | 'outbox' | 'decisions' | 'callbacks'>>;
}

/**
 * Counsel starts the production of a decided request. An emergency request is checked once more against its callbacks
 * and the decision it rests on, so no path releases its data without a confirmed call and a second person.
 */
export async function startProduction(
  deps: StartProductionDeps,
  actor: Actor,
  input: { reference: string; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.produce');
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    if (request.kind === 'emergency') {
      const decision = (await repositories.decisions.list(request.id)).at(-1);
      const refusal = emergencyReleaseRefusal(request, await repositories.callbacks.list(request.id), {
        userId: decision?.decidedBy ?? '',
        // Only counsel can have approved an emergency request (checked at approval).
        isCounsel: decision !== undefined,
      });
      if (refusal) throw new WritError(refusal.code, refusal.detail);
    }
    return applyTransition(repositories, actor, request, 'start_production', input.expectedVersion);
  });
}

export interface ProductionDeps extends Omit<ReceiptDeps, 'store'> {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'productions' | 'organisations' | 'audit' | 'auditTree'>>;
  readonly evidence: Pick<EvidenceStore, 'archive'>;
  readonly clock: Clock;
}

/** The name of the receipt file delivered beside the bag (not inside it: the bag was signed before its event was placed). */
export const receiptFileName = (productionId: string): string => `writ-receipt-${productionId}.json`;

/** A production, and once it is delivered its receipt (the tree head and the inclusion proof of its event). */
export async function getProduction(
  deps: ProductionDeps,
  actor: Actor,
  input: { reference: string },
): Promise<ProductionRecord & { receipt: DeliveryReceipt | null }> {
  requirePermission(actor, 'request.read');
  const request = await loadRequest(deps.store.read.requests, actor, input.reference);
  const production = await deps.store.read.productions.latestForRequest(request.id);
  if (!production) throw new WritError('PRODUCTION_NOT_FOUND', 'This request has no production yet.');
  const receipt =
    production.state === 'completed' ? await deliveryReceipt(deps, { productionId: production.id, requestId: request.id }) : null;
  // What was found per target and category is user data: reading it is an event.
  await recordRead(deps.store.read.audit, actor, request.id, 'production');
  return { ...production, receipt };
}

/** The receipt of a delivered production, for the agency to keep beside its package. */
export async function getDeliveryReceipt(deps: ProductionDeps, actor: Actor, input: { reference: string }): Promise<DeliveryReceipt> {
  requirePermission(actor, 'request.read');
  const request = await loadRequest(deps.store.read.requests, actor, input.reference);
  const production = await deps.store.read.productions.latestForRequest(request.id);
  if (production?.state !== 'completed') throw new WritError('PRODUCTION_NOT_FOUND', 'This request has no finished production.');
  const receipt = await deliveryReceipt(deps, { productionId: production.id, requestId: request.id });
  await recordRead(deps.store.read.audit, actor, request.id, 'receipt');
  return receipt;
}

/**
 * The package as a tar archive, or age-encrypted to the recipient the requesting agency registered; every download is
 * recorded, and none after the package expires.
 */
export async function downloadProduction(
  deps: ProductionDeps,
  actor: Actor,
  input: { reference: string; encrypted?: boolean; part?: number | undefined },
): Promise<{ production: ProductionRecord; trackingNumber: string; encrypted: boolean; content: AsyncIterable<Uint8Array> }> {
  requirePermission(actor, 'production.download');
  // The receipt travels in the archive beside the bag; it is made (once) before the download is recorded.
  const finished = await deps.store.read.productions.latestForRequest(
    (await loadRequest(deps.store.read.requests, actor, input.reference)).id,
  );
  const receipt =
    finished?.state === 'completed' ? await deliveryReceipt(deps, { productionId: finished.id, requestId: finished.requestId }) : undefined;
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    // A prospective order delivers in parts: any one of them by its number, else the latest.
    const production =
      input.part === undefined
        ? await repositories.productions.latestForRequest(request.id)
        : (await repositories.productions.parts(request.id)).filter((candidate) => candidate.part === input.part).at(-1);
    if (production?.state !== 'completed') throw new WritError('PRODUCTION_NOT_FOUND', 'This request has no finished production.');
    if (production.availableUntil && Date.parse(production.availableUntil) < deps.clock.now().getTime()) {
      throw new WritError(
        'PRODUCTION_EXPIRED',
        'This package is no longer available for download; ask the desk to make it available again.',
      );
    }
    const encrypted = input.encrypted === true;
    const recipient = encrypted ? (await repositories.organisations.find(request.agencyId))?.ageRecipient : undefined;
    if (encrypted && !recipient) {
      throw new WritError(
        'ENCRYPTION_KEY_MISSING',
        'The agency has not registered an age recipient; register one (PUT /api/v1/agency/encryption-key) or download unencrypted.',
      );
    }
    await repositories.productions.recordDownload(production.id, actor.userId);
    await repositories.audit.append(actor, {
      type: 'production.downloaded',
      requestId: request.id,
      data: { productionId: production.id, encrypted },
    });
    return {
      production,
      trackingNumber: request.trackingNumber,
      encrypted,
      content: deps.evidence.archive(production.id, {
        ...(recipient ? { ageRecipient: recipient } : {}),
        ...(receipt?.productionId === production.id
          ? { besideBag: [{ name: receiptFileName(production.id), content: Buffer.from(`${JSON.stringify(receipt, null, 2)}\n`) }] }
          : {}),
      }),
    };
  });
}
