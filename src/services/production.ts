/** Starting a production (counsel), and reading and downloading its package (the agency, and the desk). */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { ProductionRecord, RequestRecord } from '../core/model.ts';
import type { Clock, EvidenceStore, Repositories, Transactor } from '../core/ports.ts';
import { changeState, loadRequest, requirePermission, type StateChangeDeps } from './common.ts';

export async function startProduction(
  deps: StateChangeDeps,
  actor: Actor,
  input: { reference: string; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.produce');
  return changeState(deps, actor, { ...input, event: 'start_production' });
}

export interface ProductionDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'productions' | 'audit'>>;
  readonly evidence: Pick<EvidenceStore, 'archive'>;
  readonly clock: Clock;
}

export async function getProduction(
  deps: Pick<ProductionDeps, 'store'>,
  actor: Actor,
  input: { reference: string },
): Promise<ProductionRecord> {
  requirePermission(actor, 'request.read');
  const request = await loadRequest(deps.store.read.requests, actor, input.reference);
  const production = await deps.store.read.productions.latestForRequest(request.id);
  if (!production) throw new WritError('PRODUCTION_NOT_FOUND', 'This request has no production yet.');
  return production;
}

/** The package as a tar archive; every download is recorded, and none after the package expires. */
export async function downloadProduction(
  deps: ProductionDeps,
  actor: Actor,
  input: { reference: string },
): Promise<{ production: ProductionRecord; trackingNumber: string; content: AsyncIterable<Uint8Array> }> {
  requirePermission(actor, 'production.download');
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    const production = await repositories.productions.latestForRequest(request.id);
    if (production?.state !== 'completed') throw new WritError('PRODUCTION_NOT_FOUND', 'This request has no finished production.');
    if (production.availableUntil && Date.parse(production.availableUntil) < deps.clock.now().getTime()) {
      throw new WritError(
        'PRODUCTION_EXPIRED',
        'This package is no longer available for download; ask the desk to make it available again.',
      );
    }
    await repositories.productions.recordDownload(production.id, actor.userId);
    await repositories.audit.append(actor, { type: 'production.downloaded', requestId: request.id, data: { productionId: production.id } });
    return { production, trackingNumber: request.trackingNumber, content: deps.evidence.archive(production.id) };
  });
}
