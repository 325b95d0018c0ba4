/**
 * BagIt (RFC 8493) text formats and the checks over them, without I/O: the evidence adapter reads and hashes the files,
 * this module says what the tag files must contain and what is wrong with a bag.
 */

export const BAGIT_TXT = 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n';
export const SIGNATURE_FILE = 'tagmanifest-sha256.txt.sig';
export const PUBLIC_KEY_FILE = 'signing-key.pem';
/** Tag files every Writ bag has (the signature is not listed in the tag manifest: it signs it). */
export const REQUIRED_TAG_FILES = [
  'bagit.txt',
  'bag-info.txt',
  'manifest-sha256.txt',
  'tagmanifest-sha256.txt',
  SIGNATURE_FILE,
  PUBLIC_KEY_FILE,
];

/** RFC 8493 §2.1.3: CR, LF and % in a path are percent-encoded in manifests. */
export const encodeManifestPath = (path: string): string => path.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
export const decodeManifestPath = (path: string): string => path.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');

/** `<sha256>  <path>` lines, sorted by path: the format `sha256sum -c` reads. */
export function manifestText(entries: ReadonlyArray<{ readonly path: string; readonly sha256: string }>): string {
  return [...entries]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((entry) => `${entry.sha256}  ${encodeManifestPath(entry.path)}\n`)
    .join('');
}

export type ParsedManifest =
  { readonly ok: true; readonly entries: ReadonlyMap<string, string> } | { readonly ok: false; readonly line: number };

export function parseManifest(text: string): ParsedManifest {
  const entries = new Map<string, string>();
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    if (line === '' && index === lines.length - 1) continue;
    const match = /^([0-9a-f]{64})[ \t]+\*?(.+)$/.exec(line);
    if (!match?.[1] || !match[2]) return { ok: false, line: index + 1 };
    const path = decodeManifestPath(match[2]);
    if (entries.has(path) || path.startsWith('/') || path.split('/').includes('..')) return { ok: false, line: index + 1 };
    entries.set(path, match[1]);
  }
  return { ok: true, entries };
}

/** `Label: value` lines; values are kept on one line (line breaks become spaces). */
export function bagInfoText(fields: ReadonlyArray<readonly [string, string]>): string {
  return fields.map(([label, value]) => `${label}: ${value.replace(/\s*[\r\n]+\s*/g, ' ')}\n`).join('');
}

export interface BagObservation {
  /** Every file in the bag, relative to its root, with its SHA-256. */
  readonly files: ReadonlyMap<string, string>;
  readonly manifest: string | undefined;
  readonly tagManifest: string | undefined;
  readonly bagitTxt: string | undefined;
  /** Whether the signature over the tag manifest verified with the bag's public key. */
  readonly signatureValid: boolean | undefined;
}

/** What is wrong with a bag, each problem naming the file; empty when the bag is whole and signed. */
export function checkBag(bag: BagObservation): string[] {
  const problems: string[] = [];
  if (bag.bagitTxt === undefined) problems.push('bagit.txt: missing');
  else if (!/^BagIt-Version: 1\.0\r?\n/.test(bag.bagitTxt)) problems.push('bagit.txt: not a BagIt 1.0 declaration');
  const listed = new Set<string>();
  const compare = (name: string, text: string | undefined, scope: (path: string) => boolean) => {
    if (text === undefined) {
      problems.push(`${name}: missing`);
      return;
    }
    const parsed = parseManifest(text);
    if (!parsed.ok) {
      problems.push(`${name}: line ${parsed.line} is not "<sha256>  <path>"`);
      return;
    }
    for (const [path, expected] of parsed.entries) {
      listed.add(path);
      if (!scope(path)) problems.push(`${name}: lists ${path}, which it must not`);
      const actual = bag.files.get(path);
      if (actual === undefined) problems.push(`${path}: missing (listed in ${name})`);
      else if (actual !== expected) problems.push(`${path}: SHA-256 does not match ${name}`);
    }
  };
  compare('manifest-sha256.txt', bag.manifest, (path) => path.startsWith('data/'));
  compare(
    'tagmanifest-sha256.txt',
    bag.tagManifest,
    (path) => !path.startsWith('data/') && path !== 'tagmanifest-sha256.txt' && path !== SIGNATURE_FILE,
  );
  for (const path of bag.files.keys()) {
    if (!listed.has(path) && path !== 'tagmanifest-sha256.txt' && path !== SIGNATURE_FILE)
      problems.push(`${path}: not listed in any manifest (extra file)`);
  }
  if (!bag.files.has(PUBLIC_KEY_FILE)) problems.push(`${PUBLIC_KEY_FILE}: missing`);
  if (!bag.files.has(SIGNATURE_FILE)) problems.push(`${SIGNATURE_FILE}: missing`);
  else if (bag.signatureValid === false) problems.push(`${SIGNATURE_FILE}: the signature over tagmanifest-sha256.txt does not verify`);
  return problems;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. Values are written as they are. */
export function csvField(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ''
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  // As PostgreSQL's CSV does: an empty string is quoted, so that it stays apart from NULL (an empty field).
  if (text === '' && value !== null && value !== undefined) return '""';
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV record, ended by LF as PostgreSQL's CSV output ends them, so both ways of producing a package agree. */
export const csvLine = (values: readonly unknown[]): string => `${values.map(csvField).join(',')}\n`;
