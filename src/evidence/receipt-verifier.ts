/**
 * Offline checks of what the audit log hands out: a delivery receipt (beside a package), and tree heads and proofs as
 * the API serves them. Everything needed is in the files and the platform's public keys.
 */
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { checkReceipt, treeHeadFromJson, type TreeHead } from '../core/audit-log.ts';
import { verifyConsistency, verifyInclusion } from '../core/merkle.ts';
import { sha256MerkleHasher } from './merkle-hasher.ts';
import { fingerprintOf, verifySignature } from './signing-key.ts';

const merkle = sha256MerkleHasher();

export interface OfflineCheck {
  readonly ok: boolean;
  readonly problems: readonly string[];
  readonly summary: string;
}

/** The PEM public keys in a file (one or several, as `/.well-known/writ/signing-key.pem` serves them), by fingerprint. */
export function publicKeysIn(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const match of text.matchAll(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----\n?/g)) {
    try {
      keys.set(fingerprintOf(createPublicKey(match[0])), match[0]);
    } catch {
      // not a key: left out
    }
  }
  return keys;
}

function headSignatureProblem(head: TreeHead, keys: ReadonlyMap<string, string>, what: string): string | undefined {
  const pem = keys.get(head.keyFingerprint);
  if (!pem) return `${what}: signed by ${head.keyFingerprint}, which is not one of the keys given`;
  return verifySignature(pem, Buffer.from(head.checkpoint, 'utf8'), head.signature) ? undefined : `${what}: the signature does not verify`;
}

/**
 * A delivery receipt: its event is the production's (and the package's tag manifest, when given), the inclusion proof
 * leads to the signed root, and the head is signed by the key in the receipt — one of `trusted` when fingerprints are
 * given, as they should be (the platform publishes them).
 */
export function checkReceiptValue(
  value: unknown,
  options: { tagManifestSha256?: string | undefined; trustedFingerprints?: readonly string[] | undefined } = {},
): OfflineCheck {
  const { problems, receipt, head } = checkReceipt(merkle, value, { tagManifestSha256: options.tagManifestSha256 });
  if (receipt && head) {
    const keys = publicKeysIn(typeof receipt.publicKeyPem === 'string' ? receipt.publicKeyPem : '');
    const problem = headSignatureProblem(head, keys, 'treeHead');
    if (problem) problems.push(problem);
    if (options.trustedFingerprints && !options.trustedFingerprints.includes(head.keyFingerprint)) {
      problems.push(`treeHead: signed by ${head.keyFingerprint}, which is not one of the fingerprints you trust`);
    }
  }
  const summary =
    receipt && head
      ? `production ${receipt.productionId} (${receipt.trackingNumber}) is event ${receipt.event.leafIndex} of the audit log, in the tree of ${head.size} events signed at ${head.signedAt} by ${head.keyFingerprint}`
      : 'not a receipt';
  return { ok: problems.length === 0, problems, summary };
}

export async function checkReceiptFile(
  file: string,
  options: { tagManifestSha256?: string | undefined; trustedFingerprints?: readonly string[] | undefined } = {},
): Promise<OfflineCheck> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return { ok: false, problems: [`${file}: not a JSON file that can be read`], summary: 'not a receipt' };
  }
  return checkReceiptValue(value, options);
}

/** A tree head someone holds, checked for shape and signature. */
export function checkTreeHead(value: unknown, keys: ReadonlyMap<string, string>): { head?: TreeHead; problems: string[] } {
  const head = treeHeadFromJson((value as { treeHead?: unknown } | null)?.treeHead ?? value);
  if (!head) return { problems: ['not a tree head (treeSize, checkpoint, signature, keyFingerprint)'] };
  const problem = headSignatureProblem(head, keys, `tree head of size ${head.size}`);
  return { head, problems: problem ? [problem] : [] };
}

const hashes = (value: unknown): Uint8Array[] | undefined =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' && /^[0-9a-f]{64}$/.test(item))
    ? value.map((item: string) => new Uint8Array(Buffer.from(item, 'hex')))
    : undefined;

/**
 * A proof as the API serves it, against a tree head you hold: an inclusion proof (`GET /api/v1/audit/events/{i}`)
 * shows the event is in your head's tree; a consistency proof (`GET /api/v1/audit/consistency`) shows the later tree
 * extends yours. Every head involved must be signed by one of `keys`.
 */
export function checkProof(proofValue: unknown, heldValue: unknown, keys: ReadonlyMap<string, string>): OfflineCheck {
  const held = checkTreeHead(heldValue, keys);
  if (!held.head) return { ok: false, problems: held.problems, summary: 'no tree head to check against' };
  const problems = [...held.problems];
  const proof = proofValue as Record<string, unknown> | null;
  if (typeof proof !== 'object' || proof === null) return { ok: false, problems: ['not a proof'], summary: 'not a proof' };
  const mine = held.head;
  if ('first' in proof && 'second' in proof) {
    const first = checkTreeHead(proof.first, keys);
    const second = checkTreeHead(proof.second, keys);
    problems.push(...first.problems, ...second.problems);
    const path = hashes(proof.proof);
    if (!first.head || !second.head || !path) return { ok: false, problems: [...problems, 'not a consistency proof'], summary: '' };
    const sameRoot = (a: TreeHead, b: TreeHead) => a.size === b.size && Buffer.from(a.rootHash).equals(Buffer.from(b.rootHash));
    if (!sameRoot(first.head, mine) && !sameRoot(second.head, mine)) {
      problems.push(`neither tree head of the proof is the one you hold (size ${mine.size}): the log shows another history`);
    }
    if (!verifyConsistency(merkle, first.head.size, second.head.size, path, first.head.rootHash, second.head.rootHash)) {
      problems.push(`the tree of ${second.head.size} events does not extend the tree of ${first.head.size}: the log was rewritten`);
    }
    return {
      ok: problems.length === 0,
      problems,
      summary: `the tree of ${second.head.size} events extends the tree of ${first.head.size} events`,
    };
  }
  const path = hashes(proof.proof);
  const leafIndex = proof.leafIndex;
  const entry = proof.entry;
  if (!path || typeof leafIndex !== 'number' || !Number.isSafeInteger(leafIndex)) {
    return { ok: false, problems: [...problems, 'not an inclusion proof'], summary: '' };
  }
  const leafHash =
    typeof entry === 'string'
      ? merkle.leaf(Buffer.from(entry, 'utf8'))
      : typeof proof.leafHash === 'string' && /^[0-9a-f]{64}$/.test(proof.leafHash)
        ? new Uint8Array(Buffer.from(proof.leafHash, 'hex'))
        : undefined;
  if (!leafHash) return { ok: false, problems: [...problems, 'the proof names no event'], summary: '' };
  if (!verifyInclusion(merkle, leafIndex, mine.size, leafHash, path, mine.rootHash)) {
    problems.push(`event ${leafIndex} is not in the tree of ${mine.size} events your tree head signs`);
  }
  return { ok: problems.length === 0, problems, summary: `event ${leafIndex} is in the tree of ${mine.size} events` };
}
