/**
 * Password rules after NIST SP 800-63B (5.1.1.2): length, not composition; and no password that is known from
 * breaches, repetitive or sequential, or made of the account's own name or the service's.
 */
export interface KnownPasswords {
  /** Whether the password (compared in lower case) is on the list of breached and common passwords. */
  has(password: string): boolean;
}

const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function isSequential(password: string): boolean {
  const lower = password.toLowerCase();
  return SEQUENCES.some((sequence) => {
    const doubled = sequence + sequence;
    return doubled.includes(lower) || [...doubled].reverse().join('').includes(lower);
  });
}

/** Why a new password is refused, or undefined when it is fine. The length rule lives in the input schema. */
export function passwordProblem(password: string, context: { email: string; known: KnownPasswords }): string | undefined {
  const lower = password.toLowerCase();
  if (context.known.has(lower)) return 'This password is on a list of breached and common passwords; choose another.';
  if (new Set(lower).size <= 2) return 'This password repeats one or two characters; choose another.';
  if (isSequential(lower)) return 'This password is a keyboard or alphabet sequence; choose another.';
  const name = context.email.split('@')[0]?.toLowerCase() ?? '';
  if ((name.length >= 4 && lower.includes(name)) || lower.includes('writ')) {
    return 'This password contains your address or the name of the service; choose another.';
  }
  return undefined;
}
