/** `writ totp <secret>`: the current code for a TOTP secret, as an authenticator app would show it (like oathtool). */
import { totpSecondFactor } from '../auth/totp.ts';

export async function totpCommand(args: string[]): Promise<number> {
  const secret = args[0]?.replace(/\s+/g, '').toUpperCase();
  if (args.length !== 1 || !secret || !/^[A-Z2-7]+=*$/.test(secret)) {
    console.error('Usage: writ totp <base32 secret>');
    return 2;
  }
  console.log(totpSecondFactor.code(secret, new Date()));
  return 0;
}
