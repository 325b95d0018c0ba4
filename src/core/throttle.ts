/**
 * Login throttling, as pure rules. Failures are counted per account (by a hash of the email, so an address that has
 * no account is counted the same way and a lock reveals nothing) and per network address. Past the threshold each
 * further failure doubles the lock, from one minute up to an hour; a quiet hour forgets the count.
 */
export interface ThrottleState {
  readonly failures: number;
  readonly lockedUntil: Date | null;
  readonly updatedAt: Date;
}

export const FORGET_AFTER_MS = 3_600_000;
const MINUTE = 60_000;
export const LONGEST_LOCK_MS = 60 * MINUTE;

/** The state after one more failure at `now`, for a key that locks after `threshold` failures. */
export function afterFailure(state: ThrottleState | undefined, now: Date, threshold: number): ThrottleState {
  const stale = !state || now.getTime() - state.updatedAt.getTime() > FORGET_AFTER_MS;
  const failures = (stale ? 0 : state.failures) + 1;
  const lockMs = failures >= threshold ? Math.min(MINUTE * 2 ** (failures - threshold), LONGEST_LOCK_MS) : 0;
  return { failures, lockedUntil: lockMs > 0 ? new Date(now.getTime() + lockMs) : null, updatedAt: now };
}

/** Seconds until a locked key may try again, or 0 when it may now. */
export function secondsLocked(state: ThrottleState | undefined, now: Date): number {
  if (!state?.lockedUntil) return 0;
  return Math.max(0, Math.ceil((state.lockedUntil.getTime() - now.getTime()) / 1000));
}
