import { describe, expect, it } from 'vitest';
import {
  assessSender,
  automaticMail,
  highestTrust,
  mayChangeThread,
  messageIdsIn,
  parseAuthenticationResults,
  parseHeaderBlock,
  senderAuthentication,
  trackingNumbersIn,
  type DirectoryAgency,
} from './intake.ts';

const headers = (text: string) => parseHeaderBlock(Buffer.from(text));
const AGENCIES: DirectoryAgency[] = [
  { id: 'a1', name: 'Seoul Police', emailDomains: ['police.go.kr'], verificationStatus: 'verified' },
  { id: 'a2', name: 'Suspended Police', emailDomains: ['bad.gov'], verificationStatus: 'suspended' },
];
const pass = { authservId: 'mx.platform.test', spf: 'pass', dkim: 'pass', dmarc: 'pass', aligned: true } as const;
const none = { authservId: undefined, spf: undefined, dkim: undefined, dmarc: undefined, aligned: false } as const;

describe('the header block', () => {
  it('unfolds continued lines, keeps every value in order, and reads CR-only endings', () => {
    const parsed = headers('Subject: a\r\n b\r\nReceived: one\r\nReceived: two\r\n\r\nbody');
    expect(parsed.get('subject')).toEqual(['a b']);
    expect(parsed.get('received')).toEqual(['one', 'two']);
    expect(headers('From: x@y.test\rSubject: old\r\rbody').get('subject')).toEqual(['old']);
  });
  it('finds Message-IDs and tracking numbers', () => {
    expect(messageIdsIn('<a@B.Example> <c@d>')).toEqual(['a@b.example', 'c@d']);
    expect(trackingNumbersIn('Re: [WR-2026-000042] and WR-2026-000042, WR-26-1')).toEqual(['WR-2026-000042']);
  });
});

describe('machine-written mail', () => {
  const own = ['abuse@platform.test'];
  it('knows auto-replies, bounces, bulk mail, loops and its own receipts', () => {
    expect(automaticMail(headers('From: a@b.test\r\nAuto-Submitted: auto-replied\r\n\r\n'), own)).toBe('AUTO_REPLY');
    expect(automaticMail(headers('From: a@b.test\r\nSubject: Out of office: away\r\n\r\n'), own)).toBe('AUTO_REPLY');
    expect(automaticMail(headers('From: MAILER-DAEMON@b.test\r\n\r\n'), own)).toBe('BOUNCE');
    expect(automaticMail(headers('From: a@b.test\r\nPrecedence: bulk\r\n\r\n'), own)).toBe('BULK');
    expect(automaticMail(headers('From: a@b.test\r\nX-Loop: abuse@platform.test\r\n\r\n'), own)).toBe('MAIL_LOOP');
    expect(automaticMail(headers('From: Abuse <ABUSE@platform.test>\r\n\r\n'), own)).toBe('MAIL_LOOP');
    expect(automaticMail(headers('From: a@b.test\r\nX-Writ-Acknowledgement: WR-2026-000001\r\n\r\n'), own)).toBe('OWN_ACKNOWLEDGEMENT');
    expect(automaticMail(headers(`From: a@b.test\r\n${'Received: x\r\n'.repeat(31)}\r\n`), own)).toBe('MAIL_LOOP');
  });
  it('answers a person, including one who says Auto-Submitted: no', () => {
    expect(automaticMail(headers('From: a@b.test\r\nAuto-Submitted: no\r\nSubject: Request\r\n\r\n'), own)).toBeUndefined();
  });
});

