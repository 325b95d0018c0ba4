/**
 * The audit log as a Merkle log: the sequencer that places committed events and signs tree heads, the proofs served
 * from it, and the receipt every delivery carries.
 *
 * Events are appended inside the transactions that cause them, with no shared counter (see docs/architecture.md,
 * "The audit log"). Placing them is a separate step, one sequencer at a time: it reads committed events not placed
 * yet, gives them the next leaf indexes, stores the subtree hashes they complete and signs a head over the new tree,
 * in one transaction, so every placed leaf is always covered by a signed head.
 */
import { SYSTEM_ACTOR, type Actor } from '../core/actor.ts';
import { checkpointText, RECEIPT_FORMAT, treeHeadJson, type DeliveryReceipt, type TreeHead, type TreeHeadJson } from '../core/audit-log.ts';
import { WritError } from '../core/errors.ts';
import {
  assembleProof,
  consistencyPlan,
  inclusionPlan,
  nodeKeyOf,
  rootPlan,
  TreeBuilder,
  type MerkleHasher,
  type NodeKey,
} from '../core/merkle.ts';
import type { AuditTree, Clock, Repositories, Transactor, TreeHeadSigner } from '../core/ports.ts';
import { requirePermission } from './common.ts';

export interface SequenceDeps {
  readonly store: Transactor<Pick<Repositories, 'auditTree' | 'audit'>>;
  readonly merkle: MerkleHasher;
  readonly signer: Pick<TreeHeadSigner, 'sign'>;
  readonly clock: Clock;
  /** The log's name in its checkpoints (C2SP tlog-checkpoint origin). */
  readonly logOrigin: string;
}

const SEQUENCE_BATCH = 5000;
const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** The hashes of these stored nodes, in order; a missing one means the stored tree no longer matches its heads. */
async function edgeOf(tree: Pick<AuditTree, 'nodes'>, keys: readonly NodeKey[]): Promise<Uint8Array[]> {
  const found = await tree.nodes(keys);
  return keys.map((key) => {
    const hash = found.get(nodeKeyOf(key));
    if (!hash)
      throw new WritError('AUDIT_LOG_BROKEN', 'The audit log’s stored tree does not match its last tree head; run writ audit verify.');
    return hash;
  });
}

/**
 * Places every committed event not placed yet, a batch per transaction, each batch under a new signed tree head.
 * With `wait: false` it gives way when another sequencer is running (the periodic run); a delivery waits its turn.
 */
export async function sequenceAuditLog(
  deps: SequenceDeps,
  options: { wait: boolean; batchSize?: number },
): Promise<{ placed: number; head: TreeHead | undefined }> {
  const batchSize = options.batchSize ?? SEQUENCE_BATCH;
  let placed = 0;
  let head: TreeHead | undefined;
  for (;;) {
    const round = await deps.store.transaction(async ({ auditTree, audit }) => {
      if (!(await auditTree.lockSequencer(options.wait))) return undefined;
      const latest = await auditTree.latestTreeHead();
      const pending = await auditTree.unsequenced(batchSize);
      if (pending.length === 0) return { placed: 0, head: latest };
      const size = latest?.size ?? 0;
      const edgeKeys = rootPlan(size);
      const builder = new TreeBuilder(deps.merkle, size, await edgeOf(auditTree, edgeKeys));
      const leaves: Array<{ id: string; index: number }> = [];
      const nodes: Array<NodeKey & { hash: Uint8Array }> = [];
      for (const event of pending) {
        leaves.push({ id: event.id, index: builder.size });
        for (const node of builder.push(deps.merkle.leaf(utf8(event.entry)))) nodes.push(node);
      }
      await auditTree.place(leaves, nodes);
      const signedAt = deps.clock.now().toISOString();
      const rootHash = builder.root();
      const checkpoint = checkpointText(deps.logOrigin, builder.size, rootHash, signedAt);
      const { signature, keyFingerprint, created } = await deps.signer.sign(utf8(checkpoint));
      const signed: TreeHead = { size: builder.size, rootHash, signedAt, checkpoint, signature, keyFingerprint };
      await auditTree.addTreeHead(signed);
      // The platform's first key was made to sign this head: a key change like any other, placed with the next batch.
      if (created) await audit.append(SYSTEM_ACTOR, { type: 'key.created', data: { keyId: created.keyId, fingerprint: keyFingerprint } });
      return { placed: pending.length, head: signed };
    });
    if (!round) return { placed, head };
    placed += round.placed;
    head = round.head;
    if (round.placed < batchSize) return { placed, head };
  }
}

