/** What Writ accepts as a legal process document, judged by content, not by the name or the declared type. */

export const LEGAL_DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'image/webp', 'image/gif'] as const;
export type LegalDocumentType = (typeof LEGAL_DOCUMENT_TYPES)[number];

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

/** The media type of a document from its first bytes, or `undefined` when it is none Writ accepts. */
export function sniffDocumentType(head: Uint8Array): LegalDocumentType | undefined {
  // PDF readers accept a header within the first 1,024 bytes; so does Writ (some scanners prepend junk).
  const window = head.subarray(0, 1024);
  for (let index = 0; index + 5 <= window.length; index += 1) {
    if (startsWith(window, [0x25, 0x50, 0x44, 0x46, 0x2d], index)) return 'application/pdf';
  }
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'image/gif';
  return undefined;
}

/** A file name safe to store and show: no path, no control characters, bounded length. */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  return cleaned.length > 0 ? cleaned : 'document';
}
