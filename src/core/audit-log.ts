/**
 * The audit log as a Merkle log: what one event's leaf is (its entry), what a signed tree head says (a C2SP
 * tlog-checkpoint), what a delivery receipt holds, and how a whole log is checked against its heads. Pure: the hashes
 * come from a `MerkleHasher`, the signatures are checked by the caller.
 */
import type { Actor } from './actor.ts';
import { sideOf } from './actor.ts';
import { AUDIT_EVENT_VERSION, type AuditEvent } from './audit.ts';
import { canonicalJson } from './canonical.ts';
import { TreeBuilder, verifyInclusion, type MerkleHasher } from './merkle.ts';

/** One event as the log keeps it. Its canonical JSON is the entry, and the leaf hash is over those bytes. */
export interface LogEntry {
  readonly v: number;
  readonly type: string;
  readonly at: string;
  readonly actorUserId: string | null;
  readonly actorOrganisationId: string | null;
  readonly via: string;
  readonly requestId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The entry for an event: who, when, what; the caller's address rides along on authentication and access events. */
export function entryOf(actor: Actor, event: AuditEvent, at: Date): string {
  const entry: LogEntry = {
    v: AUDIT_EVENT_VERSION,
    type: event.type,
    at: at.toISOString(),
    actorUserId: actor.via === 'system' ? null : actor.userId,
    actorOrganisationId: actor.via === 'system' ? null : actor.organisationId,
    via: actor.via,
    requestId: event.requestId ?? null,
    data: {
      ...event.data,
      side: sideOf(actor),
      ...(actor.ip && /^(auth|access)\./.test(event.type) ? { ip: actor.ip } : {}),
    },
  };
  return canonicalJson(entry);
}

/** A signed tree head: the checkpoint text and the platform's Ed25519 signature over exactly its bytes. */
export interface TreeHead {
  readonly size: number;
  readonly rootHash: Uint8Array;
  readonly signedAt: string;
  /** C2SP tlog-checkpoint: origin, size, base64 root hash, and the signing time as an extension line. */
  readonly checkpoint: string;
  readonly signature: Uint8Array;
  readonly keyFingerprint: string;
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** The checkpoint body a tree head signs. */
export function checkpointText(origin: string, size: number, rootHash: Uint8Array, signedAt: string): string {
  return `${origin}\n${size}\n${base64(rootHash)}\n${signedAt}\n`;
}

/** What a checkpoint says, or undefined when it is not one. */
export function parseCheckpoint(text: string): { origin: string; size: number; rootHash: Uint8Array; signedAt: string } | undefined {
  const match = /^([^\n]+)\n(0|[1-9]\d{0,15})\n([A-Za-z0-9+/]{43}=)\n(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\n$/.exec(text);
  if (!match) return undefined;
  const size = Number(match[2]);
  if (!Number.isSafeInteger(size)) return undefined;
  return { origin: match[1]!, size, rootHash: new Uint8Array(Buffer.from(match[3]!, 'base64')), signedAt: match[4]! };
}

/** A tree head as JSON: what the API serves and receipts and reports carry. */
export interface TreeHeadJson {
  readonly treeSize: number;
  readonly rootHash: string;
  readonly signedAt: string;
  readonly checkpoint: string;
  /** Base64 of the raw 64-byte Ed25519 signature over `checkpoint`. */
  readonly signature: string;
  readonly keyFingerprint: string;
}

export const treeHeadJson = (head: TreeHead): TreeHeadJson => ({
  treeSize: head.size,
  rootHash: Buffer.from(head.rootHash).toString('hex'),
  signedAt: head.signedAt,
  checkpoint: head.checkpoint,
  signature: base64(head.signature),
  keyFingerprint: head.keyFingerprint,
});

/**
 * A tree head from JSON someone holds (a receipt, a report), checked for shape and for agreeing with its own checkpoint;
 * the signature is the caller's to check.
 */
export function treeHeadFromJson(value: unknown): TreeHead | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const head = value as Partial<Record<keyof TreeHeadJson, unknown>>;
  if (typeof head.checkpoint !== 'string' || typeof head.signature !== 'string' || typeof head.keyFingerprint !== 'string') {
    return undefined;
  }
  const parsed = parseCheckpoint(head.checkpoint);
  if (!parsed) return undefined;
  if (head.treeSize !== undefined && head.treeSize !== parsed.size) return undefined;
  if (head.rootHash !== undefined && head.rootHash !== Buffer.from(parsed.rootHash).toString('hex')) return undefined;
  const signature = Buffer.from(head.signature, 'base64');
  if (signature.length !== 64) return undefined;
  return {
    size: parsed.size,
    rootHash: parsed.rootHash,
    signedAt: parsed.signedAt,
    checkpoint: head.checkpoint,
    signature: new Uint8Array(signature),
    keyFingerprint: head.keyFingerprint,
  };
}

export const RECEIPT_FORMAT = 'writ-delivery-receipt/1';

/**
 * What goes out with every delivery: the signed tree head at delivery, the production's event as the log holds it,
 * and the proof that the event is in that tree. With the platform's public key it is checked offline.
 */
export interface DeliveryReceipt {
  readonly format: typeof RECEIPT_FORMAT;
  readonly trackingNumber: string;
  readonly productionId: string;
  readonly tagManifestSha256: string;
  readonly event: { readonly leafIndex: number; readonly entry: string; readonly leafHash: string };
  readonly inclusionProof: readonly string[];
  readonly treeHead: TreeHeadJson;
  /** The key that signed the tree head (compare its fingerprint with the one the platform publishes). */
  readonly publicKeyPem: string;
}

/** What is wrong with a receipt (empty when it holds together); the head's signature is checked by the caller. */
export function checkReceipt(
  hasher: MerkleHasher,
  value: unknown,
  expected: { tagManifestSha256?: string | undefined } = {},
): { problems: string[]; receipt?: DeliveryReceipt; head?: TreeHead } {
  const receipt = value as Partial<DeliveryReceipt> | null;
  if (typeof receipt !== 'object' || receipt === null || receipt.format !== RECEIPT_FORMAT) {
    return { problems: [`not a ${RECEIPT_FORMAT} receipt`] };
  }
  const problems: string[] = [];
  const head = treeHeadFromJson(receipt.treeHead);
  if (!head) problems.push('treeHead: not a tree head');
  const event = receipt.event;
  if (!event || typeof event.entry !== 'string' || !Number.isSafeInteger(event.leafIndex) || !Array.isArray(receipt.inclusionProof)) {
    problems.push('event: missing or malformed');
    return { problems };
  }
  const leafHash = hasher.leaf(Buffer.from(event.entry, 'utf8'));
  if (Buffer.from(leafHash).toString('hex') !== event.leafHash) problems.push('event: its leaf hash is not the hash of its entry');
  let entry: Partial<LogEntry> = {};
  try {
    entry = JSON.parse(event.entry) as Partial<LogEntry>;
  } catch {
    problems.push('event: its entry is not JSON');
  }
  const data = (entry.data ?? {}) as Record<string, unknown>;
  if (entry.type !== 'production.completed') problems.push('event: not a production.completed event');
  if (data.productionId !== receipt.productionId) problems.push('event: names another production');
  if (data.tagManifestSha256 !== receipt.tagManifestSha256) problems.push('event: names another tag manifest');
  if (expected.tagManifestSha256 !== undefined && expected.tagManifestSha256 !== receipt.tagManifestSha256) {
    problems.push('the package’s tagmanifest-sha256.txt is not the one this receipt names');
  }
  const proof = receipt.inclusionProof.map((element) =>
    typeof element === 'string' && /^[0-9a-f]{64}$/.test(element) ? new Uint8Array(Buffer.from(element, 'hex')) : undefined,
  );
  if (head) {
    if (proof.some((element) => element === undefined)) problems.push('inclusionProof: not a list of SHA-256 hashes');
    else if (!verifyInclusion(hasher, event.leafIndex, head.size, leafHash, proof as Uint8Array[], head.rootHash)) {
      problems.push(`inclusionProof: does not prove event ${event.leafIndex} in the tree of ${head.size} events`);
    }
  }
  return { problems, receipt: receipt as DeliveryReceipt, ...(head ? { head } : {}) };
}

/** One problem the verifier found, at the first leaf it concerns when there is one. */
export interface LogProblem {
  readonly leafIndex?: number;
  readonly eventId?: string;
  readonly message: string;
}

/**
 * Checks a log as it is streamed in leaf order against its tree heads (oldest first): leaves are contiguous from 0,
 * the root at each head's size is the head's root, and nothing lies beyond the last head. It keeps every leaf hash
 * (32 bytes each) so a mismatch can be traced to the first leaf that differs from the hashes stored when it was placed.
 */
export class LogVerifier {
  private readonly builder: TreeBuilder;
  private hashes: Uint8Array;
  private headAt = 0;
  private expected = 0;
  readonly problems: LogProblem[] = [];
  /** Heads whose root the leaves do not give: [size of the last head that matched, size of this one]. */
  readonly mismatches: Array<{ after: number; size: number }> = [];
  private lastGood = 0;

