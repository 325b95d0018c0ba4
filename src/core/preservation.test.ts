import { describe, expect, it } from 'vitest';
import { expiryReminders, preservationTerms, timeColumnOf } from './preservation.ts';
import type { Finding } from './review/engine.ts';

const period = (ruleId: string, due: string, extensionHours?: number) =>
  ({ ruleId, code: 'PRESERVATION_PERIOD', due, ...(extensionHours ? { extensionHours } : {}) }) as unknown as Finding;
const policy = { preservation: { days: 90, extension_days: 90 } };

describe('preservation terms', () => {
  it('takes the longest period of the laws that apply, with its extension, else the policy’s', () => {
    const received = { receivedAt: '2026-12-01T00:00:00.000Z' };
    expect(
      preservationTerms(
        received,
        [period('eu.epoc-pr.period', '2027-01-30T00:00:00.000Z', 720), period('coe.art29', '2027-01-29T00:00:00.000Z')],
        policy,
      ),
    ).toEqual({ expiresAt: '2027-01-30T00:00:00.000Z', extensionHours: 720, basis: 'eu.epoc-pr.period' });
    expect(preservationTerms(received, [period('coe.art29', '2027-01-30T00:00:00.000Z')], policy).extensionHours).toBe(2160);
    expect(preservationTerms(received, [], policy)).toEqual({
      expiresAt: '2027-03-01T00:00:00.000Z',
      extensionHours: 2160,
      basis: 'policy',
    });
  });

  it('reminds on each configured day still to come, and cuts copies by their time column', () => {
    expect(expiryReminders('2027-01-30T00:00:00.000Z', [14, 3], new Date('2027-01-20T00:00:00.000Z'))).toEqual([
      { days: 3, at: new Date('2027-01-27T00:00:00.000Z') },
    ]);
    expect(timeColumnOf('traffic', ['at', 'ip'])).toBe('at');
    expect(timeColumnOf('content', ['sent_at', 'body'])).toBe('sent_at');
    expect(timeColumnOf('subscriber', ['created_at'])).toBeUndefined();
    expect(timeColumnOf('traffic', ['ip'])).toBeUndefined();
  });
});
