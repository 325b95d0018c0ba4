/**
 * Passkeys through @simplewebauthn/server: this site's relying-party id and origin are fixed from WRIT_PUBLIC_URL, so
 * a browser will neither use a passkey made here on a look-alike site nor accept an answer made for one. User
 * verification (the device's PIN or biometric) is required: a passkey is then both factors at once.
 */
import type { AuthenticationResponseJSON, AuthenticatorTransport, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Passkeys } from '../core/ports.ts';

const TIMEOUT_MS = 300_000;
// Loaded at the first passkey ceremony, not at start (it brings an ASN.1 and X.509 stack with it).
const library = () => import('@simplewebauthn/server');

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function webauthnPasskeys(publicUrl: string): Passkeys {
  const url = new URL(publicUrl);
  const rpID = url.hostname;
  const origin = url.origin;
  return {
    async registrationOptions(user, exclude) {
      const options = await (
        await library()
      ).generateRegistrationOptions({
        rpName: 'Writ',
        rpID,
        userName: user.email,
        userDisplayName: user.displayName,
        userID: new TextEncoder().encode(user.id),
        attestationType: 'none',
        timeout: TIMEOUT_MS,
        excludeCredentials: exclude.map((id) => ({ id })),
        authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      });
      return { options: { ...options }, challenge: options.challenge };
    },
    async verifyRegistration(response, challengeIsGood) {
      if (!isObject(response)) return undefined;
      const { verifyRegistrationResponse } = await library();
      try {
        const result = await verifyRegistrationResponse({
          response: response as unknown as RegistrationResponseJSON,
          expectedChallenge: challengeIsGood,
          expectedOrigin: origin,
          expectedRPID: rpID,
          requireUserVerification: true,
        });
        if (!result.verified) return undefined;
        const { credential } = result.registrationInfo;
        return {
          credentialId: credential.id,
          publicKey: credential.publicKey,
          signCount: credential.counter,
          transports: credential.transports ?? [],
        };
      } catch {
        // Malformed, forged, for another site or with a spent challenge: all alike, not verified.
        return undefined;
      }
    },
    async authenticationOptions() {
      const options = await (await library()).generateAuthenticationOptions({ rpID, userVerification: 'required', timeout: TIMEOUT_MS });
      return { options: { ...options }, challenge: options.challenge };
    },
    credentialIdOf(response) {
      return isObject(response) && typeof response.id === 'string' && /^[A-Za-z0-9_-]{16,1366}$/.test(response.id)
        ? response.id
        : undefined;
    },
    async verifyAuthentication(response, passkey, challengeIsGood) {
      if (!isObject(response)) return undefined;
      const { verifyAuthenticationResponse } = await library();
      try {
        const result = await verifyAuthenticationResponse({
          response: response as unknown as AuthenticationResponseJSON,
          expectedChallenge: challengeIsGood,
          expectedOrigin: origin,
          expectedRPID: rpID,
          credential: {
            id: passkey.credentialId,
            publicKey: new Uint8Array(passkey.publicKey),
            counter: passkey.signCount,
            transports: passkey.transports as AuthenticatorTransport[],
          },
          requireUserVerification: true,
        });
        return result.verified ? { signCount: result.authenticationInfo.newCounter } : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
