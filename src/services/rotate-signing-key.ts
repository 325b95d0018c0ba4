/** Rotating the platform's signing key: new productions are signed with a new key; every old key stays published. */
import type { Actor } from '../core/actor.ts';
import type { EvidenceStore, Repositories, Transactor } from '../core/ports.ts';
import { requirePermission } from './common.ts';

export interface RotateKeyDeps {
  readonly store: Transactor<Pick<Repositories, 'audit'>>;
  readonly evidence: Pick<EvidenceStore, 'signingKeys' | 'rotateSigningKey'>;
}

export async function rotateSigningKey(
  deps: RotateKeyDeps,
  actor: Actor,
): Promise<{ id: string; fingerprint: string; previous: string | null }> {
  requirePermission(actor, 'key.rotate');
  const previous = (await deps.evidence.signingKeys())[0]?.fingerprint ?? null;
  const key = await deps.evidence.rotateSigningKey();
  await deps.store.transaction((repositories) =>
    repositories.audit.append(actor, { type: 'key.rotated', data: { keyId: key.id, fingerprint: key.fingerprint, previous } }),
  );
  return { ...key, previous };
}
