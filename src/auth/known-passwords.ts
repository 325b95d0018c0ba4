/** The breached and common password list (about 49,000, from breach corpora) shipped by @zxcvbn-ts/language-common. */
import { dictionary } from '@zxcvbn-ts/language-common';
import type { KnownPasswords } from '../core/passwords.ts';

let loaded: Set<string> | undefined;

export const knownPasswords: KnownPasswords = {
  has(password) {
    loaded ??= new Set((dictionary['passwords-common'] as string[]).map((entry) => entry.toLowerCase()));
    return loaded.has(password.toLowerCase());
  },
};
