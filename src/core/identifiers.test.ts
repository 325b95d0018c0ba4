import { describe, expect, it } from 'vitest';
import { normalizeIdentifier } from './identifiers.ts';

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
