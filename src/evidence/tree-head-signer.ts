/**
 * Tree heads are signed with the platform's signing key, the one that signs productions (`signing-key.ts`), so one
 * published fingerprint vouches for both; heads signed before a rotation verify with the older keys, which stay.
 */
import type { Clock, TreeHeadSigner } from '../core/ports.ts';
import { currentSigningKey, loadSigningKeys, verifySignature, type SigningKey } from './signing-key.ts';

export function treeHeadSigner(options: { keysDir: string; clock: Clock }): TreeHeadSigner {
  let published: SigningKey[] | undefined;
  const keys = async (fingerprint: string) => {
    // Reloaded when a fingerprint is new to this process: another process may have rotated the key.
    if (!published?.some((key) => key.fingerprint === fingerprint)) published = await loadSigningKeys(options.keysDir);
    return published;
  };
  return {
    async sign(message) {
      const existed = (await loadSigningKeys(options.keysDir)).length > 0;
      const key = await currentSigningKey(options.keysDir, options.clock.now());
      return {
        signature: new Uint8Array(key.sign(message)),
        keyFingerprint: key.fingerprint,
        ...(existed ? {} : { created: { keyId: key.id } }),
      };
    },
    async verify(message, signature, keyFingerprint) {
      const key = (await keys(keyFingerprint)).find((candidate) => candidate.fingerprint === keyFingerprint);
      return key ? verifySignature(key.publicKeyPem, message, signature) : false;
    },
    async publicKeyPem(keyFingerprint) {
      return (await keys(keyFingerprint)).find((candidate) => candidate.fingerprint === keyFingerprint)?.publicKeyPem;
    },
  };
}
