import { describe, expect, it } from 'vitest';
import { gagEnds, gagForbids, planNotice } from './notices.ts';
import type { Finding } from './review/engine.ts';
import type { Policy } from './review/rule-pack.ts';

const policy: Pick<Policy, 'notice'> = {
  notice: {
    withheld_by: ['DUTY_OF_SECRECY'],
    emergency_delay_days: 30,
    challenge: { en: 'Challenge it.', ko: '이의' },
    contact: 'privacy@example.test',
  },
};
const secrecy = { code: 'DUTY_OF_SECRECY', source: { id: 'pcsa-11', cite: 'PCSA Art. 11', status: 'confirmed' } } as unknown as Finding;
const at = new Date('2026-12-01T10:00:00.000Z');
const none = { ordered: false, until: null };

describe('user notice', () => {
  it('tells the user at once when nothing stands in the way', () => {
    expect(planNotice({ kind: 'disclosure', nonDisclosure: none }, [], policy, at)).toEqual({
      state: 'scheduled',
      basis: 'policy',
      basisDetail: null,
      notBefore: at.toISOString(),
    });
  });

  it('waits for the day after a gag order ends, and withholds under one without an end', () => {
    expect(planNotice({ kind: 'disclosure', nonDisclosure: { ordered: true, until: '2027-01-31' } }, [], policy, at)).toMatchObject({
      state: 'scheduled',
      basis: 'gag',
      notBefore: '2027-02-01T00:00:00.000Z',
    });
    expect(planNotice({ kind: 'disclosure', nonDisclosure: { ordered: true, until: null } }, [], policy, at)).toMatchObject({
      state: 'withheld',
      basis: 'gag_without_end',
      notBefore: null,
    });
    // A gag that ended before the disclosure holds nothing back.
    expect(planNotice({ kind: 'disclosure', nonDisclosure: { ordered: true, until: '2026-01-01' } }, [], policy, at).notBefore).toBe(
      at.toISOString(),
    );
    expect(gagEnds('2026-12-31').toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(gagForbids({ nonDisclosure: { ordered: true, until: '2026-12-31' } }, new Date('2026-12-31T23:59:59Z'))).toBe(true);
    expect(gagForbids({ nonDisclosure: { ordered: true, until: '2026-12-31' } }, new Date('2027-01-01T00:00:00Z'))).toBe(false);
    expect(gagForbids({ nonDisclosure: { ordered: true, until: null } }, new Date('2099-01-01T00:00:00Z'))).toBe(true);
  });

  it('withholds a disclosure notice the law leaves to the authority, but not the statement of reasons for a removal', () => {
    expect(planNotice({ kind: 'disclosure', nonDisclosure: none }, [secrecy], policy, at)).toMatchObject({
      state: 'withheld',
      basis: 'law',
      basisDetail: 'PCSA Art. 11',
    });
    expect(planNotice({ kind: 'removal', purpose: 'removal', nonDisclosure: none }, [secrecy], policy, at).state).toBe('scheduled');
  });

  it('tells the user after an emergency has passed, or after a longer gag', () => {
    expect(planNotice({ kind: 'emergency', nonDisclosure: none }, [], policy, at)).toMatchObject({
      basis: 'emergency',
      notBefore: '2026-12-31T10:00:00.000Z',
    });
    expect(planNotice({ kind: 'emergency', nonDisclosure: { ordered: true, until: '2027-06-30' } }, [], policy, at)).toMatchObject({
      basis: 'gag',
      notBefore: '2027-07-01T00:00:00.000Z',
    });
  });

  it('gives no notice under a policy that gives none', () => {
    expect(planNotice({ kind: 'disclosure', nonDisclosure: none }, [], {}, at)).toMatchObject({ state: 'withheld', basis: 'policy' });
  });
});
