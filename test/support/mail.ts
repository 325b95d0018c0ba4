/**
 * Mail for tests: RFC 5322 messages built by hand, so a test can make them as broken as it needs; and the .eml files
 * Writ writes when it has no SMTP server, read as a mail client shows them.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface TestAttachment {
  readonly fileName: string;
  readonly contentType: string;
  readonly content: Buffer;
}

export interface TestMessage {
  readonly from: string;
  readonly to?: string;
  readonly subject?: string;
  readonly text?: string;
  readonly html?: string;
  readonly messageId?: string;
  readonly inReplyTo?: string;
  readonly references?: readonly string[];
  /** Extra header lines, topmost first (Authentication-Results, Auto-Submitted, ...). */
  readonly headers?: readonly string[];
  readonly attachments?: readonly TestAttachment[];
  readonly date?: Date;
}

export const newMessageId = (domain = 'sender.test') => `${randomBytes(8).toString('hex')}@${domain}`;

const base64 = (bytes: Buffer) => bytes.toString('base64').replace(/.{76}/g, '$&\r\n');

export function buildMessage(message: TestMessage): Buffer {
  const id = message.messageId ?? newMessageId(message.from.split('@')[1]);
  const head = [
    ...(message.headers ?? []),
    `From: ${message.from}`,
    `To: ${message.to ?? 'abuse@platform.test'}`,
    `Subject: ${message.subject ?? 'Request'}`,
    `Date: ${(message.date ?? new Date()).toUTCString()}`,
    `Message-ID: <${id}>`,
    ...(message.inReplyTo ? [`In-Reply-To: <${message.inReplyTo}>`] : []),
    ...(message.references?.length ? [`References: ${message.references.map((ref) => `<${ref}>`).join(' ')}`] : []),
    'MIME-Version: 1.0',
  ];
  const textPart = (text: string) => [
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64(Buffer.from(text, 'utf8')),
  ];
  const attachments = message.attachments ?? [];
  if (attachments.length === 0 && message.html === undefined) {
    return Buffer.from([...head, ...textPart(message.text ?? ''), ''].join('\r\n'));
  }
  const boundary = `b${randomBytes(6).toString('hex')}`;
  const parts: string[] = [];
  if (message.text !== undefined) parts.push([`--${boundary}`, ...textPart(message.text)].join('\r\n'));
  if (message.html !== undefined) {
    parts.push(
      [
        `--${boundary}`,
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        '',
        base64(Buffer.from(message.html)),
      ].join('\r\n'),
    );
  }
  for (const attachment of attachments) {
    parts.push(
      [
        `--${boundary}`,
        `Content-Type: ${attachment.contentType}; name="${attachment.fileName}"`,
        `Content-Disposition: attachment; filename="${attachment.fileName}"`,
        'Content-Transfer-Encoding: base64',
        '',
        base64(attachment.content),
      ].join('\r\n'),
    );
  }
  return Buffer.from([...head, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', ...parts, `--${boundary}--`, ''].join('\r\n'));
}

/** The Authentication-Results header a receiving server writes for a sender it checked. */
export function authenticationResults(authservId: string, fromDomain: string, verdict: 'pass' | 'fail' | 'none'): string {
  return `Authentication-Results: ${authservId}; spf=${verdict} smtp.mailfrom=${fromDomain}; dkim=${verdict} header.d=${fromDomain}; dmarc=${verdict} header.from=${fromDomain}`;
}

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
