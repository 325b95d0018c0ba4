import { describe, expect, it } from 'vitest';
import { checkBag, csvLine, manifestText, parseManifest } from './bag.ts';

describe('manifests', () => {
  it('round-trips paths with line breaks and percent signs (RFC 8493 §2.1.3)', () => {
    const text = manifestText([{ path: 'data/a%b\nc.csv', sha256: 'a'.repeat(64) }]);
    expect(text).toBe(`${'a'.repeat(64)}  data/a%25b%0Ac.csv\n`);
    const parsed = parseManifest(text);
    expect(parsed.ok && [...parsed.entries.keys()]).toEqual(['data/a%b\nc.csv']);
  });

  it('refuses malformed lines, duplicates and paths that climb out of the bag', () => {
    expect(parseManifest('nothex  data/x\n')).toEqual({ ok: false, line: 1 });
    expect(parseManifest(`${'a'.repeat(64)}  data/../../etc/passwd\n`)).toEqual({ ok: false, line: 1 });
    expect(parseManifest(`${'a'.repeat(64)}  data/x\n${'b'.repeat(64)}  data/x\n`)).toEqual({ ok: false, line: 2 });
  });

  it('does not let the tag manifest vouch for payload files', () => {
    const problems = checkBag({
      files: new Map([['data/x', 'a'.repeat(64)]]),
      manifest: `${'a'.repeat(64)}  data/x\n`,
      tagManifest: `${'a'.repeat(64)}  data/x\n`,
      bagitTxt: 'BagIt-Version: 1.0\n',
      signatureValid: true,
    });
    expect(problems).toContain('tagmanifest-sha256.txt: lists data/x, which it must not');
  });
});

describe('csvLine', () => {
  it('quotes only what needs quoting and keeps values as they are', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', null, 3, '=SUM(A1)'])).toBe('a,"b,c","say ""hi""",,3,=SUM(A1)\n');
  });
});
