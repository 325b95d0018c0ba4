/**
 * Layout: the first stage of extraction. A notice is cut into zones — a forwarder's or publisher's annotation, the
 * letterhead, a court caption, the address block, the body, quoted earlier messages, the signature block, attached
 * documents — and given a flowed view in which a paragraph hard-wrapped at any width reads as one line (a line break
 * inside a paragraph becomes a space, so every offset still points into the original text).
 */
import { CLOSING } from '../lexicon.ts';

export interface Line {
  readonly text: string;
  readonly start: number;
}

export type ZoneKind = 'annotation' | 'letterhead' | 'caption' | 'addressee' | 'body' | 'quoted' | 'signature' | 'attachment';

export interface Zone {
  readonly kind: ZoneKind;
  readonly start: number;
  readonly end: number;
  /** Why the zone was drawn there, for `--explain`. */
  readonly reason: string;
}

export interface Layout {
  readonly text: string;
  /** The text with line breaks inside paragraphs turned into spaces: same length, same offsets. */
  readonly flowed: string;
  readonly lines: readonly Line[];
  readonly zones: readonly Zone[];
  /** Where the signature block starts (the text's length when there is none). */
  readonly signatureStart: number;
  readonly language: string;
}

/** The language a text is mostly in, by script and a few common words. */
export function detectLanguage(text: string): string {
  const sample = text.slice(0, 20_000);
  const count = (pattern: RegExp) => (sample.match(pattern) ?? []).length;
  const hangul = count(/[\uac00-\ud7af]/g);
  const han = count(/[\u4e00-\u9fff]/g);
  const cyrillic = count(/[\u0400-\u04ff]/g);
  const latin = count(/[A-Za-z]/g);
  const spanish = count(/\b(el|la|los|las|del|que|por|para|con|una|solicitud|usted|información)\b/gi);
  const portuguese = count(/\b(não|são|você|dos|das|pelo|pela|uma|com)\b|ção\b|ções\b/gi);
  const french = count(/\b(les|des|une|est|pour|dans|avec|nous|vous|sur|du|au)\b/gi);
  const german = count(/\b(der|die|das|und|des|mit|für|wir|nicht|den|dem|ist|eine?)\b/gi);
  const english = count(/\b(the|and|of|to|please|request|account|information)\b/gi);
  const scores: Array<[string, number]> = [
    ['ko', hangul * 2],
    ['zh', han * 1.5],
    ['ru', cyrillic],
    ['es', spanish > english ? latin : 0],
    ['en', spanish > english ? 0 : latin],
  ];
  scores.sort((a, b) => b[1] - a[1]);
  const best = scores[0]![1] > 0 ? scores[0]![0] : 'und';
  // Other languages in Latin script: dates are read day first there.
  if (best === 'en' || best === 'es') {
    const other = (
      [
        ['pt', portuguese],
        ['fr', french],
        ['de', german],
      ] as Array<[string, number]>
    ).sort((a, b) => b[1] - a[1])[0]!;
    if (other[1] > Math.max(english, spanish) && other[1] >= 3) return other[0];
  }
  return best;
}

export function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const text_ of text.split('\n')) {
    lines.push({ text: text_, start });
    start += text_.length + 1;
  }
  return lines;
}

/** A line that starts something of its own: a list item, a label, a heading in capitals, a quoted line. */
const STRUCTURED_START =
  /^\s*(?:[-*•·▪–>]|\d{1,3}[.)]\s|\(\w{1,3}\)|[a-z][.)]\s|[\p{L}][\p{L}\p{N} ./'’()-]{0,40}[:：]\s*\S|[\p{L}][\p{L}\p{N} ./'’()-]{0,40}[:：]\s*$|---|={3,}|_{3,}|From:|Sent:|To:|Subject:|Date:)/u;

/**
 * Join the lines of a hard-wrapped paragraph: a line of prose (30 characters or more, not ending in a colon) runs on
 * into the next unless the next starts a list item, a label or a quoted line.
 */
