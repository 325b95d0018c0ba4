import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { holdReasons, looksLike, type AnomalyInput } from './anomalies.ts';

const NOW = new Date('2026-11-22T12:00:00Z');
const OFFICIAL = 'police.go.kr';

function input(
  overrides: {
    request?: Partial<AnomalyInput['request']>;
    agency?: Partial<AnomalyInput['agency']>;
    officer?: Partial<AnomalyInput['officer']>;
  } = {},
): AnomalyInput {
  return {
    request: { kind: 'disclosure', jurisdiction: 'KR', ...overrides.request },
    agency: { verificationStatus: 'verified', jurisdiction: 'KR', emailDomains: [OFFICIAL], ...overrides.agency },
    directoryDomains: [OFFICIAL, 'fbi.gov', 'met.police.uk'],
    officer: {
      email: `kim@cyber.${OFFICIAL}`,
      createdAt: '2026-01-01T00:00:00Z',
      earlierEmergencies: 2,
      requestsInLastHour: 1,
      ...overrides.officer,
    },
    now: NOW,
    limits: { newAccountDays: 7, burstPerHour: 20, newNetworkDays: 3 },
  };
}
const codes = (value: AnomalyInput) => holdReasons(value).map((reason) => reason.code);

describe('holdReasons', () => {
  it('lets an ordinary request from a known officer at an official (sub)domain through', () => {
    expect(codes(input())).toEqual([]);
    expect(codes(input({ officer: { email: 'kim@POLICE.GO.KR' } }))).toEqual([]);
  });

  it('holds for each signal, with the reason', () => {
    expect(codes(input({ agency: { verificationStatus: 'pending' } }))).toEqual(['AGENCY_NOT_VERIFIED']);
    expect(codes(input({ officer: { email: 'kim@gmail.com' } }))).toEqual(['DOMAIN_NOT_IN_DIRECTORY']);
    expect(codes(input({ officer: { email: 'kim@po1ice.go.kr' } }))).toEqual(['LOOKALIKE_DOMAIN']);
    expect(codes(input({ officer: { createdAt: '2026-11-20T12:00:00Z' } }))).toEqual(['NEW_ACCOUNT']);
    expect(codes(input({ request: { kind: 'emergency' }, officer: { earlierEmergencies: 0 } }))).toEqual(['FIRST_EMERGENCY']);
    expect(codes(input({ request: { kind: 'emergency' } }))).toEqual([]);
    expect(codes(input({ officer: { requestsInLastHour: 21 } }))).toEqual(['BURST']);
    expect(codes(input({ request: { jurisdiction: 'US' } }))).toEqual(['JURISDICTION_MISMATCH']);
    const network = { prefix: '203.0.113.0/24', firstSeenAt: '2026-11-22T11:00:00Z', earlierNetworks: 2 };
    expect(codes(input({ officer: { network } }))).toEqual(['NEW_NETWORK']);
    expect(holdReasons(input({ officer: { network } }))[0]?.detail).toContain('203.0.113.0/24');
    // The first network an officer ever uses, one used for longer than the limit, or no network at all: no hold.
    expect(codes(input({ officer: { network: { ...network, earlierNetworks: 0 } } }))).toEqual([]);
    expect(codes(input({ officer: { network: { ...network, firstSeenAt: '2026-11-19T11:59:00Z' } } }))).toEqual([]);
    expect(codes(input({ officer: { network: { ...network, firstSeenAt: '2026-11-19T12:01:00Z' } } }))).toEqual(['NEW_NETWORK']);
    expect(codes(input({ officer: { network: undefined } }))).toEqual([]);
    expect(codes(input({ agency: { jurisdiction: 'FR' }, request: { jurisdiction: 'EU' } }))).toEqual([]);
    expect(holdReasons(input({ officer: { email: 'kim@po1ice.go.kr' } }))[0]?.detail).toContain('police.go.kr');
  });

  it('sees lookalikes of an official domain: homoglyphs, one edit, hyphens, punycode, the official name as a prefix', () => {
    const lookalikes = [
      'po1ice.go.kr',
      'pol1ce.go.kr',
      'pοlice.go.kr', // Greek omicron
      'pоlice.go.kr', // Cyrillic o
      'poIice.go.kr',
      'polise.go.kr',
      'police.go.kr.example.com',
      'police-go.kr',
      'plice.go.kr',
      'policee.go.kr',
      'xn--plice-6ve.go.kr',
    ];
    for (const domain of lookalikes) {
      expect([domain, looksLike(domain, OFFICIAL)]).toEqual([domain, true]);
    }
    for (const domain of ['police.go.kr', 'cyber.police.go.kr', 'gmail.com', 'fbi.gov', 'court.go.kr', 'example.org']) {
      expect([domain, looksLike(domain, OFFICIAL)]).toEqual([domain, false]);
    }
  });

  it('never lets a generated lookalike through without a hold (1,000 mutations of each official domain)', () => {
    const swaps: Record<string, string[]> = {
      o: ['0', 'ο', 'о'],
      l: ['1', 'I'],
      i: ['1', 'і', 'l'],
      e: ['е', 'ε'],
      a: ['а'],
      c: ['с'],
      p: ['р'],
    };
    for (const official of [OFFICIAL, 'fbi.gov', 'met.police.uk']) {
      const positions = [...official].map((char, index) => [char, index] as const).filter(([char]) => char in swaps);
      fc.assert(
        fc.property(
          fc.constantFrom(...positions),
          fc.nat(),
          fc.constantFrom('swap', 'double', 'drop', 'prefix', 'hyphen'),
          ([char, index], pick, how) => {
            const options = swaps[char]!;
            const replaced = options[pick % options.length]!;
            const domain =
              how === 'swap'
                ? official.slice(0, index) + replaced + official.slice(index + 1)
                : how === 'double'
                  ? official.slice(0, index) + char + official.slice(index)
                  : how === 'drop'
                    ? official.slice(0, index) + official.slice(index + 1)
                    : how === 'prefix'
                      ? `${official}.secure-mail.com`
                      : official.replace('.', '-');
            const reasons = codes(input({ agency: { emailDomains: [official] }, officer: { email: `x@${domain}` } }));
            expect(reasons).toContain('LOOKALIKE_DOMAIN');
          },
        ),
        { numRuns: 1000 },
      );
    }
  });
});
