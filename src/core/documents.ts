/**
 * What Writ accepts as a legal process document, judged by content, not by the name or the declared type: the type is
 * the signature at offset 0, anything that starts like a program or an archive is refused, and the name a document is
 * stored and served under always ends in the extension of the type that was detected.
 */

export const LEGAL_DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'image/webp', 'image/gif'] as const;
export type LegalDocumentType = (typeof LEGAL_DOCUMENT_TYPES)[number];

/** The extension a stored document's name ends in, per type (the first one is added when the name has none of them). */
export const DOCUMENT_EXTENSIONS: Readonly<Record<LegalDocumentType, readonly string[]>> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
  'image/tiff': ['tif', 'tiff'],
  'image/webp': ['webp'],
  'image/gif': ['gif'],
};

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((byte, index) => bytes[offset + index] === byte);

const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));

/**
 * How many bytes may come before `%PDF-`. ISO 32000-1:2008 and ISO 32000-2:2020 §7.5.2 say a PDF file *begins* with
 * `%PDF-` and that byte offsets count from its percent sign; Adobe's PDF Reference 1.7 (Appendix H, implementation note
 * 13) lets Acrobat find it anywhere in the first 1,024 bytes, and pdf.js and poppler search a similar window. That
 * leniency is what makes polyglots (a Windows program with `%PDF-` at 0x200) open as PDFs, so Writ tolerates only what
 * real generators emit by mistake: a UTF-8 byte order mark and a little white space (blank lines some mail gateways and
 * scripts prepend), and nothing else.
 */
const PDF_LEADING_WHITESPACE = 16;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const WHITESPACE = new Set([0x09, 0x0a, 0x0c, 0x0d, 0x20]);

/** Where the content starts once the tolerated prefix (a UTF-8 BOM, then at most 16 white-space bytes) is skipped. */
function contentStart(head: Uint8Array): number {
  let index = startsWith(head, UTF8_BOM) ? UTF8_BOM.length : 0;
  const limit = index + PDF_LEADING_WHITESPACE;
  while (index < head.length && index < limit && WHITESPACE.has(head[index] ?? -1)) index += 1;
  return index;
}

/**
 * Signatures of programs and archives (from each format's own specification, as file(1)'s magic lists them). A
 * document that starts with one is refused whatever else it holds: these are what a polyglot or a smuggled payload
 * starts with, and no scanner or court system produces them as legal process.
 */
const REFUSED_SIGNATURES: ReadonlyArray<{ readonly what: string; readonly bytes: readonly number[] }> = [
  { what: 'a Windows or DOS program (MZ)', bytes: ascii('MZ') },
  { what: 'a Linux or Unix program (ELF)', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { what: 'a macOS program (Mach-O)', bytes: [0xfe, 0xed, 0xfa, 0xce] },
  { what: 'a macOS program (Mach-O)', bytes: [0xfe, 0xed, 0xfa, 0xcf] },
  { what: 'a macOS program (Mach-O)', bytes: [0xce, 0xfa, 0xed, 0xfe] },
  { what: 'a macOS program (Mach-O)', bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  // Also Java class files, which share the universal binary's magic.
  { what: 'a macOS universal program (Mach-O) or a Java class', bytes: [0xca, 0xfe, 0xba, 0xbe] },
  { what: 'a script (#!)', bytes: ascii('#!') },
  { what: 'a WebAssembly module', bytes: [0x00, 0x61, 0x73, 0x6d] },
  { what: 'a ZIP archive (PK)', bytes: ascii('PK') },
  { what: 'a RAR archive', bytes: ascii('Rar!') },
  { what: 'a 7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { what: 'a gzip archive', bytes: [0x1f, 0x8b] },
  { what: 'a bzip2 archive', bytes: ascii('BZh') },
  { what: 'an xz archive', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { what: 'a Zstandard archive', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { what: 'a compressed (.Z) archive', bytes: [0x1f, 0x9d] },
  { what: 'a cabinet archive', bytes: ascii('MSCF') },
  { what: 'an OLE compound file (old Office, MSI installer)', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { what: 'a disk image or installer (xar)', bytes: ascii('xar!') },
  { what: 'an ar archive (.deb)', bytes: ascii('!<arch>') },
];

/**
 * What a document's first bytes say it is when that is a program or an archive (whatever it may also be further on),
 * or `undefined`. The bytes are read at offset 0 and again after the prefix a PDF may have, so white space does not
 * hide a signature.
 */
export function refusedSignature(head: Uint8Array): string | undefined {
  for (const offset of new Set([0, contentStart(head)])) {
    const found = REFUSED_SIGNATURES.find((signature) => startsWith(head, signature.bytes, offset));
    if (found) return found.what;
  }
  // A tar archive's "ustar" magic sits at byte 257 of its first header.
  if (startsWith(head, ascii('ustar'), 257)) return 'a tar archive';
  return undefined;
}

/** The media type of a document from the signature at its start, or `undefined` when it is none Writ accepts. */
export function sniffDocumentType(head: Uint8Array): LegalDocumentType | undefined {
  if (refusedSignature(head) !== undefined) return undefined;
  if (startsWith(head, ascii('%PDF-'), contentStart(head))) return 'application/pdf';
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  return undefined;
}

/**
 * Control, format and separator characters: C0 and C1 controls, DEL, the bidirectional marks, embeddings, overrides and
 * isolates (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069, which turn `warrant\u202Efdp.exe` into what reads as
 * "warrantexe.pdf"), zero-width characters, the byte order mark, and line and paragraph separators.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu;

/** A file name safe to store and show: no path, no control or bidirectional characters, bounded length. */
export function safeFileName(name: string | undefined): string {
  const base = (name ?? '').normalize('NFC').replace(INVISIBLE, '').split(/[\\/]/).pop() ?? '';
  // Leading dots would hide the file on Unix; trailing dots and spaces are dropped by Windows, revealing what is before.
  const cleaned = base.replace(/^[.\s]+|[.\s]+$/g, '').slice(0, 200);
  return cleaned.length > 0 ? cleaned : 'document';
}

/**
 * The name a document is stored and served under: its safe name with the detected type's extension. A name that ends
 * in another extension has it replaced (`warrant.exe` stored as a PDF is `warrant.pdf`), so what the reviewer saves is
 * opened by the program for what it is; a name already ending in one of the type's extensions keeps it.
 */
export function documentFileName(name: string | undefined, mediaType: LegalDocumentType): string {
  const safe = safeFileName(name);
  const extensions = DOCUMENT_EXTENSIONS[mediaType];
  const dot = safe.lastIndexOf('.');
  const extension = dot > 0 ? safe.slice(dot + 1).toLowerCase() : '';
  if (extensions.includes(extension)) return safe;
  // Anything after the last dot that looks like an extension (up to 10 letters or digits) goes.
  const stem = dot > 0 && /^[\p{L}\p{N}_-]{1,10}$/u.test(extension) ? safe.slice(0, dot).replace(/[.\s]+$/, '') : safe;
  return `${(stem.length > 0 ? stem : 'document').slice(0, 190)}.${extensions[0] ?? 'bin'}`;
}

/** Whether a stored media type is one Writ accepts (rows are read back as plain text). */
export const isLegalDocumentType = (value: string): value is LegalDocumentType =>
  (LEGAL_DOCUMENT_TYPES as readonly string[]).includes(value);
