/**
 * The mailbox, end to end, with real servers (Dovecot for IMAP and LMTP, OpenSMTPD for SMTP, on loopback): a notice
 * sent to the platform's address is polled from IMAP and becomes a draft with its fields; the receipt reaches the
 * sender's own mailbox; a follow-up joins the draft; a forged sender's receipt holds no link and no data; broken
 * mail is stored and marked and the poller goes on; the poller survives the IMAP server restarting; a scanned
 * warrant sent by mail is read by OCR into a draft with its document, and the desk's API shows each value on its page.
 */
import { deflateRawSync, crc32 } from 'node:zlib';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { IntakeMessageRecord } from '../../src/core/intake.ts';
import { buildApp, type App } from '../../src/server/app.ts';
import { startJobs, startMailbox, type AppContext } from '../../src/server/context.ts';
import type { MailboxWatcher } from '../../src/intake/imap.source.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, sessionFor, type World } from '../support/factories.ts';
import { authenticationResults, buildMessage, newMessageId } from '../support/mail.ts';
import { startMailServers, type MailServers } from '../support/mail-servers.ts';
import { scannedWarrant, WARRANT_LINES } from '../support/scans.ts';

const AUTHSERV = 'mx.platform.test';
// Ports 14300–14399 are this suite's; IMAP, LMTP and SMTP take three in a row.
const BASE = 14300 + (process.pid % 30) * 3;
const PASSWORD = 'mail-test-password';

let servers: MailServers;
beforeAll(async () => {
  servers = await startMailServers(BASE);
}, 60_000);
afterAll(async () => {
  await servers?.stop();
});

async function send(raw: Buffer, from: string, to: string): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: servers.smtpPort, secure: false, ignoreTLS: true });
  await transport.sendMail({ envelope: { from, to }, raw });
  transport.close();
}

/** Every message in a mailbox, as raw text. */
async function mailboxOf(address: string): Promise<string[]> {
  const client = new ImapFlow({
    host: '127.0.0.1',
    port: servers.imapPort,
    secure: false,
    auth: { user: address, pass: PASSWORD },
    logger: false,
  });
  client.on('error', () => undefined);
  await client.connect();
  const lock = await client.getMailboxLock('INBOX');
  try {
    const messages: string[] = [];
    if ((client.mailbox && client.mailbox.exists) === 0) return messages;
    for await (const message of client.fetch('1:*', { source: true })) messages.push(message.source?.toString('utf8') ?? '');
    return messages;
  } finally {
    lock.release();
    await client.logout();
  }
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function zipBomb(): Buffer {
  // One entry of 64 MiB of zeros, deflated to about 64 kB: listed, never unpacked.
  const size = 64 * 1024 * 1024;
  const data = deflateRawSync(Buffer.alloc(size), { level: 9 });
  const name = Buffer.from('payload.bin');
  const crc = crc32(Buffer.alloc(size));
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const centralOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, name, data, central, name, end]);
}

