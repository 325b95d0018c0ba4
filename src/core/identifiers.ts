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

const EMAIL = /^(?:mailto:)?[^\s@]+@[^\s@]+\.[^\s@]+$/i;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^(?=.*:)[0-9a-f:]{2,39}$/i;
const URL_LIKE = /^(?:https?:\/\/\S+|(?:[a-z0-9-]+\.)+[a-z]{2,}\/\S*)$/i;
const MATRIX_ID = /^@[^:\s]+:[^\s]+$/;
const HANDLE = /^@?[A-Za-z0-9._-]+(?:@(?:[a-z0-9-]+\.)+[a-z]{2,})?$/i;
const USER_ID = /^#\S+$/;

/**
 * What an identifier pasted by an officer most likely is, for the request form to show and let them correct:
 * `minjun@example.kr` is an email, `+82 10-1234-5678` (or `010-1234-5678` under KR law) a phone, `https://…` a URL,
 * `@minjun:matrix.example` or `@minjun` a username, `#1042` or `1042` a platform user ID, `203.0.113.7` an IP.
 * `jurisdiction` gives the country for national phone numbers.
 */
export function recognizeIdentifier(text: string, jurisdiction?: string): IdentifierKind {
  const value = text.trim();
  if (value === '') return 'other';
  if (MATRIX_ID.test(value)) return 'username';
  if (IPV4.test(value) || (IPV6.test(value) && value.includes('::')) || /^(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}$/i.test(value)) return 'ip';
  if (URL_LIKE.test(value)) return 'url';
  if (EMAIL.test(value) && !value.startsWith('@')) return 'email';
  if (USER_ID.test(value)) return 'user_id';
  if (/^\+?[\d\s().-]{7,}$/.test(value) && /\d{3}/.test(value)) {
    const country = jurisdiction && /^[A-Z]{2}$/.test(jurisdiction) ? (jurisdiction as CountryCode) : undefined;
    const parsed = parsePhoneNumberFromString(value, country);
    if (parsed?.isPossible()) return 'phone';
    return /^\d+$/.test(value) ? 'user_id' : 'other';
  }
  if (/^\d+$/.test(value)) return 'user_id';
  if (HANDLE.test(value)) return 'username';
  return 'other';
}

/** A pasted list, one identifier per line (or separated by commas or semicolons), blanks and repeats dropped. */
export function splitIdentifierList(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/[\n\r,;]+/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !seen.has(line) && (seen.add(line), true));
}
