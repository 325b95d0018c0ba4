/**
 * Reading a raw message with mailparser: headers, the text and HTML bodies, attachments; text from PDFs; messages
 * forwarded inside it; archives listed (never unpacked). Whatever is wrong with the input — malformed MIME, unknown
 * or wrong character sets, mojibake, CR-only line endings, an empty body, huge or deeply nested parts, a decompression
 * bomb — is marked and read as far as it can be; reading never throws.
 */
import { createHash } from 'node:crypto';
import { simpleParser, type ParsedMail } from 'mailparser';
import yauzl from 'yauzl';
import { sniffDocumentType } from '../core/documents.ts';
import {
  addressIn,
  firstHeader,
  parseHeaderBlock,
  type DocumentPage,
  type IntakeAttachment,
  type IntakeFlag,
  type MessageReader,
  type ReadingSegment,
} from '../core/intake.ts';
import type { PageOcr } from '../core/ports.ts';
import { hasTextLayer, pdfText } from './pdf.ts';

export interface ReaderLimits {
  /** A message larger than this is kept but not parsed beyond its headers. */
  readonly maxMessageBytes: number;
  /** Attachments larger than this are listed, not read. */
  readonly maxAttachmentBytes: number;
  /** Pages read from each PDF. */
  readonly maxPdfPages: number;
  /** How deep forwarded messages (message/rfc822) are followed. */
  readonly maxDepth: number;
}

export const DEFAULT_READER_LIMITS: ReaderLimits = {
  maxMessageBytes: 26_214_400,
  maxAttachmentBytes: 15_728_640,
  maxPdfPages: 50,
  maxDepth: 3,
};

// Windows-1252's bytes 0x80–0x9F, by the character each shows as.
const CP1252: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  ƒ: 0x83,
  '„': 0x84,
  '…': 0x85,
  '†': 0x86,
  '‡': 0x87,
  ˆ: 0x88,
  '‰': 0x89,
  Š: 0x8a,
  '‹': 0x8b,
  Œ: 0x8c,
  Ž: 0x8e,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '˜': 0x98,
  '™': 0x99,
  š: 0x9a,
  '›': 0x9b,
  œ: 0x9c,
  ž: 0x9e,
  Ÿ: 0x9f,
};
const byteOf = (char: string): number | undefined => {
  const code = char.charCodeAt(0);
  if (code >= 0x80 && code <= 0xff) return code;
  return CP1252[char];
};
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const MOJIBAKE =
  /[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]{1,3}/g;

/**
 * UTF-8 that was decoded as Windows-1252 somewhere on its way ("ï¼Œ" for "，", "Ã©" for "é"), turned back. A run is
 * replaced only when its bytes are valid UTF-8 of the right length, so ordinary accented text stays as it is.
 */
export function repairMojibake(text: string): { text: string; repaired: boolean } {
  let repaired = false;
  const result = text.replace(MOJIBAKE, (run) => {
    const bytes = [...run].map(byteOf);
    if (bytes.some((byte) => byte === undefined)) return run;
    const lead = bytes[0]!;
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;
    if (bytes.length !== length) return run;
    try {
      const decoded = strictUtf8.decode(new Uint8Array(bytes as number[]));
      repaired = true;
      return decoded;
    } catch {
      return run;
    }
  });
  return { text: result, repaired };
}

/** Line endings to \n, invisible controls out, runs of blank lines shortened. */
export function normaliseText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      // Control characters other than tab and newline carry nothing a reader needs (and break spans in a UI).
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\ufeff]/g, '')
      .replace(/\u00a0/g, ' ')
      .replace(/\n{4,}/g, '\n\n\n')
  );
}

/** The text of an HTML body, for reading only: blocks become lines, tags go, the common entities are decoded. */
function htmlText(html: string): string {
  return html
    .slice(0, 5_000_000)
    .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<a\s[^>]*href="([^"]+)"[^>]*>/gi, ' $1 ')
    .replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code) % 0x110000))
    .replace(/&amp;/g, '&');
}

