/**
 * Text from PDF attachments, with pdfjs-dist (Mozilla's PDF.js, legacy build for Node). A PDF with no text layer — a
 * scan — gives (almost) no text and is marked for a person to read; so is an encrypted or broken one. Loaded at the
 * first PDF, not at start.
 */
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface PdfText {
  readonly text: string;
  readonly pages: number;
  /** The text layer of each page read (the first `maxPages`), one entry per page, '' for a page with none. */
  readonly pageTexts: readonly string[];
  readonly needsManualReading: boolean;
  readonly note: string | null;
}

type PdfJs = typeof PdfJsModule;
let pdfjs: Promise<PdfJs> | undefined;

/** Fewer characters than this per page on average: a scan, not a text PDF. */
const MIN_CHARACTERS_PER_PAGE = 25;

/** A page's text layer holds text worth reading (fewer characters than this: a scanned page, for OCR). */
export const hasTextLayer = (pageText: string): boolean => pageText.replace(/\s/g, '').length >= MIN_CHARACTERS_PER_PAGE;

export async function pdfText(bytes: Uint8Array, limits: { maxPages: number }): Promise<PdfText> {
  pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  const library = await pdfjs;
  let document: Awaited<ReturnType<PdfJs['getDocument']>['promise']> | undefined;
  try {
    document = await library.getDocument({
      // A copy: pdf.js takes ownership of (detaches) the buffer it is given.
      data: new Uint8Array(bytes),
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
      stopAtErrors: false,
    }).promise;
    const pages = document.numPages;
    const parts: string[] = [];
    for (let number = 1; number <= Math.min(pages, limits.maxPages); number += 1) {
      const page = await document.getPage(number);
      const content = await page.getTextContent();
      parts.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : ' ') : '')).join(''));
      page.cleanup();
    }
    const pageTexts = parts.map((part) => part.replace(/[ \t]+\n/g, '\n').trim());
    const text = pageTexts.join('\n').trim();
    const read = Math.min(pages, limits.maxPages);
    const scanned = text.replace(/\s/g, '').length < MIN_CHARACTERS_PER_PAGE * Math.max(1, read);
    const truncated = pages > limits.maxPages ? `only the first ${limits.maxPages} of ${pages} pages were read` : null;
    return {
      text: scanned ? '' : text,
      pages,
      pageTexts,
      needsManualReading: scanned,
      note: scanned ? 'no text layer (a scan?): needs manual reading' : truncated,
    };
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    const note = name === 'PasswordException' ? 'encrypted: needs manual reading' : 'could not be read as a PDF: needs manual reading';
    return { text: '', pages: 0, pageTexts: [], needsManualReading: true, note };
  } finally {
    await document?.destroy().catch(() => undefined);
  }
}