describe('Authentication-Results', () => {
  it('parses methods, results and properties, comments aside', () => {
    const parsed = parseAuthenticationResults(
      'mx.example (comment); spf=pass (ok) smtp.mailfrom=police.go.kr; dkim=fail header.d=police.go.kr',
    );
    expect(parsed.authservId).toBe('mx.example');
    expect(parsed.results).toEqual([
      { method: 'spf', result: 'pass', properties: { 'smtp.mailfrom': 'police.go.kr' } },
      { method: 'dkim', result: 'fail', properties: { 'header.d': 'police.go.kr' } },
    ]);
  });
  it('believes only the topmost header of a trusted server, not what the sender wrote below it or under another id', () => {
    const forged = headers(
      'Authentication-Results: mx.platform.test; dmarc=fail header.from=police.go.kr\r\nAuthentication-Results: mx.platform.test; dmarc=pass header.from=police.go.kr\r\n\r\n',
    );
    expect(senderAuthentication(forged, ['mx.platform.test'], 'x@police.go.kr')).toMatchObject({ dmarc: 'fail', aligned: false });
    const otherId = headers('Authentication-Results: evil.test; dmarc=pass header.from=police.go.kr\r\n\r\n');
    expect(senderAuthentication(otherId, ['mx.platform.test'], 'x@police.go.kr').authservId).toBeUndefined();
    expect(senderAuthentication(otherId, [], 'x@police.go.kr').aligned).toBe(false);
  });
  it('counts DKIM aligned with the From domain, and not DKIM of another domain', () => {
    const aligned = headers('Authentication-Results: mx.platform.test; dkim=pass header.d=police.go.kr\r\n\r\n');
    expect(senderAuthentication(aligned, ['mx.platform.test'], 'x@cyber.police.go.kr').aligned).toBe(true);
    const foreign = headers(
      'Authentication-Results: mx.platform.test; dkim=pass header.d=gmail.com; spf=pass smtp.mailfrom=gmail.com\r\n\r\n',
    );
    expect(senderAuthentication(foreign, ['mx.platform.test'], 'x@police.go.kr').aligned).toBe(false);
  });
});

describe('sender trust', () => {
  const officer = { id: 'u1', organisationId: 'a1', status: 'active', isOfficer: true };
  it('verifies an authenticated active officer of a verified agency', () => {
    expect(assessSender({ fromAddress: 'kim@police.go.kr', authentication: pass, agencies: AGENCIES, account: officer })).toMatchObject({
      level: 'verified_officer',
      officerId: 'u1',
      agencyId: 'a1',
    });
    expect(assessSender({ fromAddress: 'new@police.go.kr', authentication: pass, agencies: AGENCIES, account: undefined }).level).toBe(
      'agency_domain',
    );
  });
  it('does not verify an official domain without authentication, and calls a failed one or a lookalike suspicious', () => {
    expect(assessSender({ fromAddress: 'kim@police.go.kr', authentication: none, agencies: AGENCIES, account: officer }).level).toBe(
      'unverified',
    );
    const failed = { ...pass, dmarc: 'fail', aligned: false } as const;
    expect(assessSender({ fromAddress: 'kim@police.go.kr', authentication: failed, agencies: AGENCIES, account: officer }).level).toBe(
      'suspicious',
    );
    expect(assessSender({ fromAddress: 'kim@po1ice.go.kr', authentication: pass, agencies: AGENCIES, account: undefined }).level).toBe(
      'suspicious',
    );
    expect(assessSender({ fromAddress: 'x@bad.gov', authentication: pass, agencies: AGENCIES, account: undefined }).level).toBe(
      'suspicious',
    );
    expect(assessSender({ fromAddress: 'x@gmail.com', authentication: pass, agencies: AGENCIES, account: undefined }).level).toBe(
      'unverified',
    );
  });
});

describe('whether a follow-up may change its thread', () => {
  it('only when authenticated and trusted at least as far as the thread: a From alone never suffices', () => {
    expect(mayChangeThread('verified_officer', 'verified_officer')).toBe(true);
    expect(mayChangeThread('agency_domain', 'agency_domain')).toBe(true);
    expect(mayChangeThread('verified_officer', 'unverified')).toBe(true);
    expect(mayChangeThread('agency_domain', 'verified_officer')).toBe(false);
    expect(mayChangeThread('unverified', 'verified_officer')).toBe(false);
    // With no trusted authserv-id every sender is unverified: even an unverified thread is not changed by one.
    expect(mayChangeThread('unverified', 'unverified')).toBe(false);
    expect(mayChangeThread('suspicious', 'suspicious')).toBe(false);
  });

  it('rates a thread by the best of its messages', () => {
    expect(highestTrust(['unverified', 'verified_officer', 'agency_domain'])).toBe('verified_officer');
    expect(highestTrust(['suspicious'])).toBe('unverified');
    expect(highestTrust([])).toBe('unverified');
  });
});
