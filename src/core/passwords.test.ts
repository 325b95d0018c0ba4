import { describe, expect, it } from 'vitest';
import { passwordProblem } from './passwords.ts';

const known = { has: (password: string) => ['qwerty123456', 'leavemealone'].includes(password.toLowerCase()) };
const problem = (password: string) => passwordProblem(password, { email: 'kim.officer@police.example.kr', known });

describe('passwordProblem', () => {
  it('accepts a long passphrase', () => {
    expect(problem('correct horse battery staple')).toBeUndefined();
    expect(problem('Tuesday rain on the Han river')).toBeUndefined();
  });

  it('refuses breached, repetitive, sequential and personal passwords, saying which', () => {
    expect(problem('LeaveMeAlone')).toMatch(/breached/);
    expect(problem('abababababab')).toMatch(/repeats/);
    expect(problem('zzzzzzzzzzzzzz')).toMatch(/repeats/);
    expect(problem('abcdefghijklm')).toMatch(/sequence/);
    expect(problem('9876543210987')).toMatch(/sequence/);
    expect(problem('qwertyuiopasd')).toBeUndefined();
    expect(problem('my kim.officer password')).toMatch(/address/);
    expect(problem('writ writ writ 2026')).toMatch(/service/);
  });
});
