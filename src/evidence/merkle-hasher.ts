/** SHA-256 for the audit log's Merkle tree (RFC 9162 §2.1), with node:crypto. */
import { createHash, hash } from 'node:crypto';
import type { MerkleHasher } from '../core/merkle.ts';

const LEAF = Buffer.from([0x00]);
const EMPTY = createHash('sha256').digest();

/** The hasher the log uses. Node hashes reuse one buffer: one call into OpenSSL per node, which is most of the cost. */
export function sha256MerkleHasher(): MerkleHasher {
  const pair = Buffer.alloc(65);
  pair[0] = 0x01;
  return {
    leaf: (entry) => createHash('sha256').update(LEAF).update(entry).digest(),
    node(left, right) {
      pair.set(left, 1);
      pair.set(right, 33);
      return hash('sha256', pair, 'buffer');
    },
    empty: () => Buffer.from(EMPTY),
    leafOfPrefixed: (prefixed) => hash('sha256', prefixed, 'buffer'),
  };
}