const ARCHIVE_TYPES = /zip|x-7z|x-rar|gzip|x-tar|x-bzip/i;

/** What an archive would unpack to, from its directory alone: a bomb is never unpacked. */
async function inspectZip(bytes: Buffer): Promise<{ bomb: boolean; note: string }> {
  return new Promise((resolve) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: false }, (error, zip) => {
      if (error || !zip) {
        resolve({ bomb: false, note: 'archive could not be listed' });
        return;
      }
      let entries = 0;
      let unpacked = 0;
      let nested = 0;
      zip.on('entry', (entry: yauzl.Entry) => {
        entries += 1;
        unpacked += entry.uncompressedSize;
        if (/\.(zip|gz|7z|rar|tar)$/i.test(entry.fileName)) nested += 1;
        if (entries > 10_000 || unpacked > 1_073_741_824) {
          zip.close();
          resolve({ bomb: true, note: `archive would unpack to over ${entries > 10_000 ? '10,000 files' : '1 GiB'}` });
          return;
        }
        zip.readEntry();
      });
      zip.on('end', () => {
        const ratio = unpacked / Math.max(1, bytes.length);
        const bomb = ratio > 200 || (nested > 0 && ratio > 50);
        resolve({ bomb, note: `archive of ${entries} file(s), ${unpacked} bytes unpacked (ratio ${ratio.toFixed(0)}); not unpacked` });
      });
      zip.on('error', () => resolve({ bomb: false, note: 'archive could not be listed' }));
      zip.readEntry();
    });
  });
}

const addressList = (value: ParsedMail['to']): string[] =>
  [value ?? []].flat().flatMap((group) => group.value.map((entry) => entry.address?.toLowerCase() ?? '').filter(Boolean));

/** A part of the reading text and where it came from; `glue` goes before it (a blank line between parts). */
interface Piece {
  readonly text: string;
  readonly attachment: number | null;
  readonly page: number | null;
  readonly glue: string;
}
const messagePiece = (text: string): Piece => ({ text, attachment: null, page: null, glue: '\n\n' });

interface Collected {
  readonly sections: Piece[];
  readonly attachments: IntakeAttachment[];
  readonly documents: Array<{ attachment: number; bytes: Uint8Array }>;
  readonly flags: Set<IntakeFlag>;
  readonly ocr: PageOcr | undefined;
}

const NO_OCR = 'OCR is not configured in this reader.';

/**
 * A PDF's pages: the text layer where a page has one, OCR where it has none (a scan), and a page that neither reads
 * is listed as needing manual reading. Pages go into the reading text one by one, so a span tells its page.
 */
