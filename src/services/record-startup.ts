/**
 * What a starting server puts on record: the platform's first signing key when it was just made, and its settings,
 * policy and rule packs when they differ from those last recorded, so that every decision can be read against the
 * configuration that was in force.
 */
import { SYSTEM_ACTOR } from '../core/actor.ts';
import type { Repositories, Transactor } from '../core/ports.ts';

export interface StartupFacts {
  /** The signing key made by this start, when there was none. */
  readonly newKey?: { readonly id: string; readonly fingerprint: string } | undefined;
  /** SHA-256 of the settings (secrets left out), of the policy and of the rule packs, as loaded. */
  readonly settingsSha256: string;
  readonly policySha256: string;
  readonly rulesSha256: string;
}

const FIELDS = [
  ['settings', 'settingsSha256'],
  ['policy', 'policySha256'],
  ['rules', 'rulesSha256'],
] as const;

export async function recordStartup(
  deps: { readonly store: Transactor<Pick<Repositories, 'audit'>> },
  facts: StartupFacts,
): Promise<{ changed: string[] }> {
  const last = (await deps.store.read.audit.list({ types: ['configuration.changed'], limit: 1 })).items[0]?.data;
  const changed = FIELDS.filter(([, field]) => last?.[field] !== facts[field]).map(([name]) => name);
  await deps.store.transaction(async ({ audit }) => {
    if (facts.newKey)
      await audit.append(SYSTEM_ACTOR, { type: 'key.created', data: { keyId: facts.newKey.id, fingerprint: facts.newKey.fingerprint } });
    if (changed.length > 0) {
      await audit.append(SYSTEM_ACTOR, {
        type: 'configuration.changed',
        data: { changed, settingsSha256: facts.settingsSha256, policySha256: facts.policySha256, rulesSha256: facts.rulesSha256 },
      });
    }
  });
  return { changed };
}
