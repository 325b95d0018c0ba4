/**
 * A software passkey for tests: an ECDSA P-256 key pair that answers WebAuthn ceremonies the way a platform
 * authenticator does (attestation "none", user present and verified), built from the specification with node:crypto
 * and a few lines of CBOR. It can also answer as a phishing page would: for another origin.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

type Cbor = number | string | Uint8Array | Map<number | string, Cbor>;

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  if (length < 65_536) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff]);
  const out = Buffer.alloc(5);
  out[0] = (major << 5) | 26;
  out.writeUInt32BE(length, 1);
  return out;
}

export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const text = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, text.length), text]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value]);
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([key, item]) => [cbor(key), cbor(item)])]);
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest();
const b64url = (data: string | Uint8Array) => Buffer.from(data).toString('base64url');
const counterBytes = (counter: number) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(counter);
  return out;
};

export interface SoftAuthenticator {
  readonly credentialId: string;
  /** Answers `navigator.credentials.create()` for the given options (as the server sent them). */
  create(options: Record<string, unknown>, as?: { origin?: string }): Record<string, unknown>;
  /** Answers `navigator.credentials.get()`; `counter` forces the signature counter (a cloned key's would lag). */
  get(options: Record<string, unknown>, as?: { origin?: string; counter?: number }): Record<string, unknown>;
}

export function softAuthenticator(origin: string): SoftAuthenticator {
  const rpId = new URL(origin).hostname;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const credentialId = randomBytes(32);
  let counter = 0;
  let userHandle = '';
  const clientData = (type: string, challenge: unknown, from: string) =>
    Buffer.from(JSON.stringify({ type, challenge, origin: from, crossOrigin: false }), 'utf8');
  return {
    credentialId: b64url(credentialId),
    create(options, as = {}) {
      userHandle = String((options.user as { id?: string } | undefined)?.id ?? '');
      const coseKey = new Map<number, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]);
      const idLength = Buffer.alloc(2);
      idLength.writeUInt16BE(credentialId.length);
      // Flags: user present, user verified, attested credential data included.
      const authData = Buffer.concat([
        sha256(rpId),
        Buffer.from([0x45]),
        counterBytes(counter),
        Buffer.alloc(16),
        idLength,
        credentialId,
        cbor(coseKey),
      ]);
      const attestation = cbor(
        new Map<string, Cbor>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]),
      );
      return {
        id: b64url(credentialId),
        rawId: b64url(credentialId),
        type: 'public-key',
        response: {
          clientDataJSON: b64url(clientData('webauthn.create', options.challenge, as.origin ?? origin)),
          attestationObject: b64url(attestation),
          transports: ['internal'],
        },
        clientExtensionResults: {},
      };
    },
    get(options, as = {}) {
      counter = as.counter ?? counter + 1;
      const authData = Buffer.concat([sha256(rpId), Buffer.from([0x05]), counterBytes(counter)]);
      const data = clientData('webauthn.get', options.challenge, as.origin ?? origin);
      const signature = sign('sha256', Buffer.concat([authData, sha256(data)]), privateKey);
      return {
        id: b64url(credentialId),
        rawId: b64url(credentialId),
        type: 'public-key',
        response: {
          clientDataJSON: b64url(data),
          authenticatorData: b64url(authData),
          signature: b64url(signature),
          userHandle,
        },
        clientExtensionResults: {},
      };
    },
  };
}
