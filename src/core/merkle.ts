/**
 * Merkle tree maths of RFC 9162 §2.1 (the tree of RFC 6962): leaf hashes are SHA-256(0x00 || entry), node hashes
 * SHA-256(0x01 || left || right), so a leaf can never be passed off as a node. Core holds no crypto: the caller gives
 * the hash functions (`MerkleHasher`). Proofs are built from stored perfect subtrees, so a proof costs O(log n)
 * lookups however long the log is.
 */

export interface MerkleHasher {
  /** SHA-256(0x00 || entry). */
  leaf(entry: Uint8Array): Uint8Array;
  /** SHA-256(0x01 || left || right). */
  node(left: Uint8Array, right: Uint8Array): Uint8Array;
  /** SHA-256 of nothing: the root of the empty tree. */
  empty(): Uint8Array;
  /** SHA-256 of bytes that already begin with the leaf prefix 0x00: the same as `leaf` of the rest, without a copy. */
  leafOfPrefixed(prefixed: Uint8Array): Uint8Array;
}

/** A perfect subtree: the 2^level leaves from index * 2^level. Level 0 is a leaf. */
export interface NodeKey {
  readonly level: number;
  readonly index: number;
}

export const nodeKeyOf = (key: NodeKey): string => `${key.level}:${key.index}`;

/** A range of leaves [start, end). */
interface Range {
  readonly start: number;
  readonly end: number;
}

/** The largest power of two smaller than n (n ≥ 2). */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The perfect subtrees that make up the range [start, end), left to right, each as large as its alignment allows.
 * For the ranges RFC 9162's recursion produces they shrink from left to right, and the range's hash is their fold
 * from the right.
 */
export function rangeNodes(start: number, end: number): NodeKey[] {
  const nodes: NodeKey[] = [];
  let at = start;
  while (at < end) {
    let size = 1;
    let level = 0;
    while (at % (size * 2) === 0 && at + size * 2 <= end) {
      size *= 2;
      level += 1;
    }
    nodes.push({ level, index: at / size });
    at += size;
  }
  return nodes;
}

/** MTH of a range from the hashes of its perfect subtrees (`rangeNodes`), folded from the right. */
export function foldRange(hasher: MerkleHasher, hashes: readonly Uint8Array[]): Uint8Array {
  let index = hashes.length - 1;
  let hash = hashes[index];
  if (!hash) throw new RangeError('An empty range has no subtree hash.');
  for (index -= 1; index >= 0; index -= 1) hash = hasher.node(hashes[index]!, hash);
  return hash;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]): the subtrees whose hashes prove leaf m, from the leaf's sibling up. */
function inclusionRanges(index: number, start: number, end: number): Range[] {
  if (end - start <= 1) return [];
  const k = largestPowerOfTwoBelow(end - start);
  return index < k
    ? [...inclusionRanges(index, start, start + k), { start: start + k, end }]
    : [...inclusionRanges(index - k, start + k, end), { start, end: start + k }];
}

/** RFC 9162 §2.1.4.1 SUBPROOF(m, D[n], b): the subtrees whose hashes prove tree m a prefix of tree n. */
function consistencyRanges(m: number, start: number, end: number, whole: boolean): Range[] {
  const n = end - start;
  if (m === n) return whole ? [] : [{ start, end }];
  const k = largestPowerOfTwoBelow(n);
  return m <= k
    ? [...consistencyRanges(m, start, start + k, whole), { start: start + k, end }]
    : [...consistencyRanges(m - k, start + k, end, false), { start, end: start + k }];
}

/** What a proof needs: per proof element, the perfect subtrees to fold; and every node to look up, once. */
export interface ProofPlan {
  readonly elements: ReadonlyArray<readonly NodeKey[]>;
  readonly keys: readonly NodeKey[];
}

function planOf(ranges: readonly Range[]): ProofPlan {
  const elements = ranges.map((range) => rangeNodes(range.start, range.end));
  const seen = new Map<string, NodeKey>();
  for (const element of elements) for (const key of element) seen.set(nodeKeyOf(key), key);
  return { elements, keys: [...seen.values()] };
}

/** The nodes an inclusion proof of leaf `index` in the tree of `size` is made of. */
export function inclusionPlan(index: number, size: number): ProofPlan {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError('The leaf is not in a tree of that size.');
  }
  return planOf(inclusionRanges(index, 0, size));
}

/** The nodes a consistency proof from the tree of `first` leaves to the tree of `second` is made of. */
export function consistencyPlan(first: number, second: number): ProofPlan {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) {
    throw new RangeError('A consistency proof goes from a smaller tree to one at least as large.');
  }
  return planOf(first === 0 ? [] : consistencyRanges(first, 0, second, true));
}

