/**
 * bench/intake: email intake in one run.
 *   - reading and extraction, messages per second, one at a time as the job does them: 600 notices without a PDF,
 *     and 100 with a 5-page text PDF attached; the floor is mailparser alone parsing the same messages (the least any
 *     reading must do), so our rate reads as a share of it;
 *   - delivery to acknowledgement: real servers (Dovecot and OpenSMTPD on loopback, as the tests use), a notice sent
 *     over SMTP to the mailbox, and the time until its receipt is in the sender's IMAP mailbox — at the default
 *     settings (IDLE on, a check every 20 s) and with IDLE off (the 20 s check alone).
 *   - OCR: scanned notices (rasterised in the run and wrapped back as image-only PDFs of 20 pages) read through the
 *     reader with Tesseract, in pages per second, against the floor of the `tesseract` command alone on the same
 *     pages (rendered beforehand, untimed), document by document in turn so both see the same load; and the
 *     process's memory after each document, to show it stays flat (`--ocr-pages`, 200 by default; `--no-ocr`).
 * Needs root and Debian's dovecot-imapd, dovecot-lmtpd and opensmtpd (scripts/install-mail-servers.sh) for the
 * delivery part (`--no-servers` skips it), and tesseract and pdftoppm (scripts/install-ocr.sh) for OCR. Prints a
 * JSON summary and writes it to bench/results/intake.json.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadConfig } from '../../src/config/config.ts';
import { extractFields } from '../../src/intake/extract.ts';
import { DEFAULT_OCR_OPTIONS, tesseractOcr } from '../../src/intake/ocr.ts';
import { DEFAULT_READER_LIMITS, mailReader } from '../../src/intake/reader.ts';
import { createContext, createLogger, startJobs, startMailbox } from '../../src/server/context.ts';
import { buildMessage, newMessageId } from '../../test/support/mail.ts';
import { startMailServers } from '../../test/support/mail-servers.ts';
import { imageOnlyPdf, rasterise, textPdf } from '../../test/support/scans.ts';

const root = path.resolve(import.meta.dirname, '../..');
const { values: options } = parseArgs({
  options: {
    'no-servers': { type: 'boolean' },
    'no-ocr': { type: 'boolean' },
    'ocr-pages': { type: 'string', default: '200' },
    'ocr-languages': { type: 'string', default: 'eng' },
  },
  strict: true,
});
const run = promisify(execFile);
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
process.stderr.write(`${JSON.stringify(result)}\n`);

/**
 * OCR throughput: `pages` scanned pages in documents of 20, read by the reader with Tesseract (our rate), and the same
 * pages by the tesseract command alone (the floor), one document each in turn; the RSS after each of our documents.
 */
async function ocrThroughput(pages: number, languages: string) {
  const PAGES_PER_DOCUMENT = 20;
  const distinct = await Promise.all(
    notices.slice(0, 5).map(async (notice) =>
      rasterise(
        await textPdf(
          notice
            .replace(/[^\x20-\x7e\n]/g, '?')
            .split('\n')
            .slice(0, 32)
            .map((line) => line.slice(0, 80)),
        ),
      ),
    ),
  );
  const documents = Math.ceil(pages / PAGES_PER_DOCUMENT);
  const scan = await imageOnlyPdf(Array.from({ length: PAGES_PER_DOCUMENT }, (_, index) => distinct[index % distinct.length]!));
  const message = buildMessage({
    from: 'officer@police.bench.test',
    subject: 'Scanned order',
    text: 'The order is attached.',
    attachments: [{ fileName: 'order.pdf', contentType: 'application/pdf', content: scan }],
  });
  const ocr = tesseractOcr({ ...DEFAULT_OCR_OPTIONS, languages, concurrency: 1 });
  if (!(await ocr.availability()).available) return { skipped: 'tesseract or pdftoppm is not installed' };
  const reader = mailReader({ ...DEFAULT_READER_LIMITS, maxPdfPages: PAGES_PER_DOCUMENT }, { ocr });
  // The floor's page images, rendered as the adapter renders them (greyscale PGM at the same size), untimed: the
  // floor is tesseract's own rate on exactly the images it reads.
  const folder = mkdtempSync(path.join(tmpdir(), 'writ-bench-ocr-'));
  writeFileSync(path.join(folder, 'scan.pdf'), scan);
  const longSide = String(Math.round((297 / 25.4) * DEFAULT_OCR_OPTIONS.dpi));
  await run('pdftoppm', ['-r', String(DEFAULT_OCR_OPTIONS.dpi), '-scale-to', longSide, '-gray', 'scan.pdf', 'page'], {
    cwd: folder,
  });
  const images = readdirSync(folder)
    .filter((name) => name.endsWith('.pgm'))
    .sort();
  const environment = { ...process.env, OMP_THREAD_LIMIT: '1' };
  let oursSeconds = 0;
  let floorSeconds = 0;
  let unread = 0;
  const rss: number[] = [];
  try {
    for (let document = 0; document < documents; document += 1) {
      const started = performance.now();
      const read = await reader.read(message);
      oursSeconds += (performance.now() - started) / 1000;
      unread += read.attachments[0]?.pages?.filter((page) => page.needsManualReading).length ?? PAGES_PER_DOCUMENT;
      rss.push(process.memoryUsage().rss);
      const floorStarted = performance.now();
      for (const image of images) {
        await run('tesseract', [image, 'stdout', '-l', languages, 'tsv'], { cwd: folder, env: environment, maxBuffer: 16 * 1024 * 1024 });
      }
      floorSeconds += (performance.now() - floorStarted) / 1000;
      const done = (document + 1) * PAGES_PER_DOCUMENT;
      process.stderr.write(
        `ocr: ${done} pages, ours ${(done / oursSeconds).toFixed(2)} pages/s, tesseract alone ${(done / floorSeconds).toFixed(2)} pages/s, rss ${Math.round(rss.at(-1)! / 1_048_576)} MB\n`,
      );
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  const total = documents * PAGES_PER_DOCUMENT;
  const megabytes = (bytes: number) => Math.round(bytes / 104_857.6) / 10;
  return {
    pages: total,
    languages,
    pagesNeedingManualReading: unread,
    pagesPerSecond: Math.round((total / oursSeconds) * 100) / 100,
    floorPagesPerSecond: Math.round((total / floorSeconds) * 100) / 100,
    shareOfFloor: Math.round((floorSeconds / oursSeconds) * 1000) / 1000,
    targetShareOfFloor: 0.8,
    rssMegabytes: {
      afterFirstDocument: megabytes(rss[0]!),
      afterLastDocument: megabytes(rss.at(-1)!),
      max: megabytes(Math.max(...rss)),
      perDocument: rss.map(megabytes),
    },
  };
}

if (!options['no-ocr']) {
  result.ocr = await ocrThroughput(Math.max(20, Number(options['ocr-pages'])), options['ocr-languages'] ?? 'eng');
}

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
