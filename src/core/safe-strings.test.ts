import { describe, expect, it } from 'vitest';
import { isRefusedString, refusedStringPath } from './safe-strings.ts';

describe('strings PostgreSQL refuses', () => {
  it('finds NUL and lone surrogates, and lets paired surrogates and ordinary text through', () => {
    expect(isRefusedString('a\u0000b')).toBe(true);
    expect(isRefusedString('\uD800')).toBe(true);
    expect(isRefusedString('x\uDC00')).toBe(true);
    expect(isRefusedString('\uD83D\uDE00 영장 warrant')).toBe(false);
    expect(isRefusedString('')).toBe(false);
  });

  it('names where in a body the first one is, keys included, without quoting it', () => {
    expect(refusedStringPath({ email: 'a@b.c', targets: [{ value: 'ok' }, { value: 'x\u0000' }] })).toBe('targets.1.value');
    expect(refusedStringPath({ nested: { 'bad\u0000key': 1 } })).toBe('nested');
    expect(refusedStringPath('\uDBFF')).toBe('');
    expect(refusedStringPath({ a: [1, true, null, 'fine'] })).toBeUndefined();
    expect(refusedStringPath({ bytes: new Uint8Array([0, 0xd8]) })).toBeUndefined();
  });
});