export interface ProofDeps {
  readonly store: Transactor<Pick<Repositories, 'auditTree'>>;
  readonly merkle: MerkleHasher;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The signed head of this size, or the latest when no size is given. */
async function headAt(tree: Pick<AuditTree, 'treeHead' | 'latestTreeHead'>, size: number | undefined): Promise<TreeHead> {
  const head = size === undefined ? await tree.latestTreeHead() : await tree.treeHead(size);
  if (!head) {
    throw new WritError(
      'TREE_HEAD_NOT_FOUND',
      size === undefined ? 'The audit log has no signed tree head yet.' : 'No tree head was signed at that size; ask for one that was.',
    );
  }
  return head;
}

export async function getTreeHead(deps: Pick<ProofDeps, 'store'>, input: { treeSize?: number | undefined }): Promise<TreeHeadJson> {
  return treeHeadJson(await headAt(deps.store.read.auditTree, input.treeSize));
}

/** Signed tree heads from a size on, smallest first (for witnesses and anyone keeping the heads they saw). */
export async function listTreeHeads(
  deps: Pick<ProofDeps, 'store'>,
  input: { fromSize?: number | undefined; limit: number },
): Promise<TreeHeadJson[]> {
  return (await deps.store.read.auditTree.treeHeads({ fromSize: input.fromSize ?? 0, limit: input.limit })).map(treeHeadJson);
}

export interface InclusionProof {
  readonly leafIndex: number;
  readonly leafHash: string;
  readonly proof: readonly string[];
  readonly treeHead: TreeHeadJson;
}

async function inclusionIn(deps: ProofDeps, tree: AuditTree, leafIndex: number, head: TreeHead): Promise<InclusionProof> {
  if (leafIndex >= head.size) throw new WritError('AUDIT_EVENT_NOT_FOUND', 'That event is not in the tree of this size.');
  const plan = inclusionPlan(leafIndex, head.size);
  const leafKey = { level: 0, index: leafIndex };
  const found = await tree.nodes([...plan.keys, leafKey]);
  const leafHash = found.get(nodeKeyOf(leafKey));
  if (!leafHash) throw new WritError('AUDIT_LOG_BROKEN', 'The audit log’s stored tree is incomplete; run writ audit verify.');
  const proof = assembleProof(deps.merkle, plan, (key) => found.get(nodeKeyOf(key)));
  return { leafIndex, leafHash: hex(leafHash), proof: proof.map(hex), treeHead: treeHeadJson(head) };
}

/** The proof that event `leafIndex` is in the tree of a signed head (the latest when no size is given). */
export async function proveInclusion(
  deps: ProofDeps,
  input: { leafIndex: number; treeSize?: number | undefined },
): Promise<InclusionProof & { entry: string }> {
  const tree = deps.store.read.auditTree;
  const head = await headAt(tree, input.treeSize);
  const event = await tree.leaf(input.leafIndex);
  if (!event || input.leafIndex >= head.size) throw new WritError('AUDIT_EVENT_NOT_FOUND', 'No such event in the audit log.');
  return { ...(await inclusionIn(deps, tree, input.leafIndex, head)), entry: event.entry };
}

/** An auditor reads one event as the log holds it, with its proof; the read is itself an event. */
export async function readAuditEvent(
  deps: { readonly store: Transactor<Pick<Repositories, 'auditTree' | 'audit'>>; readonly merkle: MerkleHasher },
  actor: Actor,
  input: { leafIndex: number; treeSize?: number | undefined },
): Promise<InclusionProof & { entry: string }> {
  requirePermission(actor, 'audit.read');
  const proof = await proveInclusion(deps, input);
  await deps.store.transaction((repositories) =>
    repositories.audit.append(actor, { type: 'audit.event_viewed', data: { leafIndex: input.leafIndex } }),
  );
  return proof;
}

export interface ConsistencyProof {
  readonly first: TreeHeadJson;
  readonly second: TreeHeadJson;
  readonly proof: readonly string[];
}

/**
 * The proof that the tree of one signed head is a prefix of a later one (the latest when none is named): nothing the
 * first covered was changed, dropped or reordered since.
 */
export async function proveConsistency(deps: ProofDeps, input: { first: number; second?: number | undefined }): Promise<ConsistencyProof> {
  const tree = deps.store.read.auditTree;
  const [first, second] = await Promise.all([headAt(tree, input.first), headAt(tree, input.second)]);
  if (first.size > second.size) throw new WritError('VALIDATION_FAILED', 'The first tree head must not be larger than the second.');
  const plan = consistencyPlan(first.size, second.size);
  const found = await tree.nodes(plan.keys);
  const proof = assembleProof(deps.merkle, plan, (key) => found.get(nodeKeyOf(key)));
  return { first: treeHeadJson(first), second: treeHeadJson(second), proof: proof.map(hex) };
}

export interface ReceiptDeps extends SequenceDeps {
  readonly store: Transactor<Pick<Repositories, 'auditTree' | 'audit' | 'productions' | 'requests'>>;
  readonly signer: Pick<TreeHeadSigner, 'sign' | 'publicKeyPem'>;
}

/**
 * The receipt of a delivery: the production's event placed in the log, a head signed over it, and the inclusion proof.
 * Made once, at delivery, and kept; made here on first need if the delivery did not get that far (a crash).
 */
export async function deliveryReceipt(deps: ReceiptDeps, input: { productionId: string; requestId: string }): Promise<DeliveryReceipt> {
  const stored = await deps.store.read.productions.receiptOf(input.productionId);
  if (stored) return stored as DeliveryReceipt;
  const tree = deps.store.read.auditTree;
  const production = await deps.store.read.productions.latestForRequest(input.requestId);
  const request = await deps.store.read.requests.find({ kind: 'desk' }, input.requestId);
  if (production?.id !== input.productionId || production.state !== 'completed' || !production.tagManifestSha256 || !request) {
    throw new WritError('PRODUCTION_NOT_FOUND', 'This request has no finished production.');
  }
  const find = () =>
    tree.findEvent({ requestId: input.requestId, type: 'production.completed', field: 'productionId', value: input.productionId });
  let event = await find();
  if (event?.leafIndex === null || event?.leafIndex === undefined) {
    await sequenceAuditLog(deps, { wait: true });
    event = await find();
  }
  if (!event || event.leafIndex === null) throw new WritError('AUDIT_LOG_BROKEN', 'The production’s event is not in the audit log.');
  const head = await headAt(tree, undefined);
  const proof = await inclusionIn(deps, tree, event.leafIndex, head);
  const publicKeyPem = await deps.signer.publicKeyPem(head.keyFingerprint);
  if (!publicKeyPem) throw new WritError('AUDIT_LOG_BROKEN', 'The key that signed the tree head is not among the platform’s keys.');
  const receipt: DeliveryReceipt = {
    format: RECEIPT_FORMAT,
    trackingNumber: request.trackingNumber,
    productionId: production.id,
    tagManifestSha256: production.tagManifestSha256,
    event: { leafIndex: event.leafIndex, entry: event.entry, leafHash: proof.leafHash },
    inclusionProof: proof.proof,
    treeHead: proof.treeHead,
    publicKeyPem,
  };
  await deps.store.transaction((repositories) => repositories.productions.setReceipt(production.id, receipt));
  return (await deps.store.read.productions.receiptOf(production.id)) as DeliveryReceipt;
}
