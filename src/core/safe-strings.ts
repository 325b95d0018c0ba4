/**
 * Strings PostgreSQL refuses to store: a NUL character (text cannot hold U+0000) and a lone UTF-16 surrogate (not
 * Unicode, so not UTF-8). Input is checked for them once, where it enters, so that no such string reaches the database
 * and fails there as a 500.
 */

// NUL, a high surrogate not followed by a low one, or a low one not preceded by a high one.
// eslint-disable-next-line no-control-regex
const REFUSED = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when `value` holds NUL or a surrogate without its pair. */
export function isRefusedString(value: string): boolean {
  return REFUSED.test(value);
}

/**
 * The path (`a.b.0`) of the first string, object key included, that PostgreSQL would refuse, or undefined when there is
 * none. Walks at most `limit` values so that a hostile body cannot make the walk itself costly.
 */
export function refusedStringPath(value: unknown, limit = 100_000): string | undefined {
  let budget = limit;
  const walk = (node: unknown, path: string): string | undefined => {
    budget -= 1;
    if (budget < 0) return undefined;
    if (typeof node === 'string') return isRefusedString(node) ? path : undefined;
    // Bytes (a Buffer) are not text for the database; only parsed JSON, query strings and path parameters are walked.
    if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) return undefined;
    if (Array.isArray(node)) {
      for (const [index, item] of node.entries()) {
        const found = walk(item, path ? `${path}.${index}` : String(index));
        if (found !== undefined) return found;
      }
      return undefined;
    }
    for (const [key, item] of Object.entries(node as Record<string, unknown>)) {
      const here = path ? `${path}.${key}` : key;
      if (isRefusedString(key)) return path || '(key)';
      const found = walk(item, here);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return walk(value, '');
}