async function readPdf(
  content: Buffer,
  index: number,
  heading: string,
  limits: ReaderLimits,
  collected: Collected,
): Promise<{ pages: DocumentPage[]; characters: number; needsManualReading: boolean; note: string | null }> {
  const pdf = await pdfText(content, { maxPages: limits.maxPdfPages });
  if (pdf.pages === 0) return { pages: [], characters: 0, needsManualReading: true, note: pdf.note };
  const texts = pdf.pageTexts.map((text) => (hasTextLayer(text) ? text : ''));
  const pages: DocumentPage[] = texts.map((text, at) => ({
    page: at + 1,
    source: 'text_layer',
    characters: text.length,
    confidence: null,
    needsManualReading: false,
    note: null,
  }));
  const scanned = pages.filter((page) => texts[page.page - 1] === '').map((page) => page.page);
  if (scanned.length > 0) {
    const status = collected.ocr ? await collected.ocr.availability() : { available: false as const, reason: NO_OCR };
    if (!status.available) collected.flags.add('OCR_UNAVAILABLE');
    const results = status.available
      ? collected.ocr!.pdfPages(content, scanned)
      : (async function* () {
          for (const page of scanned) yield { page, text: '', confidence: null, needsManualReading: true, note: status.reason };
        })();
    for await (const result of results) {
      texts[result.page - 1] = result.text;
      pages[result.page - 1] = {
        page: result.page,
        source: result.text === '' ? 'none' : 'ocr',
        characters: result.text.length,
        confidence: result.confidence,
        needsManualReading: result.needsManualReading,
        note: result.note,
      };
      if (result.text !== '') collected.flags.add('OCR_READ');
    }
  }
  const characters = texts.reduce((sum, text) => sum + text.length, 0);
  if (characters > 0) {
    collected.sections.push({ text: heading, attachment: index, page: null, glue: '\n\n' });
    texts.forEach((text, at) => {
      if (text !== '') collected.sections.push({ text, attachment: index, page: at + 1, glue: '\n' });
    });
  }
  const unread = pages.filter((page) => page.needsManualReading).length;
  const truncated = pdf.pages > limits.maxPdfPages ? `only the first ${limits.maxPdfPages} of ${pdf.pages} pages were read` : null;
  return {
    pages,
    characters,
    needsManualReading: unread > 0 || truncated !== null,
    note: [unread > 0 ? `${unread} of ${pages.length} page(s) need manual reading` : null, truncated].filter(Boolean).join('; ') || null,
  };
}