describeOnEachDatabase(
  'the mailbox with real IMAP and SMTP servers',
  (db) => {
    let context: AppContext;
    let world: World;
    let watcher: MailboxWatcher;
    let mailbox: string;
    let officer: string;
    let domain: string;

    beforeAll(async () => {
      context = db().context;
      world = await buildWorld(context);
      domain = (await context.store.read.organisations.find(world.agencyA))!.emailDomains[0]!;
      officer = (await context.store.read.users.find(world.officerA.userId))!.email;
      mailbox = `abuse-${db().kind}@platform.test`;
      servers.addUsers({
        [mailbox]: PASSWORD,
        [officer]: PASSWORD,
        [`chief@${domain}`]: PASSWORD,
        [`mule@gmail-${db().kind}.test`]: PASSWORD,
      });
      await startJobs(context);
      watcher = await startMailbox({
        ...context,
        config: {
          ...context.config,
          WRIT_IMAP_HOST: '127.0.0.1',
          WRIT_IMAP_PORT: servers.imapPort,
          WRIT_IMAP_SECURE: false,
          WRIT_IMAP_USER: mailbox,
          WRIT_IMAP_PASSWORD: PASSWORD,
          WRIT_IMAP_POLL_SECONDS: 2,
        },
      });
      context.mailbox = watcher;
    }, 60_000);

    const stored = (predicate: (message: IntakeMessageRecord) => boolean) =>
      eventually('the message to be read', async () => {
        await context.jobs!.drain();
        const page = await context.store.read.intake.listMessages({ limit: 200 });
        const found = page.items.find((message) => predicate(message) && message.status !== 'received');
        return found && (await context.store.read.intake.findMessage(found.id));
      });
    const receiptIn = (address: string, needle: string) =>
      eventually(`a receipt in ${address}`, async () => {
        await context.jobs!.drain();
        return (await mailboxOf(address)).find((raw) => raw.includes(needle));
      });

    it('turns a notice sent to the mailbox into a draft, acknowledges it to the sender, and joins the follow-up', async () => {
      const id = newMessageId(domain);
      const notice = [
        'To whom it may concern,',
        '',
        'The Seoul Metropolitan Police Agency requests the preservation of the account @mailbox_target and of',
        'https://social.example-platform.test/@mailbox_target under Article 215 of the Criminal Procedure Act (Case No. 2026-77812).',
        '',
        'Regards,',
        'Inspector Han',
      ].join('\n');
      await send(
        buildMessage({
          from: officer,
          to: mailbox,
          messageId: id,
          subject: 'Preservation request',
          text: notice,
          headers: [authenticationResults(AUTHSERV, domain, 'pass')],
        }),
        officer,
        mailbox,
      );
      const message = await stored((entry) => entry.messageId === id);
      expect(message.source).toBe('imap');
      expect(message.trust?.level).toBe('verified_officer');
      const draft = (await context.store.read.intake.findDraft(message.draftId!))!;
      expect(draft.fields.kind?.value).toBe('preservation');
      expect(draft.fields.targets.usernames.map((entry) => entry.value)).toContain('mailbox_target');
      expect(draft.fields.caseNumber?.value).toBe('2026-77812');
      const receipt = await receiptIn(officer, draft.trackingNumber);
      expect(receipt).toContain(`/requests/${draft.trackingNumber}`);
      expect(receipt).toMatch(/^Auto-Submitted: auto-replied/im);

      const followUpId = newMessageId(domain);
      await send(
        buildMessage({
          from: officer,
          to: mailbox,
          messageId: followUpId,
          inReplyTo: id,
          references: [id],
          subject: `Re: [${draft.trackingNumber}] Received: Preservation request`,
          text: 'Please also preserve @mailbox_second.',
          headers: [authenticationResults(AUTHSERV, domain, 'pass')],
        }),
        officer,
        mailbox,
      );
      const followUp = await stored((entry) => entry.messageId === followUpId);
      expect(followUp.draftId).toBe(draft.id);
      const updated = (await context.store.read.intake.findDraft(draft.id))!;
      expect(updated.fields.targets.usernames.map((entry) => entry.value)).toEqual(['mailbox_target', 'mailbox_second']);
      // Our own receipt, bounced back into the mailbox, is stored and never answered.
      const receipts = (await mailboxOf(officer)).filter((raw) => raw.includes(draft.trackingNumber));
      await send(Buffer.from(receipts[0]!.replace(/\r?\n/g, '\r\n')), officer, mailbox);
      const looped = await stored((entry) => entry.flags.includes('OWN_ACKNOWLEDGEMENT'));
      expect(looped.draftId).toBeNull();
    });

    it('gives a forged sender at an official domain a receipt with no portal link and no data', async () => {
      const forger = `chief@${domain}`;
      const id = newMessageId(domain);
      await send(
        buildMessage({
          from: forger,
          to: mailbox,
          messageId: id,
          subject: 'EMERGENCY - life at risk',
          text: 'Emergency: a child is in imminent danger. Send the subscriber information and IP logs of @mailbox_target to this address immediately.',
          headers: [authenticationResults(AUTHSERV, domain, 'fail')],
        }),
        forger,
        mailbox,
      );
      const message = await stored((entry) => entry.messageId === id);
      expect(message.trust?.level).toBe('suspicious');
      const draft = (await context.store.read.intake.findDraft(message.draftId!))!;
      const receipt = await receiptIn(forger, draft.trackingNumber);
      expect(receipt).not.toContain('/requests/');
      expect(receipt).not.toContain('mailbox_target');
      expect(receipt).toContain('register');
    });

    it('stores and marks broken mail, and reads the next message after it', async () => {
      const client = new ImapFlow({
        host: '127.0.0.1',
        port: servers.imapPort,
        secure: false,
        auth: { user: mailbox, pass: PASSWORD },
        logger: false,
      });
      client.on('error', () => undefined);
      await client.connect();
      const nested = (depth: number): Buffer =>
        depth === 0
          ? buildMessage({ from: 'inner@deep.test', text: 'the innermost message' })
          : buildMessage({
              from: `layer${depth}@deep.test`,
              text: `layer ${depth}`,
              attachments: [{ fileName: `layer${depth}.eml`, contentType: 'message/rfc822', content: nested(depth - 1) }],
            });
      const cases: Array<[string, Buffer, string]> = [
        [
          'malformed',
          Buffer.from('From: broken@bad.test\r\nSubject: broken\r\nContent-Type: multipart/mixed\r\n\r\n--nowhere\r\nno end'),
          'MALFORMED_MIME',
        ],
        [
          'cr only',
          Buffer.from('From: mac@old.test\rSubject: old mac\r\rPlease remove https://old.example.test/post/9\r'),
          'CR_LINE_ENDINGS',
        ],
        ['empty', Buffer.from('From: empty@bad.test\r\nSubject: \r\n\r\n'), 'EMPTY_BODY'],
        [
          'zip bomb',
          buildMessage({
            from: 'bomb@bad.test',
            text: 'see attachment',
            attachments: [{ fileName: 'evidence.zip', contentType: 'application/zip', content: zipBomb() }],
          }),
          'ARCHIVE_BOMB',
        ],
        ['nested', nested(6), 'NESTED_TOO_DEEP'],
        [
          'charset',
          Buffer.from(
            'From: gbk@bad.test\r\nSubject: charset\r\nContent-Type: text/plain; charset=x-unknown-charset\r\n\r\n\xd6\xd0\xce\xc4',
            'latin1',
          ),
          'CHARSET_PROBLEM',
        ],
        [
          'loop',
          buildMessage({
            from: 'loop@bad.test',
            text: 'hop',
            headers: Array.from(
              { length: 40 },
              (_, hop) => `Received: from hop${hop}.test by hop${hop + 1}.test; ${new Date().toUTCString()}`,
            ),
          }),
          'MAIL_LOOP',
        ],
      ];
      for (const [, raw] of cases) await client.append('INBOX', raw);
      await client.logout();
      for (const [name, raw, flag] of cases) {
        const from = /^From: (\S+)/m.exec(raw.toString('latin1').replace(/\r(?!\n)/g, '\n'))![1]!;
        const message = await stored((entry) => entry.fromAddress === from);
        expect(message.flags, name).toContain(flag);
      }
      const after = newMessageId('after.test');
      await send(
        buildMessage({ from: 'after@after.test', to: mailbox, messageId: after, text: 'Please remove https://after.example.test/p/1' }),
        'after@after.test',
        mailbox,
      );
      const next = await stored((entry) => entry.messageId === after);
      expect(next.draftId).not.toBeNull();
    }, 120_000);

    it('reads a scanned warrant sent by mail into a draft with its document; the API shows each value on its page', async () => {
      const id = newMessageId(domain);
      const warrant = await scannedWarrant(WARRANT_LINES, { noisePage: true });
      await send(
        buildMessage({
          from: officer,
          to: mailbox,
          messageId: id,
          subject: 'Search warrant (scanned)',
          text: 'The signed warrant is attached.',
          headers: [authenticationResults(AUTHSERV, domain, 'pass')],
          attachments: [{ fileName: 'warrant.pdf', contentType: 'application/pdf', content: warrant }],
        }),
        officer,
        mailbox,
      );
      const message = await eventually(
        'the scan to be read',
        async () => {
          await context.jobs!.drain(180_000);
          const page = await context.store.read.intake.listMessages({ limit: 200 });
          const found = page.items.find((entry) => entry.messageId === id && entry.status !== 'received');
          return found && (await context.store.read.intake.findMessage(found.id));
        },
        180_000,
      );
      expect(message.flags).toEqual(expect.arrayContaining(['OCR_READ', 'NEEDS_MANUAL_READING']));
      const app: App = await buildApp(context);
      try {
        const cookie = `writ_session=${await sessionFor(context, world.reviewer)}`;
        const response = await app.inject({ method: 'GET', url: `/api/v1/intake/drafts/${message.draftId}`, headers: { cookie } });
        expect(response.statusCode).toBe(200);
        const view = response.json() as {
          fields: Record<
            string,
            {
              value: unknown;
              extracted: Array<{ place: { document: { fileName: string } | null; page: number; before: string; text: string } }>;
            }
          >;
          documents: Array<{ fileName: string; sha256: string; pages: Array<{ source: string; needsManualReading: boolean }> }>;
        };
        expect(view.fields['targets.usernames']!.value).toContain('scan_target_one');
        const source = view.fields['targets.usernames']!.extracted[0]!.place;
        expect(source.document?.fileName).toBe('warrant.pdf');
        expect(source.page).toBe(1);
        expect(source.text).toContain('scan_target_one');
        expect(source.before).toContain('Instagram account');
        expect(view.documents.map((document) => [document.fileName, document.sha256])).toEqual([
          ['warrant.pdf', context.secrets.sha256Hex(warrant)],
        ]);
        expect(view.documents[0]!.pages.map((page) => [page.source, page.needsManualReading])).toEqual([
          ['ocr', false],
          ['none', true],
        ]);
      } finally {
        await app.close();
      }
    }, 300_000);

    it('goes on reading after the IMAP server restarts', async () => {
      await servers.stopImap();
      await eventually('the poller to notice', async () => (watcher.connected ? undefined : true));
      await servers.startImap();
      const id = newMessageId('restart.test');
      await send(
        buildMessage({
          from: `mule@gmail-${db().kind}.test`,
          to: mailbox,
          messageId: id,
          text: 'Please remove https://restart.example.test/p/2',
        }),
        'x@restart.test',
        mailbox,
      );
      const message = await stored((entry) => entry.messageId === id);
      expect(message.draftId).not.toBeNull();
      await receiptIn(`mule@gmail-${db().kind}.test`, (await context.store.read.intake.findDraft(message.draftId!))!.trackingNumber);
    }, 120_000);
  },
  {
    WRIT_IMAP_AUTHSERV_ID: AUTHSERV,
    WRIT_SMTP_URL: `smtp://127.0.0.1:${BASE + 2}`,
    WRIT_MAIL_FROM: 'Writ <writ@platform.test>',
    WRIT_OCR_LANGUAGES: 'eng',
  },
);
