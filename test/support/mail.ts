/** Reading the .eml files Writ writes when it has no SMTP server: the text as a mail client shows it. */
import { readFileSync } from 'node:fs';

/** Undoes quoted-printable (soft line breaks and =XX escapes), which mailers use for long or non-ASCII lines. */
export function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let index = 0; index < joined.length; index += 1) {
    const hex = joined[index] === '=' ? /^[0-9A-F]{2}/.exec(joined.slice(index + 1, index + 3)) : null;
    if (hex) {
      bytes.push(Number.parseInt(hex[0], 16));
      index += 2;
    } else {
      bytes.push(...Buffer.from(joined[index]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A mail file's headers and its decoded text. */
export function readMail(file: string): string {
  return decodeQuotedPrintable(readFileSync(file, 'utf8'));
}