export function flow(text: string): string {
  // A quoted message reads as text: its "> " marks become spaces (the same length), its wrapped lines run on.
  const lines = text
    .split('\n')
    .map((line) => line.replace(/^(\s*)((?:>\s?)+)/, (_, space: string, marks: string) => space + ' '.repeat(marks.length)));
  const out: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    const next = lines[index + 1];
    out.push(line);
    if (next === undefined) break;
    const trimmed = line.trim();
    const joins =
      trimmed.length >= 30 &&
      next.trim() !== '' &&
      !/[:：]$/.test(trimmed) &&
      !/^\s*>/.test(next) &&
      !STRUCTURED_START.test(next) &&
      !/^(?=.*\p{Lu}.*\p{Lu})[\p{Lu}\d\s.,'’&()-]+$/u.test(trimmed) && // a heading in capitals stands alone
      !/^(?=.*\p{Lu}.*\p{Lu})[\p{Lu}\d\s.,'’&()-]+$/u.test(next.trim());
    out.push(joins ? ' ' : '\n');
  }
  return out.join('');
}

/** A block of lines that is a wrapped paragraph: a long line (50 characters or more) that runs on into the next. */
function isProseBlock(block: readonly string[]): boolean {
  const flowed = flow(block.join('\n')).split('\n');
  if (flowed.length === block.length) return false;
  // Sentences, not a name, a rank and a unit: ten words or more, many of them starting in lower case.
  const words = block
    .join(' ')
    .split(/\s+/)
    .filter((word) => /\p{L}/u.test(word));
  const lower = words.filter((word) => /^\p{Ll}/u.test(word)).length;
  return words.length >= 10 && lower / words.length >= 0.4;
}

/**
 * Where the signature starts: after the last closing ("Best regards,", "С уважением") past the first third; else the
 * trailing paragraphs of short lines (a name, a rank, a unit, a phone); else nowhere.
 */
export function signatureOffset(lines: readonly Line[], length: number): number {
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const line = lines[index]!;
    if (line.start < length * 0.3) break;
    if (CLOSING.test(line.text.trim())) return line.start;
  }
  let start: number | undefined;
  let blocks = 0;
  let index = lines.length - 1;
  while (index >= 0 && lines[index]!.text.trim() === '') index -= 1;
  while (index >= 0 && blocks < 2) {
    let first = index;
    let short = true;
    let count = 0;
    while (first >= 0 && lines[first]!.text.trim() !== '') {
      const trimmed = lines[first]!.text.trim();
      // A bulleted or numbered list is the request's body, not a signature.
      if (trimmed.length > 80 || /^(?:[-*•·▪–]|\d{1,2}[.)]|\(\d{1,2}\))\s/.test(trimmed)) short = false;
      count += 1;
      first -= 1;
    }
    // A paragraph of prose, however narrowly wrapped, is not a signature.
    const block = lines.slice(first + 1, index + 1).map((line) => line.text);
    if (isProseBlock(block)) short = false;
    if (!short || count > 8) break;
    start = lines[first + 1]!.start;
    blocks += 1;
    index = first;
    while (index >= 0 && lines[index]!.text.trim() === '') index -= 1;
  }
  return start !== undefined && start >= length * 0.4 ? start : length;
}

/** A forwarder's or publisher's note above the notice, or a publisher's mark anywhere. */
const ANNOTATION_LINE =
  /^\s*(?:\[(?=[^\]\n]{15})[^\]\n]{0,80}(?:added|translation|translated|note|comment|published|redacted)[^\]\n]{0,240}\]|(?:note|editor'?s? note|publisher'?s? note)\s*[:：]|(?:published|posted|uploaded|downloaded|retrieved|archived|scanned|printed)\s+(?:by|from|on|at)\b|source\s*[:：]\s*https?:|page \d+ of \d+\s*$|see also\s*[:：])/i;
const FORWARD_MARK =
  /^\s*(?:-{2,}\s*(?:Forwarded message|Original Message|Weitergeleitete Nachricht|Mensaje (?:reenviado|original)|Пересылаемое сообщение|Исходное сообщение|전달된 메시지|원본 메시지|转发的邮件|原始邮件)\s*-{2,}|Begin forwarded message:)/i;
