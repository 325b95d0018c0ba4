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
});
