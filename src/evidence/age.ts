/**
 * age encryption (age-encryption, the TypeScript implementation of age v1) for packages sent to an agency that
 * registered an X25519 recipient. Output is a standard age file: `age -d -i key.txt package.tar.age > package.tar`.
 * Both directions stream.
 */
// age-encryption is loaded when a package is encrypted or decrypted, not when Writ starts.
const age = () => import('age-encryption');

/** Encrypts a byte stream to one recipient (`age1…`). */
export async function* encryptTo(recipient: string, content: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const encrypter = new (await age()).Encrypter();
  encrypter.addRecipient(recipient);
  const output = await encrypter.encrypt(ReadableStream.from(content) as ReadableStream<Uint8Array>);
  for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) yield chunk;
}

/** The identities (`AGE-SECRET-KEY-1…` lines) of an age key file, as age-keygen writes it; comments are skipped. */
export function identitiesIn(keyFile: string): string[] {
  return keyFile
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.startsWith('AGE-SECRET-KEY-1'));
}

/** Decrypts an age byte stream with the identities of a key file, or a passphrase. Fails on any altered byte. */
export async function* decryptWith(
  secret: { identities: readonly string[] } | { passphrase: string },
  content: AsyncIterable<Uint8Array>,
): AsyncIterable<Uint8Array> {
  const decrypter = new (await age()).Decrypter();
  if ('passphrase' in secret) decrypter.addPassphrase(secret.passphrase);
  else for (const identity of secret.identities) decrypter.addIdentity(identity);
  const output = await decrypter.decrypt(ReadableStream.from(content) as ReadableStream<Uint8Array>);
  for await (const chunk of output as unknown as AsyncIterable<Uint8Array>) yield chunk;
}
