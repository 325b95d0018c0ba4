import { describe, expect, it } from 'vitest';
import { afterFailure, secondsLocked, type ThrottleState } from './throttle.ts';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 22, 12, 0) + minutes * 60_000);

describe('login throttling', () => {
  it('locks at the threshold for a minute, doubling with each further failure up to an hour', () => {
    let state: ThrottleState | undefined;
    const locks: number[] = [];
    for (let failure = 1; failure <= 12; failure += 1) {
      state = afterFailure(state, at(0), 5);
      locks.push(secondsLocked(state, at(0)));
    }
    expect(locks).toEqual([0, 0, 0, 0, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });

  it('lets the key try again once the lock has passed, and forgets the count after a quiet hour', () => {
    const locked = [1, 2, 3, 4, 5].reduce<ThrottleState | undefined>((state) => afterFailure(state, at(0), 5), undefined);
    expect(secondsLocked(locked, at(0.5))).toBe(30);
    expect(secondsLocked(locked, at(1))).toBe(0);
    expect(afterFailure(locked, at(30), 5).failures).toBe(6);
    expect(afterFailure(locked, at(61), 5)).toMatchObject({ failures: 1, lockedUntil: null });
    expect(secondsLocked(undefined, at(0))).toBe(0);
  });
});
