/** Opaque cursors for keyset pagination: the sort key of the last row seen, base64url-encoded JSON. */
import { WritError } from './errors.ts';

export interface Cursor {
  readonly at: string;
  readonly id: string;
}

export const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');

export function decodeCursor(raw: string): Cursor {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      if (!Number.isNaN(Date.parse(value[0]))) return { at: value[0], id: value[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new WritError('INVALID_CURSOR', 'The cursor is not one this server issued.');
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}
