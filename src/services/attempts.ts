/** Counting attempts (logins, registrations) against throttle keys, atomically in the database. */
import type { Repositories, Transactor } from '../core/ports.ts';
import { secondsLocked } from '../core/throttle.ts';

class Refused extends Error {}

/**
 * Counts one attempt against every key (each with the threshold that locks it) before any secret is checked, so that
 * parallel attempts cannot all pass on one stale count. Returns 0 when the attempt may go ahead, or the seconds to wait
 * when a key is locked; a refused attempt is counted against none of its keys.
 */
export async function chargeAttempts(
  store: Transactor<Pick<Repositories, 'credentials'>>,
  limits: ReadonlyMap<string, number>,
  at: Date,
): Promise<number> {
  // Always in the same order, so that two attempts sharing keys cannot wait on each other's row.
  const keys = [...limits].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  try {
    await store.transaction(async (repositories) => {
      for (const [key, threshold] of keys) {
        if (!(await repositories.credentials.chargeAttempt(key, threshold, at))) throw new Refused();
      }
    });
    return 0;
  } catch (error) {
    if (!(error instanceof Refused)) throw error;
  }
  const states = await store.read.credentials.throttleStates([...limits.keys()]);
  return Math.max(1, ...[...limits.keys()].map((key) => secondsLocked(states.get(key), at)));
}
