import { describe, expect, it } from 'vitest';
import { normalizeIdentifier, recognizeIdentifier, splitIdentifierList } from './identifiers.ts';

describe('normalizeIdentifier', () => {
  it.each([
    ['phone', '+82 10-1234-5678', undefined, 'phone', '+821012345678'],
    ['phone', '010-1234-5678', 'KR', 'phone', '+821012345678'],
    ['phone', '(202) 555-0143', 'US', 'phone', '+12025550143'],
    ['email', ' Minjun.Kim@Example.KR ', undefined, 'email', 'minjun.kim@example.kr'],
    ['username', '@minjun.kim:demo-messenger.example', undefined, 'username', 'minjun.kim'],
    ['username', '@Alex.Doe@social.example', undefined, 'username', 'alex.doe'],
    ['username', 'Alex.Doe', undefined, 'username', 'alex.doe'],
    ['url', 'https://demo-messenger.example/@minjun.kim', undefined, 'username', 'minjun.kim'],
    ['url', 'demo-messenger.example/u/alex.doe/', undefined, 'username', 'alex.doe'],
    ['user_id', '#42', undefined, 'user_id', '42'],
  ] as const)('%s %s → %s', (kind, value, jurisdiction, expectedKind, expected) => {
    expect(normalizeIdentifier(kind, value, jurisdiction)).toEqual({ kind: expectedKind, value: expected, original: value });
  });

  it('keeps what it cannot read, so "not found" can show it', () => {
    expect(normalizeIdentifier('phone', 'call me maybe').value).toBe('callmemaybe');
    expect(normalizeIdentifier('url', 'not a url at all').value).toBe('not a url at all');
  });
});

describe('recognizeIdentifier', () => {
  it.each([
    ['minjun.kim@example.kr', undefined, 'email'],
    ['mailto:Alex@Example.gov', undefined, 'email'],
    ['+82 10-1234-5678', undefined, 'phone'],
    ['010-1234-5678', 'KR', 'phone'],
    ['(202) 555-0143', 'US', 'phone'],
    ['https://demo-messenger.example/@minjun.kim', undefined, 'url'],
    ['demo-messenger.example/u/alex.doe', undefined, 'url'],
    ['@minjun.kim:demo-messenger.example', undefined, 'username'],
    ['@alex.doe@social.example', undefined, 'username'],
    ['minjun.kim', undefined, 'username'],
    ['#1042', undefined, 'user_id'],
    ['1042', undefined, 'user_id'],
    ['203.0.113.7', undefined, 'ip'],
    ['2001:db8::1', undefined, 'ip'],
    ['two words here', undefined, 'other'],
    ['', undefined, 'other'],
  ] as const)('%s (%s) is %s', (text, jurisdiction, kind) => {
    expect(recognizeIdentifier(text, jurisdiction)).toBe(kind);
  });

  it('recognises what normalizeIdentifier then reads as the same kind of thing', () => {
    for (const text of ['+82 10-1234-5678', 'minjun.kim@example.kr', '@minjun.kim:demo-messenger.example', '#42']) {
      const kind = recognizeIdentifier(text);
      expect(normalizeIdentifier(kind, text).kind).toBe(kind);
    }
  });
});

describe('splitIdentifierList', () => {
  it('takes one per line, commas or semicolons, and drops blanks and repeats', () => {
    expect(splitIdentifierList(' a@example.kr\n\n+82 10-1234-5678; minjun.kim, a@example.kr \r\n')).toEqual([
      'a@example.kr',
      '+82 10-1234-5678',
      'minjun.kim',
    ]);
  });
});
