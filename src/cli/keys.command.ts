/** `writ keys list | rotate`: the platform's signing keys. */
import { CLI_ACTOR } from '../core/actor.ts';
import { loadConfig } from '../config/config.ts';
import { rotateSigningKey } from '../services/rotate-signing-key.ts';
import { createContext } from '../server/context.ts';

export async function keysCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if ((sub !== 'list' && sub !== 'rotate') || rest.length > 0) {
    console.error('Usage: writ keys list | writ keys rotate');
    return 2;
  }
  const context = await createContext(loadConfig());
  try {
    if (sub === 'rotate') {
      const key = await rotateSigningKey(context, CLI_ACTOR);
      console.log(`New signing key ${key.id} (${key.fingerprint}) signs new productions from now on.`);
      if (key.previous) console.log(`The previous key (${key.previous}) stays published, so packages it signed still verify.`);
      return 0;
    }
    const keys = await context.evidence.signingKeys();
    if (keys.length === 0) console.log('No signing key yet: one is made with the first production.');
    keys.forEach((key, index) => console.log(`${key.fingerprint}  ${key.id}${index === 0 ? '  (signs new productions)' : ''}`));
    return 0;
  } finally {
    await context.close();
  }
}