  constructor(
    private readonly hasher: MerkleHasher,
    private readonly heads: readonly TreeHead[],
  ) {
    this.builder = new TreeBuilder(hasher);
    this.hashes = new Uint8Array(32 * 1024);
    while (this.heads[this.headAt]?.size === 0) this.checkHead(this.heads[this.headAt++]!);
  }

  /** The next leaf: its position as stored, and the hash of its entry. */
  leaf(index: number, leafHash: Uint8Array): void {
    if (index !== this.expected) {
      if (index > this.expected) {
        this.problems.push({
          leafIndex: this.expected,
          message:
            index === this.expected + 1
              ? `event ${this.expected} is missing: deleted from the log`
              : `events ${this.expected} to ${index - 1} are missing: deleted from the log`,
        });
      }
      // Carry on from what is there, so later heads are still checked.
      while (this.expected < index) this.push(new Uint8Array(32));
    }
    this.push(leafHash);
  }

  private push(leafHash: Uint8Array) {
    const at = this.expected * 32;
    if (at + 32 > this.hashes.length) {
      const grown = new Uint8Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes.set(leafHash, at);
    this.builder.append(leafHash);
    this.expected += 1;
    while (this.heads[this.headAt]?.size === this.expected) this.checkHead(this.heads[this.headAt++]!);
  }

  private checkHead(head: TreeHead) {
    const root = this.builder.root();
    if (root.length === head.rootHash.length && root.every((byte, index) => byte === head.rootHash[index])) {
      this.lastGood = head.size;
      return;
    }
    this.mismatches.push({ after: this.lastGood, size: head.size });
  }

  /** How many leaves were read. */
  get size(): number {
    return this.expected;
  }

  /** The leaf hash computed for a leaf. */
  computed(index: number): Uint8Array {
    return this.hashes.subarray(index * 32, index * 32 + 32);
  }

  /** Called after the last leaf: the log ends where its last head says, or it was cut short or added to. */
  finish(): void {
    const last = this.heads.at(-1);
    if (!last) {
      if (this.expected > 0)
        this.problems.push({ leafIndex: 0, message: `${this.expected} events are placed but no tree head was ever signed` });
      return;
    }
    if (this.headAt < this.heads.length) {
      this.problems.push({
        leafIndex: this.expected,
        message: `the log ends at ${this.expected} events, but a signed tree head covers ${last.size}: events from ${this.expected} on were removed`,
      });
    } else if (this.expected > last.size) {
      this.problems.push({
        leafIndex: last.size,
        message: `events from ${last.size} on are placed in the tree but no signed tree head covers them: put in by hand`,
      });
    }
  }
}
