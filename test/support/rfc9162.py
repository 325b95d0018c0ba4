"""An independent RFC 9162 (RFC 6962) Merkle tree, written from the RFC's definitions, to check Writ's log against.

Reads JSON on standard input:
  {"entries": [<utf-8 text of each leaf entry>], "heads": [<tree size>],
   "inclusion": [{"index", "size", "proof": [hex]}], "consistency": [{"first", "second", "proof": [hex]}]}
and prints JSON: the root for each head size, and for each proof whether this implementation builds the same path
and whether the given path verifies (RFC 9162 §2.1.3.2 and §2.1.4.2).
"""
import hashlib
import json
import sys


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left, right):
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves):
    """MTH(D[n]) of RFC 9162 §2.1.1, over leaf hashes."""
    if len(leaves) == 0:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def path(m, leaves):
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1."""
    if len(leaves) <= 1:
        return []
    k = split(len(leaves))
    if m < k:
        return path(m, leaves[:k]) + [mth(leaves[k:])]
    return path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m, leaves, whole):
    """SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1."""
    n = len(leaves)
    if m == n:
        return [] if whole else [mth(leaves)]
    k = split(n)
    if m <= k:
        return subproof(m, leaves[:k], whole) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def verify_inclusion(index, size, leaf, proof, root):
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first, second, proof, first_root, second_root):
    if first == second:
        return len(proof) == 0 and first_root == second_root
    if first == 0 or len(proof) == 0:
        return first == 0 and len(proof) == 0
    if first & (first - 1) == 0:
        proof = [first_root] + proof
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root


def main():
    given = json.load(sys.stdin)
    leaves = [leaf_hash(entry.encode("utf-8")) for entry in given["entries"]]
    roots = {str(size): mth(leaves[:size]).hex() for size in given["heads"]}
    inclusion = []
    for item in given["inclusion"]:
        proof = [bytes.fromhex(h) for h in item["proof"]]
        size, index = item["size"], item["index"]
        inclusion.append({
            "samePath": [h.hex() for h in path(index, leaves[:size])] == item["proof"],
            "verifies": verify_inclusion(index, size, leaves[index], proof, mth(leaves[:size])),
        })
    consistency = []
    for item in given["consistency"]:
        proof = [bytes.fromhex(h) for h in item["proof"]]
        first, second = item["first"], item["second"]
        consistency.append({
            "samePath": [h.hex() for h in subproof(first, leaves[:second], True)] == item["proof"] if first > 0 else item["proof"] == [],
            "verifies": verify_consistency(first, second, proof, mth(leaves[:first]), mth(leaves[:second])),
        })
    json.dump({"roots": roots, "inclusion": inclusion, "consistency": consistency}, sys.stdout)


if __name__ == "__main__":
    main()
