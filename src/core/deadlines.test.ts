import { describe, expect, it } from 'vitest';
import { deadlineMet, pagesOnCall, reminderPlan, responseDeadline, stageCurrent } from './deadlines.ts';
import type { Finding } from './review/engine.ts';

const finding = (code: string, ruleId: string, due: string): Finding => ({
  ruleId,
  pack: 'x',
  code,
  severity: 'info',
  audience: 'both',
  categories: [],
  message: { en: '', ko: '' },
  source: { id: 's', cite: 'c', status: 'confirmed' },
  due,
});
const H = 3_600_000;

describe('deadlines', () => {
  it('takes the earliest of the agency’s date and the law’s response and removal deadlines, and ignores other dues', () => {
    const findings = [
      finding('RESPONSE_DEADLINE', 'eu.epoc.deadline', '2026-12-11T00:00:00.000Z'),
      finding('REMOVAL_DEADLINE', 'eu.tco.one-hour', '2026-12-01T01:00:00.000Z'),
      finding('PRESERVATION_PERIOD', 'eu.epoc-pr.period', '2026-11-30T00:00:00.000Z'),
    ];
    expect(responseDeadline({ deadline: '2026-12-05T00:00:00Z' }, findings)).toEqual({
      due: '2026-12-01T01:00:00.000Z',
      basis: 'eu.tco.one-hour',
    });
    expect(responseDeadline({ deadline: '2026-12-01T00:30:00Z' }, findings)).toEqual({ due: '2026-12-01T00:30:00.000Z', basis: 'agency' });
    expect(responseDeadline({ deadline: null }, [findings[2]!])).toBeUndefined();
  });

  it('plans reminders half-way, at four fifths and at the deadline; past stages but the latest are dropped', () => {
    const received = '2026-12-01T00:00:00.000Z';
    const due = '2026-12-01T10:00:00.000Z';
    const at = (hours: number) => new Date(Date.parse(received) + hours * H);
    expect(reminderPlan(received, due, at(0))).toEqual([
      { stage: 'reminder', at: at(5) },
      { stage: 'escalation', at: at(8) },
      { stage: 'overdue', at: at(10) },
    ]);
    expect(reminderPlan(received, due, at(9))).toEqual([
      { stage: 'escalation', at: at(9) },
      { stage: 'overdue', at: at(10) },
    ]);
    expect(stageCurrent('reminder', received, due, at(6))).toBe(true);
    expect(stageCurrent('reminder', received, due, at(8.5))).toBe(false);
    expect(stageCurrent('overdue', received, due, at(30))).toBe(true);
  });

  it('knows when each kind has answered, and pages on-call for urgent escalations and every passed deadline', () => {
    expect(deadlineMet('removal', 'actioned')).toBe(true);
    expect(deadlineMet('removal', 'approved')).toBe(false);
    expect(deadlineMet('preservation', 'active')).toBe(true);
    expect(deadlineMet('disclosure', 'producing')).toBe(false);
    expect(deadlineMet('prospective', 'producing')).toBe(true);
    expect(deadlineMet('disclosure', 'withdrawn')).toBe(true);
    const received = '2026-12-01T00:00:00.000Z';
    expect(pagesOnCall('escalation', { kind: 'removal', receivedAt: received }, '2026-12-20T00:00:00.000Z')).toBe(true);
    expect(pagesOnCall('escalation', { kind: 'disclosure', receivedAt: received }, '2026-12-20T00:00:00.000Z')).toBe(false);
    expect(pagesOnCall('escalation', { kind: 'disclosure', receivedAt: received }, '2026-12-01T08:00:00.000Z')).toBe(true);
    expect(pagesOnCall('reminder', { kind: 'emergency', receivedAt: received }, '2026-12-01T08:00:00.000Z')).toBe(false);
    expect(pagesOnCall('overdue', { kind: 'disclosure', receivedAt: received }, '2026-12-20T00:00:00.000Z')).toBe(true);
  });
});
