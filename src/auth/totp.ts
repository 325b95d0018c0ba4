/** Time-based one-time passwords (RFC 6238: SHA-1, six digits, 30 seconds), through otpauth. */
import { Secret, TOTP } from 'otpauth';
import type { SecondFactor } from '../core/ports.ts';

const PERIOD = 30;
const totp = (secret: string, label = 'Writ') =>
  new TOTP({ issuer: 'Writ', label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });

export const totpSecondFactor: SecondFactor = {
  newSecret(label) {
    const secret = new Secret({ size: 20 }).base32;
    return { secret, uri: totp(secret, label).toString() };
  },
  verify(secret, code, now) {
    if (!/^\d{6}$/.test(code)) return undefined;
    // One step either side, for clocks that drift; the step used is returned so it can never be used again.
    const delta = totp(secret).validate({ token: code, timestamp: now.getTime(), window: 1 });
    return delta === null ? undefined : Math.floor(now.getTime() / 1000 / PERIOD) + delta;
  },
  code: (secret, now) => totp(secret).generate({ timestamp: now.getTime() }),
};
