/** A clock a test moves by hand: timed work (deadlines, expiry, gags) is checked by moving time, not by waiting. */
import type { Clock } from '../../src/core/ports.ts';

export interface TestClock extends Clock {
  set(at: Date | string): void;
  advance(milliseconds: number): void;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

export function testClock(start: Date = new Date()): TestClock {
  let current = start.getTime();
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at).getTime();
    },
    advance: (milliseconds) => {
      current += milliseconds;
    },
  };
}
