/**
 * OCR of scans and images with Debian's Tesseract, run as a child process (`tesseract … tsv`, whose per-word
 * confidences give each page's), and PDF pages rendered one at a time by poppler's `pdftoppm`. Memory stays flat
 * however long the document: each page image is a file in a temporary folder, read by the child process and removed
 * as soon as it is read; at most `concurrency` pages are in flight; each page has a time limit, past which its
 * processes are killed and the page is marked for a person to read. A page is never dropped.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OcrPage, PageOcr } from '../core/ports.ts';

export interface TesseractOptions {
  /** off: never run (every scan is marked for manual reading, with OCR_UNAVAILABLE). */
  readonly mode: 'auto' | 'off';
  readonly tesseractCommand: string;
  readonly pdftoppmCommand: string;
  /** Tesseract language codes joined by `+` (`eng+kor+chi_sim`); those not installed are left out. */
  readonly languages: string;
  /** Resolution pages are rendered at (the long side of an A4 page at this resolution bounds every page image). */
  readonly dpi: number;
  /** Below this mean word confidence (0..1) a page needs manual reading. */
  readonly minConfidence: number;
  /** Fewer letters and digits than this: the page needs manual reading. */
  readonly minCharacters: number;
  /** Rendering and recognising one page, at most. */
  readonly pageTimeoutMs: number;
  /** Pages in flight at once (each one process at a time). */
  readonly concurrency: number;
  /** Where page images are written (the system's temporary folder by default). */
  readonly tempDir?: string | undefined;
}

export const DEFAULT_OCR_OPTIONS: TesseractOptions = {
  mode: 'auto',
  tesseractCommand: 'tesseract',
  pdftoppmCommand: 'pdftoppm',
  languages: 'eng+kor+chi_sim+chi_tra+jpn+rus+spa',
  dpi: 300,
  minConfidence: 0.6,
  minCharacters: 20,
  pageTimeoutMs: 60_000,
  concurrency: 1,
};

const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly timedOut: boolean;
  readonly missing: boolean;
}

/** Runs a program without a shell; never rejects. Output past 8 MiB is cut (a page's TSV is a few hundred kB). */
function run(command: string, args: readonly string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      // One thread per process: concurrency is ours to bound, and OpenMP's threads only contend on a shared machine.
      child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, OMP_THREAD_LIMIT: '1' } });
    } catch {
      resolve({ code: null, stdout: '', timedOut: false, missing: true });
      return;
    }
    const chunks: Buffer[] = [];
    let length = 0;
    let timedOut = false;
    let settled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (length >= MAX_OUTPUT_BYTES) return;
      chunks.push(chunk);
      length += chunk.length;
    });
    const finish = (result: RunResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish({ code: null, stdout: '', timedOut, missing: error.code === 'ENOENT' || error.code === 'EACCES' }),
    );
    child.on('close', (code) => finish({ code, stdout: Buffer.concat(chunks).toString('utf8'), timedOut, missing: false }));
  });
}

/**
 * A page's text and mean confidence from Tesseract's TSV: words in reading order, a line break where Tesseract's
 * line ends, a blank line between paragraphs. Confidence is the mean over words, weighted by their length.
 */
export function parseTesseractTsv(tsv: string): { text: string; confidence: number | null } {
  const lines: string[] = [];
  let current: string[] = [];
  let lineKey = '';
  let paragraphKey = '';
  let weighted = 0;
  let characters = 0;
  for (const row of tsv.split('\n').slice(1)) {
    const cells = row.split('\t');
    if (cells.length < 12 || cells[0] !== '5') continue;
    const word = cells.slice(11).join('\t').trim();
    const confidence = Number(cells[10]);
    if (word === '' || !Number.isFinite(confidence) || confidence < 0) continue;
    const paragraph = `${cells[2]}.${cells[3]}`;
    const line = `${paragraph}.${cells[4]}`;
    if (line !== lineKey) {
      if (current.length > 0) lines.push(current.join(' '));
      if (paragraphKey !== '' && paragraph !== paragraphKey) lines.push('');
      current = [];
      lineKey = line;
      paragraphKey = paragraph;
    }
    current.push(word);
    weighted += confidence * word.length;
    characters += word.length;
  }
  if (current.length > 0) lines.push(current.join(' '));
  return { text: lines.join('\n').trim(), confidence: characters > 0 ? Math.round(weighted / characters) / 100 : null };
}

const readable = (text: string) => (text.match(/[\p{L}\p{N}]/gu) ?? []).length;

