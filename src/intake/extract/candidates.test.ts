import { describe, expect, it } from 'vitest';
import { findCandidates, findDocketNumbers } from './candidates.ts';
import { layoutOf } from './layout.ts';

const candidates = (text: string) => findCandidates(layoutOf(text), undefined);
const of = (text: string, kind: string) => candidates(text).filter((candidate) => candidate.kind === kind);

describe('candidates', () => {
  it('repairs what a scan did to an identifier, keeps what was written and says so', () => {
    const ip = of('The account logged in from l92.168.O.17 on that day.', 'ip_addresses')[0]!;
    expect(ip.value).toBe('192.168.0.17');
    expect(ip.written).toBe('l92.168.O.17');
    expect(ip.repairs.join(' ')).toMatch(/OCR/);
    expect(ip.confidence).toBeLessThan(0.85);

    const url = of('Content at https: // files.example.org/leak/123 must go.', 'urls')[0]!;
    expect(url.value).toBe('https://files.example.org/leak/123');
    expect(url.written).toBe('https: // files.example.org/leak/123');
    expect(url.repairs.join(' ')).toMatch(/spaces/);

    const repo = of('Repository: github.com / some-owner / some-repo', 'urls')[0]!;
    expect(repo.value).toBe('github.com/some-owner/some-repo');

    const tld = of('the page www.bad-shop.corn/item is a scam', 'urls')[0]!;
    expect(tld.value).toBe('www.bad-shop.com/item');
    expect(tld.repairs.join(' ')).toMatch(/corn/);

    const email = of('the user wrote from j.smith @mail-box.net yesterday', 'emails')[0]!;
    expect(email.value).toBe('j.smith@mail-box.net');
    expect(email.repairs.join(' ')).toMatch(/OCR/);
  });

  it('keeps a redacted address redacted, never its bare domain', () => {
    const found = candidates('The account [redacted]@example-mail.com was used.');
    expect(found.map((candidate) => candidate.value)).toEqual(['[redacted]@example-mail.com']);
    expect(found[0]!.redacted).toBe(true);
  });

  it('reads names in prose and lists, and each platform’s handle forms', () => {
    const names = (text: string) => of(text, 'usernames').map((candidate) => candidate.value);
    expect(names('The suspect (Twitter name "somehandle") posted it.')).toEqual(['somehandle']);
    expect(names('We ask about the accounts ExampleOrg, jane.sample, and k.doe for the period.')).toEqual([
      'ExampleOrg',
      'jane.sample',
      'k.doe',
    ]);
    expect(names('the accounts of the users named in the order')).toEqual([]);
    expect(names('posted by @alice@mastodon.example and @bob:matrix.example')).toEqual(['@alice@mastodon.example', '@bob:matrix.example']);
    expect(names('the thread by u/throwaway_123 on the forum')).toEqual(['throwaway_123']);
  });

  it('reads case and docket numbers in the shapes courts use', () => {
    const dockets = (text: string) => findDocketNumbers(text).map((candidate) => candidate.value);
    expect(dockets('Case 3:19-mc-00123-ABC Document 1')).toEqual(['3:19-mc-00123-ABC']);
    expect(dockets('Case l:20-mj-01234 Filed')).toEqual(['1:20-mj-01234']);
    expect(dockets('Grand Jury 12GJ3456')).toEqual(['12GJ3456']);
    expect(dockets('사건번호 2024고단1234')).toEqual(['2024고단1234']);
    expect(dockets('案号（2023）京0105刑初123号')).toEqual(['（2023）京0105刑初123号']);
    expect(dockets('материалы № 12345-РИ и 12-34-2019/Ид1234-19')).toEqual(['12345-РИ', '12-34-2019/Ид1234-19']);
    expect(dockets('Az. 9 Wx 23/21')).toEqual(['9 Wx 23/21']);
    expect(dockets('the 2024 sales were 1234 units')).toEqual([]);
  });
});
