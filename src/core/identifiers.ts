/**
 * Identifiers as agencies write them, brought to one form a connector can look up: `+82 10-1234-5678` → `+821012345678`,
 * `@minjun.kim:demo.example` → `minjun.kim`, `https://…/@minjun.kim` → `minjun.kim`, `Minjun.Kim@Example.KR` →
 * `minjun.kim@example.kr`. What cannot be normalised comes back unchanged, so "not found" can show the form that was tried.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { IdentifierKind } from './request.ts';

export interface NormalizedIdentifier {
  readonly kind: IdentifierKind;
  /** The form looked up. */
  readonly value: string;
  /** The form the agency wrote. */
  readonly original: string;
}

const USERNAME_IN_URL = /^(?:https?:\/\/)?[^/\s]+\/(?:@|u\/|users\/|user\/|profile\/)?@?([A-Za-z0-9._-]+)\/?(?:[?#].*)?$/;

/** An item of content as a removal order names it: a URL stays a URL (it is not an account's profile), an id stays as it is. */
export function normalizeContent(kind: IdentifierKind, original: string): NormalizedIdentifier {
  return { kind, value: original.trim(), original };
}

/** `jurisdiction` gives the country for national phone numbers (010-…) where it is a country. */
export function normalizeIdentifier(kind: IdentifierKind, original: string, jurisdiction?: string): NormalizedIdentifier {
  const trimmed = original.trim();
  const as = (k: IdentifierKind, value: string): NormalizedIdentifier => ({ kind: k, value, original });
  switch (kind) {
    case 'email':
      return as('email', trimmed.toLowerCase().replace(/^mailto:/, ''));
    case 'phone': {
      const country = jurisdiction && /^[A-Z]{2}$/.test(jurisdiction) ? (jurisdiction as CountryCode) : undefined;
      const parsed = parsePhoneNumberFromString(trimmed, country);
      return as('phone', parsed?.isPossible() ? parsed.number : trimmed.replace(/[\s().-]/g, ''));
    }
    case 'username': {
      // Matrix user IDs (@localpart:server) and handles (@name, @name@server) name the local part.
      const matrix = /^@([^:\s]+):[^\s]+$/.exec(trimmed);
      if (matrix?.[1]) return as('username', matrix[1].toLowerCase());
      const fediverse = /^@?([^@\s]+)(?:@[^\s]+)?$/.exec(trimmed);
      return as('username', (fediverse?.[1] ?? trimmed).toLowerCase());
    }
    case 'url': {
      const match = USERNAME_IN_URL.exec(trimmed);
      return match?.[1] ? as('username', match[1].toLowerCase()) : as('url', trimmed);
    }
    case 'user_id':
      return as('user_id', trimmed.replace(/^#/, ''));
    case 'ip':
    case 'content_id':
    case 'other':
      return as(kind, trimmed);
  }
}
