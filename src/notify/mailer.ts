/**
 * Outgoing mail through nodemailer: an SMTP server when WRIT_SMTP_URL is set; otherwise each message is written as
 * an RFC 5322 file (`.eml`, readable only by Writ's user) under `<data>/mail/outgoing/`, so an installation without a
 * mail server loses nothing and the operator can send or read it. Neither path logs a message's content.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Mailer } from '../core/ports.ts';

export interface MailerOptions {
  readonly smtpUrl?: string | undefined;
  readonly from: string;
  /** Where messages go when there is no SMTP server. */
  readonly folder: string;
}

export function createMailer(options: MailerOptions): Mailer {
  // nodemailer is loaded when the first mail goes out, not when Writ starts.
  const transport = (async () => {
    const { createTransport } = await import('nodemailer');
    return options.smtpUrl ? createTransport(options.smtpUrl) : createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  })();
  return {
    async send(message) {
      const key = message.key?.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
      const headers = { ...message.headers, ...(key ? { 'X-Writ-Key': key } : {}) };
      const sent = await (
        await transport
      ).sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        ...(message.inReplyTo ? { inReplyTo: `<${message.inReplyTo}>` } : {}),
        ...(message.references?.length ? { references: message.references.map((id) => `<${id}>`) } : {}),
        // A message sent again under its key is the same message: same Message-ID, same file.
        ...(key ? { messageId: `<${key}@writ.invalid>` } : {}),
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
      });
      if (options.smtpUrl) return;
      const content = (sent as unknown as { message: Buffer }).message;
      await mkdir(options.folder, { recursive: true, mode: 0o700 });
      const name = key ? `${key}.eml` : `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`;
      // Written under a temporary name and renamed, so a reader never sees half a message.
      const partial = path.join(options.folder, `.${name}.${randomUUID()}.part`);
      await writeFile(partial, content, { mode: 0o600 });
      await rename(partial, path.join(options.folder, name));
    },
  };
}
