/**
 * bench/intake: email intake in one run.
 *   - reading and extraction, messages per second, one at a time as the job does them: 600 notices without a PDF,
 *     and 100 with a 5-page text PDF attached; the floor is mailparser alone parsing the same messages (the least any
 *     reading must do), so our rate reads as a share of it;
 *   - delivery to acknowledgement: real servers (Dovecot and OpenSMTPD on loopback, as the tests use), a notice sent
 *     over SMTP to the mailbox, and the time until its receipt is in the sender's IMAP mailbox — at the default
 *     settings (IDLE on, a check every 20 s) and with IDLE off (the 20 s check alone).
 * Needs root and Debian's dovecot-imapd, dovecot-lmtpd and opensmtpd (scripts/install-mail-servers.sh) for the last
 * part; `--no-servers` skips it. Prints a JSON summary and writes it to bench/results/intake.json.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadConfig } from '../../src/config/config.ts';
import { extractFields } from '../../src/intake/extract.ts';
import { mailReader } from '../../src/intake/reader.ts';
import { createContext, createLogger, startJobs, startMailbox } from '../../src/server/context.ts';
import { buildMessage, newMessageId } from '../../test/support/mail.ts';
import { startMailServers } from '../../test/support/mail-servers.ts';

const root = path.resolve(import.meta.dirname, '../..');
const { values: options } = parseArgs({ options: { 'no-servers': { type: 'boolean' } }, strict: true });
const round = (value: number) => Math.round(value * 10) / 10;

const notices = readdirSync(path.join(root, 'test/fixtures/intake-eval'))
  .filter((name) => name.endsWith('.txt'))
  .map((name) => readFileSync(path.join(root, 'test/fixtures/intake-eval', name), 'utf8'));

async function fivePagePdf(): Promise<Buffer> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let page = 1; page <= 5; page += 1) {
    const sheet = document.addPage();
    const lines = notices[page % notices.length]!.replace(/[^\x20-\x7e\n]/g, '?')
      .split('\n')
      .slice(0, 40);
    lines.forEach((line, index) => sheet.drawText(line.slice(0, 95), { x: 40, y: 800 - index * 18, size: 10, font }));
  }
  return Buffer.from(await document.save());
}

async function throughput(messages: readonly Buffer[]) {
  const reader = mailReader();
  // Warm up: the first message loads the parsers (and pdf.js).
  for (const message of messages.slice(0, 5)) extractFields((await reader.read(message)).reading, {});
  const started = performance.now();
  let targets = 0;
  for (const message of messages) {
    const read = await reader.read(message);
    const fields = extractFields(read.reading, { sentAt: read.sentAt });
    targets += Object.values(fields.targets).reduce((sum, list) => sum + list.length, 0);
  }
  const seconds = (performance.now() - started) / 1000;
  const floorStarted = performance.now();
  for (const message of messages) await simpleParser(message);
  const floorSeconds = (performance.now() - floorStarted) / 1000;
  const perSecond = messages.length / seconds;
  const floorPerSecond = messages.length / floorSeconds;
  return {
    messages: messages.length,
    messagesPerSecond: round(perSecond),
    floorMessagesPerSecond: round(floorPerSecond),
    shareOfFloor: Math.round((perSecond / floorPerSecond) * 1000) / 1000,
    targetsFound: targets,
  };
}

const plain = Array.from({ length: 600 }, (_, index) =>
  buildMessage({ from: `officer${index}@police.bench.test`, subject: `Request ${index}`, text: notices[index % notices.length]! }),
);
const pdf = await fivePagePdf();
const withPdf = Array.from({ length: 100 }, (_, index) =>
  buildMessage({
    from: `officer${index}@police.bench.test`,
    subject: `Request ${index}`,
    text: notices[index % notices.length]!,
    attachments: [{ fileName: 'request.pdf', contentType: 'application/pdf', content: pdf }],
  }),
);
const result: Record<string, unknown> = {
  date: new Date().toISOString().slice(0, 10),
  node: process.version,
  withoutPdf: { ...(await throughput(plain)), targetMessagesPerSecond: 100 },
  withFivePagePdf: { ...(await throughput(withPdf)), pdfBytes: pdf.length, targetMessagesPerSecond: 20 },
};

if (!options['no-servers']) {
  const servers = await startMailServers(14390);
  const password = 'bench-password';
  const sender = 'officer@police.bench.test';
  const latencies: Record<string, number[]> = {};
  try {
    for (const [name, idle] of [
      ['defaults (IDLE, 20 s check)', true],
      ['IDLE off (20 s check only)', false],
    ] as const) {
      const mailbox = `abuse-${idle ? 'idle' : 'poll'}@platform.bench.test`;
      servers.addUsers({ [mailbox]: password, [sender]: password });
      const config = loadConfig({
        LOG_LEVEL: 'silent',
        WRIT_DATA_DIR: path.join(root, 'bench/results/intake-data', idle ? 'idle' : 'poll'),
        WRIT_SMTP_URL: `smtp://127.0.0.1:${servers.smtpPort}`,
        WRIT_IMAP_HOST: '127.0.0.1',
        WRIT_IMAP_PORT: String(servers.imapPort),
        WRIT_IMAP_SECURE: 'false',
        WRIT_IMAP_USER: mailbox,
        WRIT_IMAP_PASSWORD: password,
        WRIT_IMAP_IDLE: String(idle),
      });
      const context = await createContext(config, { pgliteInMemory: true, log: createLogger(config) });
      await startJobs(context);
      context.mailbox ??= await startMailbox(context);
      const receiver = new ImapFlow({
        host: '127.0.0.1',
        port: servers.imapPort,
        secure: false,
        auth: { user: sender, pass: password },
        logger: false,
      });
      receiver.on('error', () => undefined);
      await receiver.connect();
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: servers.smtpPort, secure: false, ignoreTLS: true });
      const times: number[] = [];
      for (let index = 0; index < (idle ? 10 : 4); index += 1) {
        const id = newMessageId('police.bench.test');
        const raw = buildMessage({
          from: sender,
          to: mailbox,
          messageId: id,
          subject: `Bench ${index}`,
          text: notices[index % notices.length]!,
        });
        const sent = performance.now();
        await transport.sendMail({ envelope: { from: sender, to: mailbox }, raw });
        // The receipt answers the notice: In-Reply-To names its Message-ID.
        for (;;) {
          const lock = await receiver.getMailboxLock('INBOX');
          let found = false;
          try {
            const hits = await receiver.search({ header: { 'in-reply-to': id } });
            found = Array.isArray(hits) && hits.length > 0;
          } finally {
            lock.release();
          }
          if (found) break;
          if (performance.now() - sent > 120_000) throw new Error('no receipt within 120 s');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        times.push((performance.now() - sent) / 1000);
      }
      latencies[name] = times;
      transport.close();
      await receiver.logout();
      await context.close();
    }
  } finally {
    await servers.stop();
    rmSync(path.join(root, 'bench/results/intake-data'), { recursive: true, force: true });
  }
  result.deliveryToAcknowledgement = Object.fromEntries(
    Object.entries(latencies).map(([name, times]) => {
      const sorted = [...times].sort((a, b) => a - b);
      return [
        name,
        {
          messages: times.length,
          medianSeconds: round(sorted[Math.floor(sorted.length / 2)]!),
          maxSeconds: round(sorted.at(-1)!),
          targetSeconds: 60,
        },
      ];
    }),
  );
}

mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/intake.json'), `${JSON.stringify(result, null, 2)}\n`);
console.log(JSON.stringify(result, null, 2));
