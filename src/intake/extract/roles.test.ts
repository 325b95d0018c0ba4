import { describe, expect, it } from 'vitest';
import { findCandidates } from './candidates.ts';
import { layoutOf } from './layout.ts';
import { assignRoles } from './roles.ts';

function roles(text: string, senderDomain?: string) {
  const layout = layoutOf(text);
  return assignRoles(findCandidates(layout, 'US'), { layout, contactSpans: [], contactEmail: undefined, senderDomain }).map(
    (candidate) => [candidate.value, candidate.role] as const,
  );
}

describe('roles', () => {
  it('gives the sender’s letterhead numbers, a platform’s mailbox and a publisher’s link their own roles', () => {
    const text = [
      'Request',
      '',
      'Office of the District Attorney',
      '1 Court Plaza, Springfield',
      'Phone (217) 555-2368 | Fax (217) 555-2369',
      '',
      'To: Legal Department, lawenforcement@platform-mail.com',
      '',
      'Please disclose subscriber information for the account registered to (217) 555-7788 and for the email suspect.one@mailbox.net.',
      'Terms cited: https://platform.example/terms',
      '',
      'Downloaded from https://archive.example.org/notices/42',
    ].join('\n');
    const found = new Map(roles(text));
    expect(found.get('+12175552368')).toBe('sender_contact');
    expect(found.get('+12175552369')).toBe('sender_contact');
    expect(found.get('lawenforcement@platform-mail.com')).toBe('recipient_platform');
    expect(found.get('+12175557788')).toBe('target');
    expect(found.get('suspect.one@mailbox.net')).toBe('target');
    expect(found.get('https://platform.example/terms')).toBe('reference');
    expect(found.get('https://archive.example.org/notices/42')).toBe('publisher');
  });

  it('takes examples and placeholders for what they are', () => {
    const found = new Map(roles('Send identifiers in the format e.g. @some_user. The target is @real_target; reply to name@email.com.'));
    expect(found.get('some_user')).toBe('placeholder');
    expect(found.get('real_target')).toBe('target');
    expect(found.get('name@email.com')).toBe('placeholder');
  });

  it('reads the sender’s own domain as the sender’s, unless words say it is the target', () => {
    const found = new Map(
      roles('Reply to j.doe@police.example.gov. The account of the suspect is x1@police.example.gov.', 'police.example.gov'),
    );
    expect(found.get('j.doe@police.example.gov')).toBe('sender_contact');
    expect(found.get('x1@police.example.gov')).toBe('target');
  });

  it('takes a number after words for reaching the sender as the sender’s, in any language it reads', () => {
    const cases: [string, string, string][] = [
      ['Please call the duty officer on (217) 555-3142 once you have the records.', '+12175553142', 'US'],
      ['For any question, contact Det. Ruiz at 217-555-3177.', '+12175553177', 'US'],
      ['본 건 관련 문의: 02-3150-2211 (사이버수사팀)', '+82231502211', 'KR'],
      ['如有疑问请联系 010-8526-3322。', '+861085263322', 'CN'],
      ['Para cualquier aclaración puede comunicarse al 55 5346 0000.', '+525553460000', 'MX'],
      ['По всем вопросам обращаться по тел. +7 495 667-22-11.', '+74956672211', 'RU'],
    ];
    for (const [text, value, country] of cases) {
      const layout = layoutOf(text);
      const found = assignRoles(findCandidates(layout, country as 'US'), {
        layout,
        contactSpans: [],
        contactEmail: undefined,
        senderDomain: undefined,
      }).find((candidate) => candidate.value === value);
      expect(found?.role, text).toBe('sender_contact');
    }
  });

  it('takes a labelled number as a target only under words for a target', () => {
    const labelled = new Map(roles('Our office is open 9 to 5.\n\nTel.: (217) 555-3100\n\nWe ask for the records below.'));
    expect(labelled.get('+12175553100')).toBe('sender_contact');
    const listed = new Map(
      roles(
        [
          'Request for records',
          '',
          'Under the order enclosed, we ask for the subscriber records described below for May 2025.',
          '',
          'Identifiers of the target account:',
          '- Username: @quiet_fox',
          '- Phone: (217) 555-3199',
          '',
          'The records should cover May 2025, with the IP logs.',
          '',
          'Thank you.',
        ].join('\n'),
      ),
    );
    expect(listed.get('+12175553199')).toBe('target');
    expect(listed.get('quiet_fox')).toBe('target');
  });

  it('keeps a number nothing speaks for out of the targets, and a number said to be the subscriber’s in them', () => {
    const found = new Map(
      roles(
        'On 3 May a report was made from (217) 555-3123. We ask for the subscriber of the number (217) 555-0456 and the account registered to (217) 555-0789.',
      ),
    );
    expect(found.get('+12175553123')).toBe('unsupported');
    expect(found.get('+12175550456')).toBe('target');
    expect(found.get('+12175550789')).toBe('target');
  });

  it('does not let "do not contact the account holder" make the holder’s number the sender’s', () => {
    const found = new Map(roles('Do not contact the account holder at (217) 555-0321 or tell them of this request.'));
    expect(found.get('+12175550321')).toBe('target');
  });

  it('takes the sender’s number as the sender’s wherever else it appears', () => {
    const text = [
      'We ask for the subscriber details of the user on (217) 555-0400.',
      '',
      'Questions: Det. A. Lee, phone (217) 555-0400.',
    ].join('\n');
    // The same number said once to be the sender's is the sender's in the body too.
    const found = roles(text).filter(([value]) => value === '+12175550400');
    expect(found.map(([, role]) => role)).toEqual(['sender_contact', 'sender_contact']);
  });

  it('takes a mail address or portal link after words for reaching the sender as the sender’s', () => {
    const found = new Map(
      roles(
        'We ask for records of the account owner.x@mailbox.net. Please send the results to records.unit@mailbox.net. Submit the response through the portal at https://lerequests.example.net/upload.',
      ),
    );
    expect(found.get('owner.x@mailbox.net')).toBe('target');
    expect(found.get('records.unit@mailbox.net')).toBe('sender_contact');
    expect(found.get('https://lerequests.example.net/upload')).toBe('sender_contact');
  });

  it('takes a mail address listed beside targets as one, and a lone one nothing speaks for as none', () => {
    const listed = new Map(roles('The accounts @ex_one and @ex_two and the mail id ex.three@mailbox.net posted the threats.'));
    expect(listed.get('ex.three@mailbox.net')).toBe('target');
    const lone = new Map(roles('A copy went to ex.four@mailbox.net yesterday.'));
    expect(lone.get('ex.four@mailbox.net')).toBe('unsupported');
  });
});
