/**
 * Every read of a request's data leaves a trace on its trail, and a page that polls does not bury the trail in copies.
 *
 * The rule: a read is recorded as a `request.viewed` event, unless the same person (same user, same channel: session,
 * token or system) already has an event for the same part of the same request less than
 * `REPEAT_READ_WINDOW_SECONDS` ago and nothing but reads happened to the request since. Such a repeat is covered by
 * that event: the trail still says who read which part of the request, and when they began; only the count of
 * identical reads within the minute is not kept. Any change to the request (a transition, a message, a decision, a
 * production's event) ends the window, so the first read after it is recorded again: what was seen after a change
 * always has its own event.
 */
import type { AuditEvent } from './audit.ts';

/** A request's part that a read event names; `undefined` is the request in full. */
export type ReadPart = Extract<AuditEvent, { type: 'request.viewed' }>['data']['part'];

export const REPEAT_READ_WINDOW_SECONDS = 60;

/**
 * How many of a request's latest events are looked at for a read to repeat. Each costs a row read on every read, and a
 * poll's own earlier read is nearly always the latest event or close to it; a repeat hidden behind more than this many
 * other people's reads is simply recorded again (a trace too many, never one too few).
 */
export const REPEAT_READ_LOOKBACK = 5;

/** One of a request's recent events as the check needs it. */
export interface TrailEntry {
  readonly type: string;
  readonly occurredAt: string;
  readonly actorUserId: string | null;
  readonly via: string;
  readonly part: string | null;
}

/** Events that record someone reading, not anything happening to the request. */
const READ_TYPES = new Set<string>(['request.viewed', 'request.targets_resolved', 'document.downloaded', 'production.downloaded']);

/**
 * Whether a read is covered by an earlier event (see the rule above). `recent` is the request's latest events, newest
 * first.
 */
export function isRepeatRead(
  recent: readonly TrailEntry[],
  read: { readonly actorUserId: string | null; readonly via: string; readonly part: ReadPart },
  now: Date,
  windowSeconds = REPEAT_READ_WINDOW_SECONDS,
): boolean {
  for (const entry of recent) {
    if (!READ_TYPES.has(entry.type)) return false;
    if (entry.type !== 'request.viewed' || entry.actorUserId !== read.actorUserId || entry.via !== read.via) continue;
    if ((entry.part ?? undefined) !== read.part) continue;
    const age = now.getTime() - Date.parse(entry.occurredAt);
    return age >= 0 && age < windowSeconds * 1000;
  }
  return false;
}