/** The nodes whose fold is the root of the tree of `size` leaves. */
export const rootPlan = (size: number): NodeKey[] => rangeNodes(0, size);

/** Puts a proof together from looked-up nodes. */
export function assembleProof(hasher: MerkleHasher, plan: ProofPlan, lookup: (key: NodeKey) => Uint8Array | undefined): Uint8Array[] {
  return plan.elements.map((element) =>
    foldRange(
      hasher,
      element.map((key) => {
        const hash = lookup(key);
        if (!hash) throw new RangeError(`The tree has no node ${nodeKeyOf(key)}.`);
        return hash;
      }),
    ),
  );
}

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, index) => byte === b[index]);

/** The root an inclusion proof leads to (RFC 9162 §2.1.3.2), or undefined when the proof has the wrong shape. */
export function rootFromInclusionProof(
  hasher: MerkleHasher,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array | undefined {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return undefined;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) return undefined;
    if (fn % 2 === 1 || fn === sn) {
      r = hasher.node(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hasher.node(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : undefined;
}

/** RFC 9162 §2.1.3.2: the leaf is the `index`th of the tree of `size` whose root is `root`. */
export function verifyInclusion(
  hasher: MerkleHasher,
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  const computed = rootFromInclusionProof(hasher, index, size, leafHash, proof);
  return computed !== undefined && equalBytes(computed, root);
}

/**
 * RFC 9162 §2.1.4.2: the tree of `first` leaves with root `firstRoot` is a prefix of the tree of `second` leaves with
 * root `secondRoot` — nothing it held was changed, dropped or reordered. Equal sizes need an empty proof and equal
 * roots; every tree extends the empty one.
 */
export function verifyConsistency(
  hasher: MerkleHasher,
  first: number,
  second: number,
  proof: readonly Uint8Array[],
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (first === 0) return proof.length === 0;
  if (first === second) return proof.length === 0 && equalBytes(firstRoot, secondRoot);
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = hasher.node(c, fr);
      sr = hasher.node(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hasher.node(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, firstRoot) && equalBytes(sr, secondRoot);
}

/**
 * A tree grown one leaf at a time from its right edge (the perfect subtrees that make up the leaves so far). It gives
 * the root at any moment, and the new perfect subtrees each leaf completes, so a sequencer can store them.
 */
export class TreeBuilder {
  // The right edge as parallel stacks (level, first index, hash): this is the verifier's inner loop.
  private readonly levels: number[] = [];
  private readonly indexes: number[] = [];
  private readonly hashes: Uint8Array[] = [];
  private leaves: number;

  /** Starts from an existing tree of `size` leaves, given the hashes of its `rootPlan(size)` nodes in order. */
  constructor(
    private readonly hasher: MerkleHasher,
    size = 0,
    edgeHashes: readonly Uint8Array[] = [],
  ) {
    const keys = rangeNodes(0, size);
    if (keys.length !== edgeHashes.length) throw new RangeError('The right edge does not match the tree size.');
    keys.forEach((key, position) => {
      this.levels.push(key.level);
      this.indexes.push(key.index);
      this.hashes.push(edgeHashes[position]!);
    });
    this.leaves = size;
  }

  get size(): number {
    return this.leaves;
  }

  /** Adds the next leaf; returns the nodes it completed (its own leaf node first). */
  push(leafHash: Uint8Array): Array<NodeKey & { hash: Uint8Array }> {
    const made: Array<NodeKey & { hash: Uint8Array }> = [];
    this.append(leafHash, made);
    return made;
  }

  /** Adds the next leaf; the nodes it completes go to `made` when given. */
  append(leafHash: Uint8Array, made?: Array<NodeKey & { hash: Uint8Array }>): void {
    made?.push({ level: 0, index: this.leaves, hash: leafHash });
    let level = 0;
    let index = this.leaves;
    let hash = leafHash;
    this.leaves += 1;
    // Each leaf that is a right child completes its parent, and so on up while the parent is a right child too.
    while (this.levels.length > 0 && this.levels[this.levels.length - 1] === level) {
      const left = this.hashes.pop()!;
      this.levels.pop();
      index = this.indexes.pop()! / 2;
      hash = this.hasher.node(left, hash);
      level += 1;
      made?.push({ level, index, hash });
    }
    this.levels.push(level);
    this.indexes.push(index);
    this.hashes.push(hash);
  }

  root(): Uint8Array {
    return this.hashes.length === 0 ? this.hasher.empty() : foldRange(this.hasher, this.hashes);
  }
}