async function readPart(raw: Buffer, depth: number, limits: ReaderLimits, collected: Collected): Promise<ParsedMail | undefined> {
  let parsed: ParsedMail;
  try {
    parsed = await simpleParser(raw, {
      skipTextToHtml: true,
      skipImageLinks: true,
      maxHtmlLengthToParse: 5_000_000,
      checksumAlgo: 'sha256',
    });
  } catch {
    collected.flags.add('MALFORMED_MIME');
    return undefined;
  }
  const contentType = firstHeader(parseHeaderBlock(raw), 'content-type') ?? '';
  if (/^multipart\//i.test(contentType) && !/boundary\s*=/i.test(contentType)) collected.flags.add('MALFORMED_MIME');
  const declared = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  const body = parsed.text || (parsed.html ? htmlText(parsed.html) : '');
  if (!parsed.text && parsed.html) collected.flags.add('HTML_ONLY');
  if (
    body.includes('\ufffd') ||
    (declared !== undefined &&
      !/^(utf-?8|us-ascii|iso-8859-\d+|windows-125\d|gb2312|gbk|gb18030|big5|euc-kr|ks_c_5601-1987|koi8-r|koi8-u|shift_jis|euc-jp|iso-2022-jp|utf-16|cp\d+)$/i.test(
        declared,
      ))
  ) {
    collected.flags.add('CHARSET_PROBLEM');
  }
  if (/\r(?!\n)/.test(body)) collected.flags.add('CR_LINE_ENDINGS');
  if (body.trim() !== '') collected.sections.push(messagePiece(body));
  for (const attachment of parsed.attachments) {
    const fileName = attachment.filename ?? '(unnamed)';
    const size = attachment.size ?? attachment.content.length;
    const sha256 = createHash('sha256').update(attachment.content).digest('hex');
    const record = { fileName, mediaType: attachment.contentType, size, sha256 };
    if (size > limits.maxAttachmentBytes) {
      collected.flags.add('ATTACHMENT_TOO_LARGE');
      collected.attachments.push({ ...record, textCharacters: 0, needsManualReading: true, note: 'too large to read' });
      continue;
    }
    if (attachment.contentType === 'message/rfc822' || /\.eml$/i.test(fileName)) {
      if (depth >= limits.maxDepth) {
        collected.flags.add('NESTED_TOO_DEEP');
        collected.attachments.push({ ...record, textCharacters: 0, needsManualReading: true, note: 'forwarded message nested too deep' });
        continue;
      }
      const before = collected.sections.length;
      const inner = await readPart(attachment.content, depth + 1, limits, collected);
      const innerText = collected.sections
        .slice(before)
        .map((piece) => piece.text)
        .join('\n');
      if (inner) {
        const heading = `--- forwarded message: ${inner.subject ?? ''} (from ${inner.from?.text ?? 'unknown'}) ---`;
        collected.sections.splice(before, 0, messagePiece(heading));
      }
      collected.attachments.push({
        ...record,
        textCharacters: innerText.length,
        needsManualReading: false,
        note: 'forwarded message, read',
      });
      continue;
    }
    const documentType = sniffDocumentType(attachment.content.subarray(0, 1024));
    if (/pdf/i.test(attachment.contentType) || /\.pdf$/i.test(fileName)) {
      const index = collected.attachments.length;
      const pdf = await readPdf(attachment.content, index, `--- attachment: ${fileName} ---`, limits, collected);
      if (pdf.needsManualReading) collected.flags.add('NEEDS_MANUAL_READING');
      const isDocument = documentType === 'application/pdf';
      if (isDocument) collected.documents.push({ attachment: index, bytes: attachment.content });
      collected.attachments.push({
        ...record,
        textCharacters: pdf.characters,
        needsManualReading: pdf.needsManualReading,
        note: pdf.note,
        document: isDocument,
        pages: pdf.pages,
      });
      continue;
    }
    if (ARCHIVE_TYPES.test(attachment.contentType) || /\.(zip|7z|rar|tar|gz|tgz)$/i.test(fileName)) {
      const inspected =
        /zip/i.test(attachment.contentType) || /\.zip$/i.test(fileName)
          ? await inspectZip(attachment.content)
          : { bomb: false, note: 'archive: not unpacked' };
      collected.flags.add(inspected.bomb ? 'ARCHIVE_BOMB' : 'ARCHIVE_NOT_READ');
      collected.attachments.push({ ...record, textCharacters: 0, needsManualReading: true, note: inspected.note });
      continue;
    }
    if (/^text\/plain/i.test(attachment.contentType)) {
      const text = attachment.content.toString('utf8');
      collected.sections.push(messagePiece(`--- attachment: ${fileName} ---\n${text}`));
      collected.attachments.push({ ...record, textCharacters: text.length, needsManualReading: false, note: null });
      continue;
    }
    if (documentType !== undefined && documentType !== 'application/pdf' && !attachment.related) {
      // A scanned page sent as a picture: read by OCR, kept as a document of the draft.
      const index = collected.attachments.length;
      const status = collected.ocr ? await collected.ocr.availability() : { available: false as const, reason: NO_OCR };
      const result = status.available
        ? await collected.ocr!.image(attachment.content)
        : { page: 1, text: '', confidence: null, needsManualReading: true, note: status.reason };
      if (!status.available) collected.flags.add('OCR_UNAVAILABLE');
      if (result.needsManualReading) collected.flags.add('NEEDS_MANUAL_READING');
      if (result.text !== '') {
        collected.flags.add('OCR_READ');
        collected.sections.push({ text: `--- attachment: ${fileName} ---`, attachment: index, page: null, glue: '\n\n' });
        collected.sections.push({ text: result.text, attachment: index, page: 1, glue: '\n' });
      }
      collected.documents.push({ attachment: index, bytes: attachment.content });
      collected.attachments.push({
        ...record,
        textCharacters: result.text.length,
        needsManualReading: result.needsManualReading,
        note: result.note,
        document: true,
        pages: [
          {
            page: 1,
            source: result.text === '' ? 'none' : 'ocr',
            characters: result.text.length,
            confidence: result.confidence,
            needsManualReading: result.needsManualReading,
            note: result.note,
          },
        ],
      });
      continue;
    }
    if (/^image\//i.test(attachment.contentType) && !attachment.related) collected.flags.add('NEEDS_MANUAL_READING');
    collected.attachments.push({
      ...record,
      textCharacters: 0,
      needsManualReading: /^image\//i.test(attachment.contentType) && !attachment.related,
      note: null,
    });
  }
  return parsed;
}

/**
 * The reading text made of its parts, each normalised on its own, with where each stretch came from: consecutive
 * parts of the message are one segment, each page of a document one of its own.
 */
export function assembleReading(pieces: readonly Piece[]): { reading: string; segments: ReadingSegment[]; repaired: boolean } {
  let reading = '';
  let repaired = false;
  const segments: ReadingSegment[] = [];
  pieces.forEach((piece, index) => {
    const fixed = repairMojibake(normaliseText(piece.text));
    repaired ||= fixed.repaired;
    if (index > 0) reading += piece.glue;
    const start = reading.length;
    reading += fixed.text;
    const last = segments.at(-1);
    if (last && last.attachment === piece.attachment && last.page === piece.page)
      segments[segments.length - 1] = { ...last, end: reading.length };
    else segments.push({ start, end: reading.length, attachment: piece.attachment, page: piece.page });
  });
  return { reading, segments, repaired };
}

/**
 * Makes the reader; `limits` bound the work one message can cost; `ocr` reads scans and images (without it they are
 * kept and marked OCR_UNAVAILABLE and NEEDS_MANUAL_READING).
 */
export function mailReader(
  limits: ReaderLimits = DEFAULT_READER_LIMITS,
  options: { readonly ocr?: PageOcr | undefined } = {},
): MessageReader {
  return {
    async read(bytes) {
      const flags = new Set<IntakeFlag>();
      let raw = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const headers = parseHeaderBlock(raw);
      // Carriage returns with no line feeds: an old Mac's line endings. Read as CRLF (the stored bytes stay as they came).
      const head = raw.subarray(0, 65_536).toString('latin1');
      if (head.includes('\r') && !head.includes('\n')) {
        flags.add('CR_LINE_ENDINGS');
        raw = Buffer.from(raw.toString('latin1').replace(/\r/g, '\r\n'), 'latin1');
      }
      const fromHeader = firstHeader(headers, 'from');
      const base = {
        fromAddress: addressIn(fromHeader),
        fromName: undefined as string | undefined,
        to: [] as string[],
        subject: '',
        sentAt: undefined as string | undefined,
      };
      if (raw.length > limits.maxMessageBytes) {
        flags.add('TOO_LARGE_TO_READ');
        const subject = firstHeader(headers, 'subject') ?? '';
        return {
          ...base,
          subject,
          reading: subject,
          segments: [{ start: 0, end: subject.length, attachment: null, page: null }],
          attachments: [],
          flags: [...flags],
        };
      }
      const collected: Collected = { sections: [], attachments: [], documents: [], flags, ocr: options.ocr };
      let parsed: ParsedMail | undefined;
      try {
        parsed = await readPart(raw, 0, limits, collected);
      } catch {
        flags.add('READ_FAILED');
      }
      const subject = parsed?.subject ?? firstHeader(headers, 'subject') ?? '';
      const { reading, segments, repaired } = assembleReading([
        { text: subject, attachment: null, page: null, glue: '' },
        ...collected.sections,
      ]);
      if (repaired) flags.add('MOJIBAKE_REPAIRED');
      if (collected.sections.every((piece) => piece.text.trim() === '')) flags.add('EMPTY_BODY');
      const from = parsed?.from?.value[0];
      const date = parsed?.date;
      return {
        fromAddress: from?.address?.toLowerCase() ?? base.fromAddress,
        fromName: from?.name || undefined,
        to: parsed ? addressList(parsed.to) : [],
        subject: normaliseText(subject),
        sentAt: date && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined,
        reading,
        segments,
        attachments: collected.attachments,
        documents: collected.documents,
        flags: [...flags],
      };
    },
  };
}
