/**
 * The Merkle maths of core/merkle.ts with the log's SHA-256: the reference vectors published with Certificate
 * Transparency's RFC 6962 implementation (google/certificate-transparency, merkle_tree_test), and properties over
 * random trees. An independent implementation checks the same proofs in test/medium/merkle-cross-check.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assembleProof,
  consistencyPlan,
  inclusionPlan,
  nodeKeyOf,
  rangeNodes,
  rootFromInclusionProof,
  TreeBuilder,
  verifyConsistency,
  verifyInclusion,
  type NodeKey,
} from '../core/merkle.ts';
import { sha256MerkleHasher } from './merkle-hasher.ts';

const hasher = sha256MerkleHasher();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => new Uint8Array(Buffer.from(text, 'hex'));

const CT_LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex);
const CT_ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
// (leaf index, tree size, path), indexes from 0.
const CT_INCLUSION: Array<[number, number, string[]]> = [
  [
    0,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    5,
    8,
    [
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
  [
    1,
    5,
    [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];
const CT_CONSISTENCY: Array<[number, number, string[]]> = [
  [1, 1, []],
  [
    1,
    8,
    [
      '96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4',
    ],
  ],
  [
    6,
    8,
    [
      '0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    ],
  ],
  [
    2,
    5,
    [
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
    ],
  ],
];

/** Every node of a tree built leaf by leaf, as the sequencer stores them. */
function build(leafHashes: readonly Uint8Array[]) {
  const builder = new TreeBuilder(hasher);
  const nodes = new Map<string, Uint8Array>();
  const roots: Uint8Array[] = [hasher.empty()];
  for (const leaf of leafHashes) {
    for (const node of builder.push(leaf)) nodes.set(nodeKeyOf(node), node.hash);
    roots.push(builder.root());
  }
  const lookup = (key: NodeKey) => nodes.get(nodeKeyOf(key));
  return { roots, lookup };
}

describe('the Merkle tree (RFC 9162 §2.1)', () => {
  const tree = build(CT_LEAVES.map((leaf) => hasher.leaf(leaf)));

  it('gives the reference roots for every size from 0 to 8', () => {
    expect(tree.roots.map(hex)).toEqual(CT_ROOTS);
  });

  it('gives the reference inclusion proofs, and they verify', () => {
    for (const [index, size, path] of CT_INCLUSION) {
      const proof = assembleProof(hasher, inclusionPlan(index, size), tree.lookup);
      expect(proof.map(hex)).toEqual(path);
      expect(verifyInclusion(hasher, index, size, hasher.leaf(CT_LEAVES[index]!), proof, unhex(CT_ROOTS[size]!))).toBe(true);
    }
  });

  it('gives the reference consistency proofs, and they verify', () => {
    for (const [first, second, path] of CT_CONSISTENCY) {
      const proof = assembleProof(hasher, consistencyPlan(first, second), tree.lookup);
      expect(proof.map(hex)).toEqual(path);
      expect(verifyConsistency(hasher, first, second, proof, unhex(CT_ROOTS[first]!), unhex(CT_ROOTS[second]!))).toBe(true);
    }
  });

  it('keeps leaves and nodes apart: a node hash is not the leaf hash of the same bytes', () => {
    const [a, b] = [hasher.leaf(CT_LEAVES[0]!), hasher.leaf(CT_LEAVES[1]!)];
    expect(hex(hasher.node(a, b))).not.toBe(hex(hasher.leaf(Buffer.concat([a, b]))));
  });

  it('decomposes a range into aligned perfect subtrees', () => {
    expect(rangeNodes(0, 13)).toEqual([
      { level: 3, index: 0 },
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
    expect(rangeNodes(8, 13)).toEqual([
      { level: 2, index: 2 },
      { level: 0, index: 12 },
    ]);
  });

  it('refuses proofs for leaves or sizes outside the tree', () => {
    expect(() => inclusionPlan(3, 3)).toThrow(RangeError);
    expect(() => consistencyPlan(4, 3)).toThrow(RangeError);
    expect(rootFromInclusionProof(hasher, 5, 3, hasher.empty(), [])).toBeUndefined();
  });
});

describe('proofs over random trees', () => {
  const leaves = (count: number, seed: number) => Array.from({ length: count }, (_, i) => hasher.leaf(Buffer.from(`event ${seed} ${i}`)));

  it('every inclusion proof verifies; a changed leaf, path element, index or root does not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), fc.nat(), (size, seed, pick, flip) => {
        const hashes = leaves(size, seed);
        const { roots, lookup } = build(hashes);
        const index = pick % size;
        const proof = assembleProof(hasher, inclusionPlan(index, size), lookup);
        const root = roots[size]!;
        expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
        expect(verifyInclusion(hasher, index, size, hashes[index]!, proof, root)).toBe(true);
        const changedLeaf = Buffer.from(hashes[index]!);
        changedLeaf[flip % 32] = changedLeaf[flip % 32]! ^ 1;
        expect(verifyInclusion(hasher, index, size, changedLeaf, proof, root)).toBe(false);
        if (proof.length > 0) {
          const changedProof = proof.map((element) => Buffer.from(element));
          const element = changedProof[flip % proof.length]!;
          element[flip % 32] = element[flip % 32]! ^ 0x80;
          expect(verifyInclusion(hasher, index, size, hashes[index]!, changedProof, root)).toBe(false);
        }
        if (size > 1) expect(verifyInclusion(hasher, (index + 1) % size, size, hashes[index]!, proof, root)).toBe(false);
        expect(verifyInclusion(hasher, index, size, hashes[index]!, proof, roots[size - 1]!)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('every consistency proof verifies; one against a rewritten history does not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.nat(), fc.nat(), (second, seed, pick, flip) => {
        const hashes = leaves(second, seed);
        const { roots, lookup } = build(hashes);
        const first = 1 + (pick % second);
        const proof = assembleProof(hasher, consistencyPlan(first, second), lookup);
        expect(verifyConsistency(hasher, first, second, proof, roots[first]!, roots[second]!)).toBe(true);
        // The same history with one old event changed: the later tree does not extend the earlier one.
        const rewritten = [...hashes];
        rewritten[flip % first] = hasher.leaf(Buffer.from('forged'));
        const other = build(rewritten);
        const forgedProof = assembleProof(hasher, consistencyPlan(first, second), other.lookup);
        expect(verifyConsistency(hasher, first, second, forgedProof, roots[first]!, other.roots[second]!)).toBe(false);
        if (first < second) expect(verifyConsistency(hasher, first, second, proof, roots[first]!, roots[second - 1]!)).toBe(false);
      }),
      { numRuns: 400 },
    );
  });

  it('a tree resumed from its right edge grows the same nodes as one built from the start', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 100 }), fc.nat(), (before, added, seed) => {
        const hashes = leaves(before + added, seed);
        const whole = build(hashes);
        const edge = rangeNodes(0, before).map((key) => whole.lookup(key)!);
        const resumed = new TreeBuilder(hasher, before, edge);
        for (const leaf of hashes.slice(before)) {
          for (const node of resumed.push(leaf)) expect(hex(node.hash)).toBe(hex(whole.lookup(node)!));
        }
        expect(hex(resumed.root())).toBe(hex(whole.roots[before + added]!));
      }),
      { numRuns: 200 },
    );
  });
});
