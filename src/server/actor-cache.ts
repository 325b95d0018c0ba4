/**
 * A short-lived cache of who a session or token belongs to, so a burst of calls with one credential costs one lookup
 * instead of one per call. Entries live `ttlMs` (default 2 s): a credential revoked by another process stops working
 * within that time; one revoked here (logout) is dropped at once.
 */
import type { Actor } from '../core/actor.ts';

export interface ActorCache {
  get(key: string, load: () => Promise<Actor | undefined>): Promise<Actor | undefined>;
  drop(key: string): void;
  /** Forgets everyone: after a change that can shut people out (an agency suspended). */
  clear(): void;
}

export function actorCache(ttlMs: number, maxEntries = 10_000): ActorCache {
  const entries = new Map<string, { actor: Actor | undefined; expires: number }>();
  return {
    async get(key, load) {
      const now = Date.now();
      const hit = entries.get(key);
      if (hit && hit.expires > now) return hit.actor;
      const actor = await load();
      // Failures are not cached: a wrong token must cost a lookup every time (and, later, count toward rate limits).
      if (actor && ttlMs > 0) {
        if (entries.size >= maxEntries) entries.clear();
        entries.set(key, { actor, expires: now + ttlMs });
      }
      return actor;
    },
    drop: (key) => entries.delete(key),
    clear: () => entries.clear(),
  };
}