/** Makes the Tesseract adapter. Availability (the programs and the language packs) is checked once, at first use. */
export function tesseractOcr(options: TesseractOptions = DEFAULT_OCR_OPTIONS): PageOcr {
  let checked: Promise<{ available: true; languages: string } | { available: false; reason: string }> | undefined;
  const check = () =>
    (checked ??= (async () => {
      if (options.mode === 'off') return { available: false as const, reason: 'OCR is turned off (WRIT_OCR=off).' };
      const listed = await run(options.tesseractCommand, ['--list-langs'], 15_000);
      if (listed.missing || listed.code !== 0) {
        return { available: false as const, reason: 'OCR is unavailable: the tesseract program is not installed.' };
      }
      const poppler = await run(options.pdftoppmCommand, ['-v'], 15_000);
      if (poppler.missing) return { available: false as const, reason: 'OCR is unavailable: pdftoppm (poppler-utils) is not installed.' };
      const installed = new Set(listed.stdout.split('\n').map((line) => line.trim()));
      const languages = options.languages.split('+').filter((language) => installed.has(language));
      if (languages.length === 0) {
        return { available: false as const, reason: `OCR is unavailable: none of the languages ${options.languages} is installed.` };
      }
      return { available: true as const, languages: languages.join('+') };
    })());

  const judged = (page: number, text: string, confidence: number | null, note: string | null): OcrPage => {
    const characters = readable(text);
    const unreadable = characters < options.minCharacters || confidence === null || confidence < options.minConfidence;
    return {
      page,
      text: unreadable && characters === 0 ? '' : text,
      confidence,
      needsManualReading: unreadable,
      note:
        note ??
        (characters < options.minCharacters
          ? 'no text recognised on this page: needs manual reading'
          : unreadable
            ? `OCR confidence ${Math.round((confidence ?? 0) * 100)}% is below ${Math.round(options.minConfidence * 100)}%: needs manual reading`
            : null),
    };
  };
  const failed = (page: number, note: string): OcrPage => ({ page, text: '', confidence: null, needsManualReading: true, note });

  async function recognise(page: number, image: string, languages: string, deadline: number): Promise<OcrPage> {
    const result = await run(options.tesseractCommand, [image, 'stdout', '-l', languages, 'tsv'], Math.max(1, deadline - Date.now()));
    if (result.timedOut) return failed(page, `OCR took longer than ${Math.round(options.pageTimeoutMs / 1000)} s: needs manual reading`);
    if (result.code !== 0) return failed(page, 'OCR could not read this page: needs manual reading');
    const parsed = parseTesseractTsv(result.stdout);
    return judged(page, parsed.text, parsed.confidence, null);
  }

  async function pdfPage(file: string, folder: string, page: number, languages: string): Promise<OcrPage> {
    const deadline = Date.now() + options.pageTimeoutMs;
    const prefix = path.join(folder, `page-${page}`);
    // The long side of an A4 page at the resolution: a page drawn a metre wide renders no larger than an A4 one.
    const longSide = String(Math.round((297 / 25.4) * options.dpi));
    try {
      const rendered = await run(
        options.pdftoppmCommand,
        [
          '-f',
          String(page),
          '-l',
          String(page),
          '-r',
          String(options.dpi),
          '-scale-to',
          longSide,
          // Greyscale PGM, uncompressed: writing PNG took pdftoppm four times as long, and tesseract reads either.
          '-gray',
          '-singlefile',
          file,
          prefix,
        ],
        options.pageTimeoutMs,
      );
      if (rendered.timedOut) return failed(page, 'the page took too long to render: needs manual reading');
      if (rendered.code !== 0) return failed(page, 'the page could not be rendered: needs manual reading');
      return await recognise(page, `${prefix}.pgm`, languages, deadline);
    } finally {
      await rm(`${prefix}.pgm`, { force: true });
    }
  }

  return {
    async availability() {
      const status = await check();
      return status.available ? { available: true } : status;
    },

    async *pdfPages(pdf, pages) {
      const status = await check();
      if (!status.available) {
        for (const page of pages) yield failed(page, status.reason);
        return;
      }
      if (pages.length === 0) return;
      const folder = await mkdtemp(path.join(options.tempDir ?? tmpdir(), 'writ-ocr-'));
      const pending = new Map<number, Promise<OcrPage>>();
      try {
        const file = path.join(folder, 'document.pdf');
        await writeFile(file, pdf);
        let started = 0;
        const startNext = () => {
          const index = started;
          started += 1;
          pending.set(index, pdfPage(file, folder, pages[index]!, status.languages));
        };
        while (started < Math.min(pages.length, Math.max(1, options.concurrency))) startNext();
        for (let index = 0; index < pages.length; index += 1) {
          const result = await pending.get(index)!;
          pending.delete(index);
          if (started < pages.length) startNext();
          yield result;
        }
      } finally {
        // A reader that stopped early: let pages in flight finish (their processes end within the time limit) first.
        await Promise.allSettled(pending.values());
        await rm(folder, { recursive: true, force: true });
      }
    },

    async image(bytes) {
      const status = await check();
      if (!status.available) return failed(1, status.reason);
      const folder = await mkdtemp(path.join(options.tempDir ?? tmpdir(), 'writ-ocr-'));
      try {
        const file = path.join(folder, 'image');
        await writeFile(file, bytes);
        return await recognise(1, file, status.languages, Date.now() + options.pageTimeoutMs);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  };
}
