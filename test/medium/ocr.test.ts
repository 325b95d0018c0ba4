/**
 * The Tesseract adapter against the real programs (tesseract and pdftoppm from Debian, installed by .ci/run through
 * scripts/install-ocr.sh): a small generated image is read with its words and a confidence; an image-only PDF is read
 * page by page, a page of noise is marked for manual reading and not dropped; a missing program is a clear marker,
 * not a crash; page images do not outlive the reading.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_OCR_OPTIONS, parseTesseractTsv, tesseractOcr } from '../../src/intake/ocr.ts';
import { DEFAULT_READER_LIMITS, mailReader } from '../../src/intake/reader.ts';
import { buildMessage } from '../support/mail.ts';
import { imageOnlyPdf, noisePdf, rasterise, scannedWarrant, textPdf, WARRANT_LINES } from '../support/scans.ts';

const tempDir = mkdtempSync(path.join(tmpdir(), 'writ-ocr-test-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));
const ocr = tesseractOcr({ ...DEFAULT_OCR_OPTIONS, languages: 'eng', tempDir });

describe('OCR with tesseract', () => {
  it('reads a small generated image: its words, line by line, with a confidence', async () => {
    const png = rasterise(await textPdf(['PRESERVATION ORDER', 'Reference 2026-OCR-5521', 'Account: @ocr_small_target']));
    const page = await ocr.image(png);
    expect(page.needsManualReading).toBe(false);
    expect(page.text).toContain('PRESERVATION ORDER');
    expect(page.text).toContain('2026-OCR-5521');
    expect(page.text).toMatch(/ocr_small_target/);
    expect(page.confidence).toBeGreaterThan(0.8);
    expect(page.confidence).toBeLessThanOrEqual(1);
  }, 60_000);

  it('reads an image-only PDF page by page, marks a page of noise for manual reading, and leaves no page image behind', async () => {
    const pdf = await imageOnlyPdf([
      rasterise(await textPdf(['SEARCH WARRANT', 'The records of the account @scan_page_one'])),
      rasterise(await noisePdf()),
    ]);
    const pages = [];
    for await (const page of ocr.pdfPages(pdf, [1, 2])) pages.push(page);
    expect(pages.map((page) => page.page)).toEqual([1, 2]);
    expect(pages[0]!.text).toContain('SEARCH WARRANT');
    expect(pages[0]!.needsManualReading).toBe(false);
    expect(pages[1]!.needsManualReading).toBe(true);
    expect(pages[1]!.note).toMatch(/manual reading/);
    expect(readdirSync(tempDir)).toEqual([]);
  }, 120_000);

  it('marks a page that takes longer than the time limit, and goes on', async () => {
    const slow = tesseractOcr({ ...DEFAULT_OCR_OPTIONS, languages: 'eng', tempDir, pageTimeoutMs: 1 });
    const page = await slow.image(rasterise(await textPdf(['TIME LIMIT'])));
    expect(page.needsManualReading).toBe(true);
    expect(page.text).toBe('');
    expect(page.note).toMatch(/longer than|could not/);
  }, 60_000);

  it('says OCR is unavailable when tesseract is absent or OCR is off, and marks every page instead of failing', async () => {
    const absent = tesseractOcr({ ...DEFAULT_OCR_OPTIONS, tesseractCommand: path.join(tempDir, 'no-such-tesseract') });
    expect(await absent.availability()).toEqual({ available: false, reason: expect.stringMatching(/tesseract program is not installed/) });
    const pages = [];
    for await (const page of absent.pdfPages(Buffer.from('%PDF-1.4 not really'), [1, 2])) pages.push(page);
    expect(pages.map((page) => [page.page, page.needsManualReading])).toEqual([
      [1, true],
      [2, true],
    ]);
    const off = tesseractOcr({ ...DEFAULT_OCR_OPTIONS, mode: 'off' });
    expect(await off.availability()).toEqual({ available: false, reason: expect.stringMatching(/WRIT_OCR=off/) });
    expect((await off.image(Buffer.from('x'))).needsManualReading).toBe(true);
  });

  it('keeps a scan read where tesseract is absent: marked OCR_UNAVAILABLE, every page listed as not read, still a document', async () => {
    const reader = mailReader(DEFAULT_READER_LIMITS, {
      ocr: tesseractOcr({ ...DEFAULT_OCR_OPTIONS, tesseractCommand: path.join(tempDir, 'no-such-tesseract') }),
    });
    const read = await reader.read(
      buildMessage({
        from: 'officer@police.test',
        subject: 'Warrant',
        text: 'The warrant is attached.',
        attachments: [{ fileName: 'warrant.pdf', contentType: 'application/pdf', content: await scannedWarrant(WARRANT_LINES) }],
      }),
    );
    expect(read.flags).toEqual(expect.arrayContaining(['OCR_UNAVAILABLE', 'NEEDS_MANUAL_READING']));
    expect(read.flags).not.toContain('OCR_READ');
    const [attachment] = read.attachments;
    expect(attachment!.document).toBe(true);
    expect(attachment!.pages).toEqual([
      expect.objectContaining({ page: 1, source: 'none', needsManualReading: true, note: expect.stringMatching(/tesseract/) }),
    ]);
    expect(read.documents?.map((document) => document.attachment)).toEqual([0]);
    expect(read.reading).toContain('The warrant is attached.');
    expect(read.segments).toEqual([{ start: 0, end: read.reading.length, attachment: null, page: null }]);
  }, 60_000);

  it('answers garbage bytes with a page marked for manual reading', async () => {
    const page = await ocr.image(Buffer.from('this is not an image at all'));
    expect(page.needsManualReading).toBe(true);
    expect(page.text).toBe('');
  }, 30_000);

  it('turns TSV into lines and paragraphs with a length-weighted confidence', () => {
    const header = 'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext';
    const word = (block: number, par: number, line: number, conf: number, text: string) =>
      `5\t1\t${block}\t${par}\t${line}\t1\t0\t0\t0\t0\t${conf}\t${text}`;
    const tsv = [
      header,
      word(1, 1, 1, 90, 'Case'),
      word(1, 1, 1, 60, 'No.'),
      word(1, 1, 2, 100, 'line'),
      word(1, 2, 1, 80, 'next'),
      '4\t1\t1\t1\t1\t0\t0\t0\t0\t0\t-1\t',
    ].join('\n');
    const parsed = parseTesseractTsv(tsv);
    expect(parsed.text).toBe('Case No.\nline\n\nnext');
    expect(parsed.confidence).toBeCloseTo((90 * 4 + 60 * 3 + 100 * 4 + 80 * 4) / 15 / 100, 2);
    expect(parseTesseractTsv(header)).toEqual({ text: '', confidence: null });
  });
});
