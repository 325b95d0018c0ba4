/**
 * Scanned documents made in the test: a PDF with text (pdf-lib), rasterised by poppler's pdftoppm to PNG, and
 * wrapped back into a PDF as image-only pages, so nothing of the text layer survives; and a page of noise.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';

/** A search warrant's face page naming its targets, for scanning. */
export const WARRANT_LINES = [
  'UNITED STATES DISTRICT COURT',
  'SEARCH WARRANT',
  'Case No. 2026-77812',
  '',
  'You are commanded to disclose the subscriber information and IP logs',
  'of the Instagram account @scan_target_one, the account at',
  'https://social.example.test/users/scan_target_two for the period',
  'from September 1, 2026 to October 15, 2026.',
  '',
  'Federal Bureau of Investigation',
];

/** A one-page A4 PDF with these lines of text, with a text layer. */
export async function textPdf(lines: readonly string[]): Promise<Buffer> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  const page = document.addPage([595, 842]);
  lines.forEach((line, index) => page.drawText(line, { x: 50, y: 780 - index * 22, size: 13, font }));
  return Buffer.from(await document.save());
}

/** A page of speckles and short strokes, no text: what a bad scan of nothing looks like. */
export async function noisePdf(seed = 7): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage([595, 842]);
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  for (let index = 0; index < 400; index += 1) {
    const grey = random() * 0.6;
    page.drawRectangle({
      x: random() * 595,
      y: random() * 842,
      width: 1 + random() * 6,
      height: 1 + random() * 6,
      color: rgb(grey, grey, grey),
    });
  }
  return Buffer.from(await document.save());
}

/** The first page of a PDF as a PNG (pdftoppm, greyscale, at `dpi`). */
export function rasterise(pdf: Uint8Array, dpi = 200): Buffer {
  const folder = mkdtempSync(path.join(tmpdir(), 'writ-scan-'));
  try {
    writeFileSync(path.join(folder, 'in.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-gray', '-png', '-singlefile', '-f', '1', '-l', '1', 'in.pdf', 'page'], { cwd: folder });
    return readFileSync(path.join(folder, 'page.png'));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** A PDF of image-only pages (no text layer), one per PNG, each filling an A4 page. */
export async function imageOnlyPdf(pngs: readonly Uint8Array[]): Promise<Buffer> {
  const document = await PDFDocument.create();
  for (const png of pngs) {
    const image = await document.embedPng(png);
    const page = document.addPage([595, 842]);
    page.drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  }
  return Buffer.from(await document.save());
}

/** A scanned warrant: the lines on a page rasterised, then a page of noise, as one image-only PDF. */
export async function scannedWarrant(lines: readonly string[], options: { noisePage?: boolean } = {}): Promise<Buffer> {
  const pages = [rasterise(await textPdf(lines))];
  if (options.noisePage) pages.push(rasterise(await noisePdf()));
  return imageOnlyPdf(pages);
}
