import { describe, expect, it } from 'vitest';
import { isRepeatRead, type TrailEntry } from './read-trail.ts';

const now = new Date('2026-12-07T12:00:00Z');
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000).toISOString();
const read = (overrides: Partial<TrailEntry> = {}): TrailEntry => ({
  type: 'request.viewed',
  occurredAt: ago(10),
  actorUserId: 'u1',
  via: 'session',
  part: 'status',
  ...overrides,
});
const reader = { actorUserId: 'u1', via: 'session', part: 'status' as const };

describe('isRepeatRead', () => {
  it('covers the same person’s same read within the window', () => {
    expect(isRepeatRead([read()], reader, now)).toBe(true);
    expect(isRepeatRead([read({ actorUserId: 'u2' }), read()], reader, now)).toBe(true);
  });

  it('records a read of another part, by another person or channel, or once the window has passed', () => {
    expect(isRepeatRead([read({ part: 'callbacks' })], reader, now)).toBe(false);
    expect(isRepeatRead([read({ part: null })], reader, now)).toBe(false);
    expect(isRepeatRead([read({ actorUserId: 'u2' })], reader, now)).toBe(false);
    expect(isRepeatRead([read({ via: 'token' })], reader, now)).toBe(false);
    expect(isRepeatRead([read({ occurredAt: ago(60) })], reader, now)).toBe(false);
    expect(isRepeatRead([read({ occurredAt: ago(-5) })], reader, now)).toBe(false);
    expect(isRepeatRead([], reader, now)).toBe(false);
  });

  it('records the first read after anything happened to the request', () => {
    expect(isRepeatRead([read({ type: 'request.note_added', part: null }), read()], reader, now)).toBe(false);
    expect(isRepeatRead([read({ type: 'production.completed', part: null }), read()], reader, now)).toBe(false);
    // Other people's reads and downloads are not changes.
    expect(isRepeatRead([read({ type: 'document.downloaded', actorUserId: 'u2', part: null }), read()], reader, now)).toBe(true);
  });

  it('reads the whole request as its own part', () => {
    expect(isRepeatRead([read({ part: null })], { ...reader, part: undefined }, now)).toBe(true);
    expect(isRepeatRead([read()], { ...reader, part: undefined }, now)).toBe(false);
  });
});