const QUOTE_HEADER = /^\s*(?:On .{5,120} wrote:|El .{5,120} escribió:|.{5,120} написал[а]?:|\d{4}.{3,60}에 .{2,60} 작성:)\s*$/i;
/** A court's caption: the court's name in capitals or "IN THE … COURT", a docket header, "In the Matter of". */
const CAPTION_LINE =
  /^\s*(?:IN THE [A-Z .,'-]{3,80}COURT|(?:UNITED STATES |U\.S\. )?(?:DISTRICT|CIRCUIT|SUPERIOR|SUPREME|MAGISTRATE|BANKRUPTCY|COUNTY|MUNICIPAL|CRIMINAL|HIGH|CROWN|FAMILY|REGIONAL|CITY|DISTRICT)[A-Z .,'-]{0,40}COURT\b|[A-Z][A-Z .'-]{2,60}(?:GERICHT|HÂKİMLİĞİ|TRIBUNAL|JUZGADO)\b|Case\s+\d{1,2}:\d{2}-[a-z]{1,4}-\d{3,6}.{0,80}(?:Document|Filed|Page)|In the Matter of\b|IN THE MATTER OF\b|[A-Z][\w .,'-]{1,60}\s+v\.?\s+[A-Z][\w .,'-]{1,60}$|[가-힣]{2,10}(?:지방)?법원\s*$|[\u4e00-\u9fff]{2,20}人民法院\s*$|[А-ЯЁ][А-ЯЁа-яё ,.-]{2,80}(?:СУД|суд)\s*$)/u;
const ADDRESSEE_LINE =
  /^\s*(?:To|Attn\.?|Attention|For the attention of|Dear|À l'attention de|Para(?=\s*[:：])|Destinatario|A la atención de|Кому|수신|받는\s*사람|致|收件人)(?:\s*[:：,]?\s|\s*[:：,]?\s*$)|^\s*(?:Custodian of Records|Legal (?:Department|Process|Compliance)|Law Enforcement (?:Response|Relations|Liaison)|Trust (?:and|&) Safety)\b/i;

/** Cut a text into zones, each with the reason it was drawn. */
export function layoutOf(text: string, language = detectLanguage(text)): Layout {
  const lines = linesOf(text);
  const signatureStart = signatureOffset(lines, text.length);
  const zones: Zone[] = [];
  const add = (kind: ZoneKind, start: number, end: number, reason: string) => {
    if (end > start) zones.push({ kind, start, end, reason });
  };
  const lineEnd = (line: Line) => line.start + line.text.length;
  /** The bracketed note that starts on line `index`, read to its closing bracket (at most six lines on). */
  const flowFrom = (index: number) => {
    const parts: string[] = [];
    for (let at = index; at < Math.min(lines.length, index + 7); at += 1) {
      parts.push(lines[at]!.text.trim());
      if (lines[at]!.text.includes(']')) break;
    }
    return parts.join(' ');
  };
  const blockEnd = (index: number) => {
    let last = index;
    while (last + 1 < lines.length && lines[last + 1]!.text.trim() !== '') last += 1;
    return last;
  };

  // Attachments: the reader writes each attached document's text under a heading.
  const attachmentAt = text.search(/^--- attachment: /m);
  const bodyEnd = attachmentAt >= 0 ? attachmentAt : text.length;
  if (attachmentAt >= 0) add('attachment', attachmentAt, text.length, 'the text of an attached document');

  // A forward mark: what stands above it is the forwarder's note.
  const firstLineIndex = lines.findIndex((line) => line.text.trim() !== '');
  for (const [index, line] of lines.entries()) {
    if (line.start >= bodyEnd) break;
    if (FORWARD_MARK.test(line.text)) {
      const above = lines.slice(0, index).filter((entry) => entry.text.trim() !== '').length;
      // The subject line the reader puts first does not make a note.
      if (above > 1 && firstLineIndex >= 0) add('annotation', lines[firstLineIndex]!.start, line.start, 'a note above a forwarded message');
      break;
    }
  }
  for (const [index, line] of lines.entries()) {
    if (line.start >= bodyEnd) break;
    const trimmed = line.text.trim();
    if (trimmed === '') continue;
    if (ANNOTATION_LINE.test(trimmed) || (/^\[/.test(trimmed) && !trimmed.includes(']') && ANNOTATION_LINE.test(`${flowFrom(index)}`))) {
      // A bracketed note wrapped over several lines runs to its closing bracket.
      let last = index;
      if (/^\[/.test(trimmed) && !trimmed.includes(']'))
        while (last + 1 < lines.length && last - index < 6 && !lines[last]!.text.includes(']')) last += 1;
      add('annotation', line.start, lineEnd(lines[last]!), 'a publisher’s or forwarder’s line');
    } else if (/^\s*>/.test(line.text)) add('quoted', line.start, lineEnd(line), 'a line quoted with ">"');
    else if (QUOTE_HEADER.test(line.text)) add('quoted', line.start, bodyEnd, 'an earlier message quoted below "… wrote:"');
    else if (CAPTION_LINE.test(trimmed) && line.start < Math.max(600, bodyEnd * 0.5)) {
      add('caption', line.start, lineEnd(lines[blockEnd(index)]!), 'a court’s name or a docket line at the head');
    } else if (ADDRESSEE_LINE.test(trimmed) && !/^\p{Ll}/u.test(trimmed) && line.start < Math.max(800, bodyEnd * 0.5)) {
      // A salutation is one line; an address block runs over the short lines under "To:" or "Attn:".
      let last = index;
      if (!/^\s*(?:Dear|To whom|Estimad|Уважаем|尊敬|À qui|A quien)/i.test(trimmed)) {
        const end = blockEnd(index);
        while (last < end && last - index < 6) {
          const next = lines[last + 1]!.text.trim();
          if (next.length > 70 || /https?:|www\./i.test(next)) break;
          last += 1;
        }
      }
      add('addressee', line.start, lineEnd(lines[last]!), 'the address block (the platform, not the sender)');
    }
  }
  // The letterhead: the first block of short lines, before any salutation or body.
  if (firstLineIndex >= 0) {
    // The reader's first line is the subject; a letterhead starts at the first block, or the one after the subject.
    const starts = [firstLineIndex];
    if (lines[firstLineIndex + 1]?.text.trim() === '') {
      let next = firstLineIndex + 1;
      while (next < lines.length && lines[next]!.text.trim() === '') next += 1;
      starts.push(next);
    }
    for (const index of starts) {
      const first = lines[index];
      if (!first || first.start >= bodyEnd) continue;
      const last = blockEnd(index);
      const block = lines.slice(index, last + 1);
      const phoneLabel = block.some((line) =>
        /(?:\b|^)(?:t[ée]l|phone|ph|fax|telefon|telefone|telefax|t[ée]l[ée]phone)\.?\s*[:.]?\s*[+(]?\d/i.test(line.text),
      );
      // A letterhead run together on one or two lines (mail turned to text) is still one, when it gives a number.
      const short =
        block.every((line) => line.text.trim().length <= (phoneLabel ? 250 : 90)) &&
        (block.length >= 2 || phoneLabel) &&
        block.length <= 10;
      const contactLike = block.some((line) =>
        /\b(?:t[ée]l|phone|fax|e-?mail)\b|T[ée]l[ée]?(?:phone|efon)?\b|www\.|https?:|전화|팩스|电话|传真|(?<![а-яё])(?:тел|факс)(?![а-яё])/i.test(
          line.text,
        ),
      );
      const prose = isProseBlock(block.map((line) => line.text));
      const inOther = zones.some((zone) => zone.start <= first.start && first.start < zone.end && zone.kind !== 'letterhead');
      if (short && contactLike && (!prose || phoneLabel) && !inOther && lineEnd(lines[last]!) < signatureStart) {
        add('letterhead', first.start, lineEnd(lines[last]!), 'the first block of short lines with the sender’s contact');
        break;
      }
    }
  }
  if (signatureStart < bodyEnd) {
    // The signature runs over short lines; a paragraph of prose or a quoted message after it ends it.
    let end = bodyEnd;
    let count = 0;
    for (const line of lines) {
      if (line.start < signatureStart || line.start >= bodyEnd) continue;
      const trimmed = line.text.trim();
      if (trimmed === '') continue;
      count += 1;
      if (
        line.start > signatureStart &&
        (trimmed.length > 100 ||
          count > 14 ||
          FORWARD_MARK.test(trimmed) ||
          QUOTE_HEADER.test(trimmed) ||
          /^>/.test(trimmed) ||
          ANNOTATION_LINE.test(trimmed))
      ) {
        end = line.start;
        break;
      }
    }
    add('signature', signatureStart, end, 'after the closing, or the trailing block of short lines');
  }
  zones.sort((a, b) => a.start - b.start);
  return { text, flowed: flow(text), lines, zones, signatureStart, language };
}

/** The zones an offset lies in (a caption may lie inside a letterhead, a quoted line inside the body). */
export function zonesAt(layout: Layout, offset: number): ZoneKind[] {
  const kinds = layout.zones.filter((zone) => zone.start <= offset && offset < zone.end).map((zone) => zone.kind);
  return kinds.length > 0 ? kinds : ['body'];
}
