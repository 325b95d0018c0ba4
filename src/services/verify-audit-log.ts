/**
 * `writ audit verify`: the whole log checked against every tree head it signed, and against heads held outside it (a
 * delivery receipt, a transparency report, a witness), naming the first event that is not what was logged.
 *
 * The log's own heads catch any edit, removal, insertion or reordering of events already covered. Only a head held
 * outside catches a rewrite that also replaced the heads and stored hashes (or cut the log short and dropped the heads
 * that covered the end), so receipts and reports carry one.
 */
import { LogVerifier, treeHeadJson, type LogEntry, type LogProblem, type TreeHead, type TreeHeadJson } from '../core/audit-log.ts';
import type { MerkleHasher } from '../core/merkle.ts';
import type { Repositories, Transactor, TreeHeadSigner } from '../core/ports.ts';

export interface VerifyAuditLogDeps {
  readonly store: Transactor<Pick<Repositories, 'auditTree'>>;
  readonly merkle: MerkleHasher;
  readonly signer: Pick<TreeHeadSigner, 'verify'>;
}

export interface NamedProblem extends LogProblem {
  /** The event at that place as it is now (absent when it was removed). */
  readonly event?: { readonly id: string; readonly type: string; readonly at: string };
}

export interface LogVerification {
  readonly ok: boolean;
  /** Events placed in the tree, as read. */
  readonly size: number;
  readonly treeHeads: number;
  readonly latest: TreeHeadJson | undefined;
  /** Every problem, the first bad event first. */
  readonly problems: readonly NamedProblem[];
  /** Events committed but not placed yet (placed within seconds while the sequencer runs). */
  readonly unplaced: number;
}

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

export async function verifyAuditLog(deps: VerifyAuditLogDeps, input: { heldHeads?: readonly TreeHead[] } = {}): Promise<LogVerification> {
  const tree = deps.store.read.auditTree;
  // The schema's own checks run on the server while the events stream in.
  const schema = tree.schemaProblems();
  schema.catch(() => undefined);
  const problems: LogProblem[] = [];
  const stored = await tree.treeHeads({});
  const bySize = new Map<number, TreeHead>();
  for (const head of stored) {
    if (!(await deps.signer.verify(utf8(head.checkpoint), head.signature, head.keyFingerprint))) {
      problems.push({
        leafIndex: Math.max(0, head.size - 1),
        message: `the tree head of size ${head.size} does not carry a valid signature`,
      });
    }
    bySize.set(head.size, head);
  }
  for (const held of input.heldHeads ?? []) {
    if (!(await deps.signer.verify(utf8(held.checkpoint), held.signature, held.keyFingerprint))) {
      problems.push({ message: `the tree head of size ${held.size} you hold is not signed by any of the platform's keys` });
      continue;
    }
    const kept = bySize.get(held.size);
    if (kept && !same(kept.rootHash, held.rootHash)) {
      problems.push({
        leafIndex: Math.max(0, held.size - 1),
        message: `the tree head of size ${held.size} you hold differs from the one the log keeps: the log's heads were replaced`,
      });
    }
    // The held head is the one checked against the events: it was signed before anyone could rewrite them.
    bySize.set(held.size, held);
  }
  const heads = [...bySize.values()].sort((a, b) => a.size - b.size);

  const verifier = new LogVerifier(deps.merkle, heads);
  for await (const batch of tree.scan()) {
    for (let i = 0; i < batch.indexes.length; i += 1)
      verifier.leaf(batch.indexes[i]!, deps.merkle.leafOfPrefixed(batch.prefixedEntries[i]!));
  }
  verifier.finish();
  problems.push(...verifier.problems, ...(await schema).map((message) => ({ message })));

  // A head whose root the events do not give: find the first leaf that differs from its hash as stored when placed.
  for (const mismatch of verifier.mismatches.slice(0, 1)) {
    const storedHashes = await tree.storedLeafHashes(mismatch.after, Math.min(mismatch.size, verifier.size));
    let found: number | undefined;
    for (let index = mismatch.after; index < Math.min(mismatch.size, verifier.size); index += 1) {
      const kept = storedHashes.get(index);
      if (!kept || !same(kept, verifier.computed(index))) {
        found = index;
        break;
      }
    }
    if (found !== undefined && problems.some((problem) => problem.leafIndex === found)) continue;
    problems.push(
      found === undefined
        ? {
            leafIndex: mismatch.after,
            message: `the events from ${mismatch.after} to ${mismatch.size - 1} do not give the signed root of size ${mismatch.size}, and the stored hashes were rewritten with them`,
          }
        : {
            leafIndex: found,
            message: `event ${found} is not the event logged at that place: it was changed, or events were removed, put in or moved before it (the signed tree head of size ${mismatch.size} does not match)`,
          },
    );
  }
  if (verifier.mismatches.length > 1) {
    problems.push({ message: `${verifier.mismatches.length} signed tree heads in all do not match the events` });
  }

  // A problem at a leaf is named by the event now at that place; a problem with no leaf comes last.
  problems.sort((a, b) => (a.leafIndex ?? Number.MAX_SAFE_INTEGER) - (b.leafIndex ?? Number.MAX_SAFE_INTEGER));
  const named: NamedProblem[] = [];
  for (const problem of problems) {
    const event = problem.leafIndex === undefined ? undefined : await tree.leaf(problem.leafIndex);
    let described: NamedProblem['event'];
    if (event) {
      try {
        const entry = JSON.parse(event.entry) as Partial<LogEntry>;
        described = { id: event.id, type: String(entry.type), at: String(entry.at) };
      } catch {
        described = { id: event.id, type: '(not JSON)', at: '' };
      }
    }
    named.push({ ...problem, ...(described ? { event: described, eventId: described.id } : {}) });
  }
  const latest = stored.at(-1);
  return {
    ok: named.length === 0,
    size: verifier.size,
    treeHeads: stored.length,
    latest: latest ? treeHeadJson(latest) : undefined,
    problems: named,
    unplaced: await tree.unsequencedCount(),
  };
}
