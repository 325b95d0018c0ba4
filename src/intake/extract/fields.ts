/**
 * Fields: the fourth stage. The draft's scalar fields — kind, requesting agency and unit, officer, the sender's
 * contact, case and reference numbers, legal basis, instrument, jurisdiction and court, data categories, dates —
 * each read with its span and a confidence. Organisations take their part from the zone they stand in: a court's
 * caption names the issuing court, the address block the platform, a publisher's note neither.
 */
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import type { DraftFields, ExtractedValue, IntakeKind, SourceSpan } from '../../core/intake.ts';
import type { FoundDate } from '../dates.ts';
import {
  CATEGORY_CUES,
  CLOSING,
  CONTACT_LABEL,
  COUNTRY_NAMES,
  FLEX,
  GOVERNMENT_HOST,
  INSTRUMENT_CUES,
  KIND_CUES,
  ORGANISATION_WORD,
  ORGANISATION_WORD_CJK_RU,
  PLACEHOLDER_EMAIL,
  RANGE_JOIN,
  SUBDIVISIONS,
  TARGET_CONTEXT,
  TITLE_WORD,
  TLD_COUNTRIES,
  TOP_LEVEL_WORD,
  UNIT_WORD,
} from '../lexicon.ts';
import { EMAIL_PATTERN, normaliseEmail, REDACTED_VALUE, REDACTION_MARK } from './candidates.ts';
import { detectLanguage, zonesAt, type Layout, type Line } from './layout.ts';

const REDACTED = /^\(?\s*\[(private|redacted|removed|withheld|invalid)\]\s*\)?$/i;

export const value = <T>(v: T, span: SourceSpan | null, confidence: number): ExtractedValue<T> => ({ value: v, span, confidence });
export const spanOf = (start: number, end: number): SourceSpan => ({ start, end });

export function findKind(text: string): ExtractedValue<IntakeKind> | null {
  const scores = new Map<IntakeKind, { score: number; first: RegExpExecArray }>();
  for (const cue of KIND_CUES) {
    const flexible = FLEX.flex(cue.pattern);
    const pattern = new RegExp(flexible.source, flexible.flags.includes('g') ? flexible.flags : `${flexible.flags}g`);
    let count = 0;
    let first: RegExpExecArray | undefined;
    for (const match of text.matchAll(pattern)) {
      count += 1;
      first ??= match as RegExpExecArray;
      if (count > 20) break;
    }
    if (!first) continue;
    const previous = scores.get(cue.kind);
    scores.set(cue.kind, { score: (previous?.score ?? 0) + cue.weight * Math.min(count, 5), first: previous?.first ?? first });
  }
  if (scores.size === 0) return null;
  // An emergency or preservation cue decides; otherwise disclosure against removal by weight.
  for (const kind of ['emergency', 'preservation'] as const) {
    const entry = scores.get(kind);
    if (entry && entry.score >= 2) return value(kind, spanOf(entry.first.index, entry.first.index + entry.first[0].length), 0.75);
  }
  const ranked = [...scores.entries()]
    .filter(([kind]) => kind === 'removal' || kind === 'disclosure')
    .sort((a, b) => b[1].score - a[1].score);
  const best = ranked[0];
  if (!best) {
    const [kind, entry] = [...scores.entries()][0]!;
    return value(kind, spanOf(entry.first.index, entry.first.index + entry.first[0].length), 0.4);
  }
  const margin = ranked[1] ? best[1].score - ranked[1][1].score : best[1].score;
  return value(best[0], spanOf(best[1].first.index, best[1].first.index + best[1].first[0].length), margin >= 2 ? 0.8 : 0.5);
}

export function findCategories(text: string): Array<ExtractedValue<string>> {
  const found: Array<ExtractedValue<string>> = [];
  for (const [category, pattern] of CATEGORY_CUES) {
    const match = FLEX.flex(pattern).exec(text);
    if (match) found.push(value(category, spanOf(match.index, match.index + match[0].length), 0.7));
  }
  return found;
}

export function findInstrument(text: string): ExtractedValue<string> | null {
  let best: { type: string; index: number; length: number } | undefined;
  for (const [type, pattern] of INSTRUMENT_CUES) {
    const match = FLEX.flex(pattern).exec(text);
    if (match && (!best || match.index < best.index)) best = { type, index: match.index, length: match[0].length };
  }
  return best ? value(best.type, spanOf(best.index, best.index + best.length), 0.6) : null;
}

export function findCourt(text: string): ExtractedValue<string> | null {
  const match =
    /\b((?:(?:United States|U\.S\.|Superior|District|Circuit|Supreme|High|Magistrates'?|Crown|County|Municipal|Federal|Regional|Criminal)\s+){1,4}Court(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){0,4})?)|([가-힣]{2,8}(지방)?법원)|([\u4e00-\u9fff]{2,12}人民法院)|(Juzgado (?:de|del) [^,.;\n]{3,80})|(Tribunal (?:Superior|Supremo|de) [^,.;\n]{3,80})|([А-Я][а-я]+ (районный|городской|областной) суд[а-я ]{0,40})|([А-Я][а-я]+(?:ого|его) (?:районного|городского|областного) суда(?: г\. [А-Я][а-я-]+)?)/.exec(
      text,
    );
  if (!match) return null;
  // A court named inside a title (《最高人民法院…解释》, "the Explanation of the Supreme People's Court") is not the issuer.
  const before = text.slice(Math.max(0, match.index - 200), match.index);
  if (before.lastIndexOf('《') > before.lastIndexOf('》') || (/\b(of|by)\s+the\s+$/i.test(before) && /Supreme People/.test(match[0])))
    return null;
  // "Ленинского районного суда г. Санкт-Петербурга" (of the court) is named as the court itself: "Ленинский районный суд".
  const name = match[0]
    .trim()
    .replace(/([а-я]+)ского(?=\s)/g, '$1ский')
    .replace(/([а-я]+)ного(?=\s)/g, '$1ный')
    .replace(/([а-я]+)ого(?=\s)/g, '$1ый')
    .replace(/\sсуда(?=\s|$)/, ' суд');
  return value(name, spanOf(match.index, match.index + match[0].length), 0.6);
}

export function findLabelled(text: string, label: RegExp): Array<ExtractedValue<string>> {
  const found = new Map<string, ExtractedValue<string>>();
  const pattern = new RegExp(
    `(?:${label.source})([A-Za-z0-9가-힣\\u4e00-\\u9fffА-Яа-я][A-Za-z0-9가-힣\\u4e00-\\u9fffА-Яа-я/_.#:-]{2,60}|\\[(?:private|redacted)\\])`,
    'gi',
  );
  for (const match of text.matchAll(pattern)) {
    const raw = match[match.length - 1]!.replace(/[.,;:-]+$/, '');
    // A case number has a digit in it (or is redacted); a word after "case" is not one.
    if (!/\d/.test(raw) && !REDACTION_MARK.test(raw)) continue;
    const start = match.index + match[0].length - match[match.length - 1]!.length;
    // "№ 149-ФЗ" names a federal law, not a reference.
    if (/ФЗ$/.test(raw) || /^-?ФЗ/.test(text.slice(start + raw.length, start + raw.length + 4))) continue;
    const v = REDACTION_MARK.test(raw) ? REDACTED_VALUE : raw;
    if (!found.has(v)) found.set(v, value(v, spanOf(start, start + raw.length), 0.7));
  }
  return [...found.values()];
}

// ---------------------------------------------------------------------------------------------------------------
// Legal basis: statutes and articles, however they are written

const LEGAL_PATTERNS: RegExp[] = [
  // Article 300 (paragraph 1) of the Criminal Law / Section 71 of the Crimes Ordinance, Cap. 200
  /\b((?:[Aa]rticle|[Aa]rt\.|[Ss]ection|[Ss]ec\.|[Ss]\.|§|[Rr]ule|[Pp]aragraph)\s*\d+[A-Za-z]?(?:\s*\(\w{1,4}\))*(?:,?\s*(?:paragraph|para\.|clause|item|subsection)\s*\d+)?(?:\s+of)?\s+(?:the\s+|our\s+|China['’]s\s+)?(?:[‘'"“«《]?)(?:[A-Z][\w'’-]*(?:\s+(?:of|on|for|and|the|in|to|from|against|with|by|de|del|la)\s+|\s+)){0,12}?(?:Law|Act|Code|Ordinance|Regulations?|Rules|Measures|Provisions|Decree|Statute|Constitution|Directive|Convention)(?:[’'"”»》]?)(?:,\s*Cap\.\s*\d+[A-Z]?)?(?:\s+of\s+(?:the\s+)?[A-Z][\w]*(?:\s+[A-Z][\w]*){0,3})?)/g,
  // the third paragraph of Article 15 of the 'Administrative Rules for Internet Information Services'
  /\b((?:the\s+)?(?:[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|[Ff]ifth)\s+paragraph\s+of\s+Article\s+\d+\s+of\s+[^.\n]{3,120}(?:Law|Act|Code|Rules|Measures|Regulations|Services|Provisions)['’"”]?)/g,
  // The Explanation (Interpretation) of the Supreme People's Court … on … (2)
  /\b((?:[Tt]he\s+)?(?:Explanation|Interpretation|Judicial Interpretation|Provisions|Decision|Opinions)\s+of\s+the\s+Supreme\s+People['’]s\s+[^.\n]{5,200}?\(\s*(?:\d|[IVX]+)\s*\))/g,
  // the Crimes Ordinance, Cap. 200 / the Criminal Code / Law on the Protection of Minors
  /\b((?:[A-Z][\w'’-]*\s+){1,6}(?:Law|Act|Code|Ordinance|Regulations|Rules|Measures)(?:,\s*Cap\.\s*\d+[A-Z]?)?,?\s+(?:Article|Art\.|Section|Sec\.|§)\s*\d+[A-Za-z]?(?:\s*\(\w{1,4}\))*)/g,
  // 18 U.S.C. § 2703(d)
  /\b(\d{1,2}\s*U\.?\s*S\.?\s*C\.?\s*(?:§{1,2}|Section|Sec\.)?\s*\d{3,5}[A-Za-z]?(?:\s*\(\w{1,4}\))*)/g,
  // 《刑法》第三百条 · 《中华人民共和国网络安全法》第二十一条
  /(《[^》\n]{2,60}》(?:第[一二三四五六七八九十百千零〇0-9]+条(?:第[一二三四五六七八九十0-9]+款)?)?)/g,
  // 형사소송법 제215조 · 정보통신망법 제44조의7
  /((?:[가-힣]{2,20}법|[가-힣]{2,20}법률|[가-힣]{2,20}규정|[가-힣]{2,20}령)\s*제\s*\d+\s*조(?:의\s*\d+)?(?:\s*제\s*\d+\s*항)?)/g,
  // artículo 588 ter de la Ley de Enjuiciamiento Criminal · art. 197 del Código Penal
  /\b((?:art[íi]culos?|art\.)\s*\d+[\w ]{0,12}?\s+(?:de la|del|de)\s+(?:Ley|C[óo]digo|Reglamento|Constituci[óo]n|Real Decreto|Decreto)[^.,;\n]{0,80})/gi,
  // статья 13 Федерального закона № 149-ФЗ · ст. 280 УК РФ
  /((?:стать[яиею]|ст\.)\s*\d+(?:\.\d+)?(?:\s*(?:часть|ч\.)\s*\d+)?\s+(?:Федерального закона(?:[^.,;\n«]|\.(?=\d)){0,80}|Уголовного кодекса[^.,;\n]{0,40}|УК РФ|УПК РФ|КоАП РФ|[А-Я][а-я]+ кодекса[^.,;\n]{0,40}|Закона(?:[^.,;\n«]|\.(?=\d)){0,80}))/gi,
  // Федеральный закон от 27.07.2006 № 149-ФЗ
  /(Федеральн[а-я]+ закон[а-я]*\s+(?:от\s+[\d.]+\s+)?№\s*\d+-ФЗ(?:\s*«[^»\n]{3,100}»)?)/g,
];

export function findLegalBasis(text: string): Array<ExtractedValue<string>> {
  const found: Array<ExtractedValue<string>> = [];
  for (const pattern of LEGAL_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const raw = (match[1] ?? match[0])
        .replace(/\s+/g, ' ')
        .replace(/[,.;:]+$/, '')
        .trim();
      const start = match.index + (match[0].indexOf(match[1] ?? match[0]) || 0);
      const end = start + (match[1] ?? match[0]).length;
      // One citation read by two patterns is one.
      if (found.some((entry) => entry.span && entry.span.start <= start && entry.span.end >= end)) continue;
      const overlapping = found.findIndex((entry) => entry.span && start <= entry.span.start && end >= entry.span.end);
      const entry = value(raw, spanOf(start, end), /\d/.test(raw) ? 0.7 : 0.5);
      if (overlapping >= 0) found[overlapping] = entry;
      else found.push(entry);
    }
  }
  // A bilingual letter that is mostly English repeats its citations in Chinese or Korean: those count once, in English.
  const cjk = (citation: string) => /[\u4e00-\u9fff\uac00-\ud7af]/.test(citation);
  const language = detectLanguage(text);
  const kept =
    ['en', 'es', 'pt', 'fr', 'de'].includes(language) && found.some((entry) => !cjk(entry.value))
      ? found.filter((entry) => !cjk(entry.value))
      : found;
  // The same statute and article cited again (restated) counts once.
  const seen = new Set<string>();
  return kept
    .sort((a, b) => (a.span?.start ?? 0) - (b.span?.start ?? 0))
    .filter((entry) => {
      const key = citationKey(entry.value);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

const CHINESE_NUMERALS: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
function chineseNumber(text: string): number {
  let total = 0;
  let current = 0;
  for (const char of text) {
    if (char in CHINESE_NUMERALS) current = CHINESE_NUMERALS[char]!;
    else {
      const unit = char === '十' ? 10 : char === '百' ? 100 : char === '千' ? 1000 : 0;
      if (unit > 0) {
        total += (current || 1) * unit;
        current = 0;
      }
    }
  }
  return total + current;
}

/** A citation's statute word and article number: "Article 300 of the Criminal Law" and "《刑法》第三百条" differ, but a restated one is caught. */
export function citationKey(citation: string): string {
  const article = /第([一二三四五六七八九十百千零〇]+)条/.exec(citation);
  const number = article ? String(chineseNumber(article[1]!)) : (/\d+[A-Za-z]?/.exec(citation)?.[0] ?? '');
  const statute = citation
    .toLowerCase()
    .replace(/[^a-z\u4e00-\u9fff\uac00-\ud7afа-я ]/g, ' ')
    .split(/\s+/)
    .filter((word) => word.length > 3 && !['article', 'section', 'paragraph', 'the', 'our', 'country'].includes(word))
    .slice(0, 3)
    .join(' ');
  return `${statute}|${number}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Organisations: the requesting agency and its unit

interface OrganisationCandidate {
  readonly name: string;
  readonly start: number;
  readonly score: number;
}

const ORG_PHRASE =
  /(?:\p{Lu}[\p{L}\p{N}'’&-]*|\(\p{L}{2,10}\)|of|of the|the|and|for|de|del|de la|y|in)(?:[ \t]+(?:\p{Lu}[\p{L}\p{N}'’&-]*|\(\p{L}{2,10}\)|of|the|and|for|de|del|la|y|in|-|–)){0,14}/gu;

function cleanOrganisation(name: string): string {
  return name
    .replace(/\s+[-–]\s*$/, '')
    .replace(/^(?:the|of|and|for|in|de|del|y|on behalf of)\s+/i, '')
    .replace(/^(?:the|of)\s+/i, '')
    .replace(/\s+(?:of|the|and|for|in|de|del|y|la)$/i, '')
    .replace(/\s+(?:of|the|and|for|in)$/i, '')
    .replace(/[.,;:]+$/, '')
    .trim();
}

export function findOrganisations(
  text: string,
  lines: readonly Line[],
  signatureStart: number,
  layout?: Layout,
): {
  agency: ExtractedValue<string> | null;
  unit: ExtractedValue<string> | null;
  court: ExtractedValue<string> | null;
} {
  const found: OrganisationCandidate[] = [];
  const intro =
    /\b(?:on behalf of|this is|we are|from|I am (?:an? |the )?\w+ (?:of|at|with)|I am writing from|en nombre de|de parte de|(?:up)?on (?:the )?application of|at the request of|requested by|a (?:petición|solicitud) de|à la demande de|a pedido d[aeo])\s+(?:the\s+|la\s+|el\s+|du\s+|de la\s+)?/gi;
  for (const match of text.slice(0, 400_000).matchAll(ORG_PHRASE)) {
    const phrase = cleanOrganisation(match[0]);
    if (phrase.split(/\s+/).length < 2 || !ORGANISATION_WORD.test(phrase)) continue;
    if (/^(To whom|Dear|Best|Thank|Please|Hello|Article|Section|Law|Interpretation|Explanation|The Explanation)\b/i.test(phrase)) continue;
    // A street address is not an organisation: "400 Civic Center Plaza".
    if (/\b(?:Street|St\.|Avenue|Ave\.|Road|Rd\.|Plaza|Boulevard|Blvd\.?|Suite|Floor|Building|Drive|Lane|Square)$/i.test(phrase)) continue;
    if (/\d\s*$/.test(text.slice(Math.max(0, match.index + match[0].indexOf(phrase) - 8), match.index + match[0].indexOf(phrase))))
      continue;
    const start = match.index + match[0].indexOf(phrase);
    const before = text.slice(Math.max(0, start - 40), start);
    let score = 1;
    if (intro.test(before)) score += 4;
    intro.lastIndex = 0;
    const line = lines.find((entry) => entry.start <= start && start < entry.start + entry.text.length + 1);
    if (line && line.text.trim() === phrase) score += 2; // a line of its own: a letterhead or signature
    if (start >= signatureStart) score += 2;
    if (start < 300) score += 1;
    if (TOP_LEVEL_WORD.test(phrase)) score += 1;
    found.push({ name: phrase, start, score });
  }
  for (const match of text.matchAll(
    new RegExp(
      `[\\u4e00-\\u9fff\\uac00-\\ud7afА-Яа-яЁё\\d\\s]{0,30}${ORGANISATION_WORD_CJK_RU.source}[\\u4e00-\\u9fff\\uac00-\\ud7afА-Яа-яЁё\\d]{0,20}`,
      'g',
    ),
  )) {
    const phrase = match[0].trim().replace(/^(?:我代表|代表|我是|저는|본\s*)/, '');
    if (phrase.length < 3 || phrase.length > 120 || phrase.includes('\n')) continue;
    const start = match.index + match[0].indexOf(phrase);
    const line = lines.find((entry) => entry.start <= start && start < entry.start + entry.text.length + 1);
    let score = 1 + (line && line.text.trim() === phrase ? 2 : 0) + (start >= signatureStart ? 2 : 0);
    if (/代表|명의|от имени/.test(text.slice(Math.max(0, start - 8), start))) score += 3;
    found.push({ name: phrase, start, score });
  }
  // Courts whose names are one word or another language's order of words: "OBERLANDESGERICHT SCHLESWIG-HOLSTEIN",
  // "İSTANBUL 8. SULH CEZA HÂKİMLİĞİ", "ministère de l'intérieur", "मध्य प्रदेश पुलिस".
  for (const match of text.matchAll(NAMED_BODY)) {
    const name = match[0].replace(/\s+/g, ' ').trim();
    const line = lines.find((entry) => entry.start <= match.index && match.index < entry.start + entry.text.length + 1);
    const alone = line !== undefined && line.text.trim() === match[0].trim();
    found.push({ name, start: match.index, score: 2 + (alone ? 2 : 0) + (match.index < 600 ? 1 : 0) });
  }
  // A letterhead line in Russian names its unit and body at length: "Управление … МВД России".
  for (const line of lines) {
    const trimmed = line.text.trim();
    if (
      trimmed.length < 5 ||
      trimmed.length > 200 ||
      // A sentence is not a letterhead line, nor is a person's title ("Начальник управления").
      /[.!?]$/.test(trimmed) ||
      trimmed.split(/\s+/).length > 14 ||
      /^(?:Начальник|Заместитель|Руководитель|Следователь|Старший|Консультант)/i.test(trimmed) ||
      !/^[А-ЯЁа-яё0-9 ,.()«»"–-]+$/.test(trimmed) ||
      !ORGANISATION_WORD_CJK_RU.test(trimmed)
    )
      continue;
    const start = line.start + line.text.indexOf(trimmed);
    found.push({ name: trimmed, start, score: 3 + (start < 300 ? 1 : 0) + (start >= signatureStart ? 2 : 0) });
  }
  // Roles: a court's caption names the issuing court, the address block the platform, a publisher's note neither;
  // a court is the requester only when nobody else asks (its own order, sent or reported as such).
  let court: ExtractedValue<string> | null = null;
  const candidates: OrganisationCandidate[] = [];
  const courts: OrganisationCandidate[] = [];
  for (const candidate of found) {
    const zones = layout ? zonesAt(layout, candidate.start) : ['body'];
    if (zones.includes('addressee') || zones.includes('annotation')) continue;
    // A person's title is not a body: "Начальник управления", "Head of Unit".
    if (
      /^(?:Начальник|Заместитель|Руководитель|Следователь|Старший|Консультант|Head of|Director of|Chief of)(?![\p{L}])/iu.test(
        candidate.name,
      )
    )
      continue;
    if (
      /^(?:Assistant|Deputy|Special Agent|Detective|Officer|Sergeant|Inspector|Agent)\s+(?!of\b|Office)/.test(candidate.name) &&
      !/\bof\b/.test(candidate.name)
    )
      continue;
    const isCourt = COURT_WORD.test(candidate.name);
    if (isCourt) {
      courts.push(candidate);
      if (!court && (zones.includes('caption') || candidate.start < 600))
        court = value(candidate.name, spanOf(candidate.start, candidate.start + candidate.name.length), 0.6);
      continue;
    }
    // The platform itself is not the requester ("Meta Platforms Ireland Limited", "Twitter, Inc.").
    if (PLATFORM_ORGANISATION.test(candidate.name)) continue;
    candidates.push(candidate);
  }
  if (candidates.length === 0) {
    const first = courts.sort((a, b) => b.score - a.score || a.start - b.start)[0];
    if (!first) return { agency: null, unit: null, court };
    const agency = value(first.name, spanOf(first.start, first.start + first.name.length), 0.5);
    return { agency, unit: null, court: court ?? agency };
  }
  // A bilingual letter names its sender in both languages: prefer the name in the language it is mostly written in.
  const latin = (name: string) => /^[\p{Script=Latin}\d\s'’&().,-]+$/u.test(name);
  const language = detectLanguage(text);
  for (const [index, candidate] of candidates.entries()) {
    const matches = ['en', 'es', 'pt', 'fr', 'de'].includes(language) ? latin(candidate.name) : !latin(candidate.name);
    if (!matches) candidates[index] = { ...candidate, score: candidate.score - 4 };
  }
  // The same organisation named several times counts more.
  const byName = new Map<string, OrganisationCandidate & { count: number }>();
  for (const candidate of candidates) {
    const existing = byName.get(candidate.name);
    if (existing) byName.set(candidate.name, { ...existing, score: Math.max(existing.score, candidate.score), count: existing.count + 1 });
    else byName.set(candidate.name, { ...candidate, count: 1 });
  }
  const bare = (name: string) => name.replace(/\s*\([^)]*\)\s*$/, '').trim();
  const all = [...byName.values()].map((candidate) => {
    // "the … Crime Bureau (CSTCB) of the Hong Kong Police Force" in the body, and "… Crime Bureau" in the signature:
    // the signature's weight goes to the phrase that says whose unit it is.
    const split = splitUnit(candidate.name);
    const signed = split.unit ? byName.get(bare(split.unit)) : undefined;
    return { ...candidate, split, total: candidate.score + candidate.count + (signed && signed !== candidate ? signed.score : 0) };
  });
  const ranked = all.sort((a, b) => b.total - a.total || a.start - b.start);
  // The agency is a body (a ministry, a police force, an association), not one of its units, when one is named.
  const bodies = ranked.filter(
    (candidate) =>
      TOP_LEVEL_WORD.test(candidate.split.agency) ||
      /(경찰청|검찰청|公安部|公安局|公安厅|办公室|委员会|МВД|Министерств|Прокуратур|Роскомнадзор|комитет)/.test(candidate.split.agency),
  );
  const best = bodies[0] && bodies[0].total >= ranked[0]!.total - 3 ? bodies[0] : ranked[0]!;
  const split = best.split;
  const confidence = Math.min(0.9, 0.4 + best.total * 0.05);
  const agencyStart = best.start + best.name.indexOf(split.agency);
  const agency = value(split.agency, spanOf(agencyStart, agencyStart + split.agency.length), confidence);
  let unit: ExtractedValue<string> | null = null;
  if (split.unit) {
    unit = value(split.unit, spanOf(best.start, best.start + split.unit.length), confidence - 0.1);
  } else {
    const named = ranked.find(
      (candidate) =>
        candidate !== best &&
        UNIT_WORD.test(candidate.name) &&
        !TOP_LEVEL_WORD.test(candidate.name) &&
        !split.agency.includes(candidate.name),
    );
    if (named) unit = value(named.name, spanOf(named.start, named.start + named.name.length), 0.45);
  }
  return { agency, unit, court };
}

/** Bodies named in ways the capitalised-phrase reader misses: one-word courts, names in capitals, other scripts. */
const NAMED_BODY =
  /(?:(?:Schleswig-Holsteinische[sn]?|Hanseatische[sn]?|Bayerische[sn]?|Pfälzische[sn]?|[A-ZÄÖÜ][a-zäöüß]+er)\s+)?(?:Oberlandesgericht|Landgericht|Amtsgericht|Verwaltungsgericht|Bundesgerichtshof|Kammergericht|Bundesverfassungsgericht)(?:\s+(?:[A-ZÄÖÜ][a-zäöüß-]+|SCHLESWIG-HOLSTEIN|[A-ZÄÖÜ-]{3,}))?|(?:OBERLANDESGERICHT|LANDGERICHT|AMTSGERICHT)(?:\s+[A-ZÄÖÜ-]{3,})?|(?:[A-ZÇĞİÖŞÜ][A-Za-zÇĞİÖŞÜçğıöşüâî]+\s+)?\d{1,3}\.\s+(?:Sulh Ceza Hâkimliği|SULH CEZA HÂKİMLİĞİ|Asliye Ceza Mahkemesi|ASLİYE CEZA MAHKEMESİ|Ağır Ceza Mahkemesi|AĞIR CEZA MAHKEMESİ)|(?:[A-ZÇĞİÖŞÜ][A-Za-zÇĞİÖŞÜçğıöşü]+\s+)?Cumhuriyet Başsavcılığı|[Mm]inist[èe]re\s+(?:de\s+l[’']|de\s+la\s+|des\s+|du\s+)(?:[Ii]nt[ée]rieur|[Jj]ustice|[ÉEée]conomie|[Cc]ulture|[Aa]rm[ée]es|[Ss]ant[ée])|[Pp]r[ée]fecture de police(?: de [A-Z][a-z]+)?|(?:[\u0900-\u097F]+\s){1,3}पुलिस/gu;

/** Words that make an organisation a court or a judge's office. */
const COURT_WORD =
  /\b(?:Court|Tribunal|Juzgado|Gericht|Oberlandesgericht|Landgericht|Amtsgericht|Hâkimliği|Mahkemesi|Magistrate|Judge|Judiciary)\b|Gericht|법원|法院|(?<![А-Яа-я])[Сс]уд(?![А-Яа-я])|[Сс]уда?(?:\s|$)/iu;
/** An online service named as the addressee or the party, not the one asking. */
const PLATFORM_ORGANISATION =
  /\b(?:Inc\.?|LLC|Ltd\.?|Limited|GmbH|Corp(?:oration)?\.?|B\.V\.|S\.A\.|Platforms?)$|\b(?:Custodian of Records|Legal Department|Law Enforcement Response|Trust (?:and|&) Safety)\b/i;

/** "Cyber Security Department of the Ministry of Public Security of China" → unit and agency. */
export function splitUnit(name: string): { unit: string | undefined; agency: string } {
  // "深圳市公安局网络安全保卫支队": the body, then its unit, with no space between.
  const chinese =
    /^([\u4e00-\u9fff]{2,20}?(?:公安局|公安厅|公安部|人民检察院|人民法院|互联网信息办公室|网信办|管理局))([\u4e00-\u9fff]{2,20}(?:支队|大队|总队|处|科|中心|局|保卫局))$/.exec(
      name,
    );
  if (chinese) return { unit: chinese[2], agency: chinese[1]! };
  // "Управление … МВД России": the unit, then the body it belongs to.
  const russian =
    /^(.{5,200}?)\s+(МВД России|МВД РФ|ФСБ России|ГУ МВД России[^,]*|Следственного комитета Российской Федерации|Генеральной прокуратуры Российской Федерации)$/u.exec(
      name,
    );
  if (russian) return { unit: russian[1], agency: russian[2]! };
  // "서울경찰청 사이버수사과", "上海市公安局 网安支队": the body first, its unit after a space.
  const words = name.split(/\s+/);
  if (words.length >= 2 && /^[\uac00-\ud7af\u4e00-\u9fff\d]+$/.test(words[0]!) && ORGANISATION_WORD_CJK_RU.test(words[0]!)) {
    return { unit: words.slice(1).join(' '), agency: words[0]! };
  }
  const parts = name.split(/\s+of\s+(?:the\s+)?/);
  for (let index = 1; index < parts.length; index += 1) {
    const left = parts.slice(0, index).join(' of ');
    const right = name.slice(name.indexOf(parts[index]!, left.length));
    // "Cyber Police Department of the National Police": a left part ending in a unit word is a unit, whatever it names.
    const endsInUnit = new RegExp(`${UNIT_WORD.source}$`, 'i').test(left);
    // A unit has a name: "Office of the District Attorney" is one body, not the unit "Office".
    if (!/\s/.test(left.trim())) continue;
    if (UNIT_WORD.test(left) && TOP_LEVEL_WORD.test(right) && (endsInUnit || !TOP_LEVEL_WORD.test(left.replace(UNIT_WORD, '')))) {
      return { unit: left, agency: right };
    }
  }
  return { unit: undefined, agency: name };
}

export function findJurisdiction(
  text: string,
  agency: string | undefined,
  senderDomain: string | undefined,
): {
  country: ExtractedValue<string> | null;
  subdivision: ExtractedValue<string> | null;
} {
  const votes = new Map<string, { score: number; span: SourceSpan | null }>();
  const vote = (code: string, score: number, span: SourceSpan | null) => {
    const previous = votes.get(code);
    votes.set(code, { score: (previous?.score ?? 0) + score, span: previous?.span ?? span });
  };
  if (agency) {
    for (const [pattern, code] of COUNTRY_NAMES) {
      if (pattern.test(agency)) {
        const index = text.indexOf(agency);
        vote(code, 5, index >= 0 ? spanOf(index, index + agency.length) : null);
        break;
      }
    }
  }
  for (const [pattern, code] of COUNTRY_NAMES) {
    const global = new RegExp(pattern.source, `${pattern.flags.replace('g', '')}g`);
    let count = 0;
    for (const match of text.matchAll(global)) {
      count += 1;
      if (count === 1) vote(code, 1, spanOf(match.index, match.index + match[0].length));
      else vote(code, 0.5, null);
      if (count > 6) break;
    }
  }
  // "Laws of Hong Kong", "Cap. 200": Hong Kong's ordinances.
  const hk = /Laws of Hong Kong|\bCap\.\s*\d+/.exec(text);
  if (hk) vote('HK', 2, spanOf(hk.index, hk.index + hk[0].length));
  if (senderDomain) {
    const tld = senderDomain.split('.').at(-1) ?? '';
    const code = TLD_COUNTRIES[tld];
    if (code) vote(code, 2, null);
  }
  // Hong Kong also says "China" in places; as a region it is its own jurisdiction.
  if (votes.has('HK') && votes.has('CN')) vote('CN', -Math.min(votes.get('CN')!.score, votes.get('HK')!.score), null);
  const ranked = [...votes.entries()].filter(([, entry]) => entry.score > 0).sort((a, b) => b[1].score - a[1].score);
  const best = ranked[0];
  const country = best ? value(best[0], best[1].span, Math.min(0.9, 0.3 + best[1].score * 0.08)) : null;
  let subdivision: ExtractedValue<string> | null = null;
  if (agency) {
    const state = /(?:del Estado de|State of|Estado de|Province of|Provincia de)\s+(\p{Lu}[\p{L}]+(?:\s+\p{Lu}[\p{L}]+)?)/iu.exec(agency);
    const named = state?.[1];
    for (const [pattern, name] of SUBDIVISIONS) {
      if (pattern.test(named ?? agency)) {
        if (name === 'US-STATE') {
          const state = (named ?? agency)
            .replace(/\s+State\s+(Police|Patrol|Bureau of Investigation).*$/i, '')
            .replace(/^Washington State$/i, 'Washington');
          const index = text.indexOf(agency);
          subdivision = value(state, index >= 0 ? spanOf(index, index + agency.length) : null, 0.6);
          break;
        }
        const index = text.indexOf(agency);
        subdivision = value(name, index >= 0 ? spanOf(index, index + agency.length) : null, 0.6);
        break;
      }
    }
  }
  return { country, subdivision };
}

// ---------------------------------------------------------------------------------------------------------------
// The signature: officer, title, contact

export function findOfficer(
  lines: readonly Line[],
  signatureStart: number,
): { name: ExtractedValue<string> | null; title: ExtractedValue<string> | null } {
  const block = lines.filter((line) => line.start >= signatureStart && line.text.trim() !== '');
  const first = block[0];
  const rest = first && CLOSING.test(first.text.trim()) ? block.slice(1) : block;
  let name: ExtractedValue<string> | null = null;
  let title: ExtractedValue<string> | null = null;
  for (const line of rest.slice(0, 6)) {
    const trimmed = line.text.trim();
    const offset = line.start + line.text.indexOf(trimmed);
    // "Detective, Major Crimes Unit", "Agente del Ministerio Público": a title first, whatever follows.
    const found = TITLE_WORD.exec(trimmed);
    // "Senior Constable", "Acting Detective Sergeant": rank words before the title belong to it.
    const modifiers = found ? trimmed.slice(0, found.index) : '';
    const leading: string | undefined =
      found &&
      (found.index === 0 ||
        /^(?:(?:Senior|Chief|Deputy|Acting|Principal|Assistant|Staff|Lead|Head|Detective|First|Second|Police|Supervisory|Special)\s+)+$/i.test(
          modifiers,
        ))
        ? `${modifiers}${found[0]}`
        : undefined;
    if (leading !== undefined && !/[:：@]|https?:/.test(trimmed)) {
      const initials = /([А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s*[А-ЯЁ]\.)$/u.exec(trimmed);
      const rest = trimmed.slice(leading.length).trim();
      const personal = /^(?:[\p{Lu}][\p{L}'’.-]+\s*){1,4}$/u.test(rest) && !ORGANISATION_WORD.test(rest) ? rest : undefined;
      const person = initials?.[1] ?? (/^[가-힣]{2,4}$|^[\u4e00-\u9fff]{2,4}$/.test(rest) ? rest : personal);
      if (person && !name) {
        const at = offset + trimmed.lastIndexOf(person);
        name = value(person, spanOf(at, at + person.length), 0.6);
        const titleText = trimmed.slice(0, trimmed.lastIndexOf(person)).trim() || leading;
        if (!title || title.value.endsWith('.')) title = value(titleText, spanOf(offset, offset + titleText.length), 0.6);
        continue;
      }
      const titleText = trimmed.split(/,/)[0]!.trim();
      if ((!title || title.value.endsWith('.')) && titleText.split(/\s+/).length <= 6) {
        title = value(titleText, spanOf(offset, offset + titleText.length), 0.55);
        continue;
      }
    }
    if (ORGANISATION_WORD.test(trimmed) || ORGANISATION_WORD_CJK_RU.test(trimmed) || /[:：@]|https?:|\d{3}/.test(trimmed)) {
      if (name) break;
      continue;
    }
    if (REDACTED.test(trimmed) || /^\(\s*\[(private|redacted)\]\s*\)\s*\[(private|redacted)\]$/i.test(trimmed)) {
      const marks = trimmed.match(/\[(private|redacted)\]/gi) ?? [];
      if (!name) {
        name = value(REDACTED_VALUE, spanOf(offset, offset + trimmed.length), 0.5);
        if (marks.length > 1) title = value(REDACTED_VALUE, spanOf(offset, offset + trimmed.length), 0.4);
      } else if (!title) title = value(REDACTED_VALUE, spanOf(offset, offset + trimmed.length), 0.4);
      continue;
    }
    const titled = TITLE_WORD.exec(trimmed);
    if (titled && trimmed.split(/\s+/).length <= 8) {
      // "Detective Jane Roe", "Inspector Park Jisoo": a title and a name on one line.
      const after = trimmed.slice(titled.index + titled[0].length).trim();
      if (!name && titled.index === 0 && /^(?:[A-Z][a-zA-Z'’.-]+\s*){1,4}$/.test(after)) {
        const at = offset + titled.index + titled[0].length + trimmed.slice(titled.index + titled[0].length).indexOf(after);
        name = value(after, spanOf(at, at + after.length), 0.6);
        if (!title) title = value(titled[0], spanOf(offset, offset + titled[0].length), 0.6);
        continue;
      }
      if (!title) title = value(trimmed, spanOf(offset, offset + trimmed.length), 0.6);
      continue;
    }
    const looksLikeName =
      /^(?:\p{Lu}[\p{L}'’.-]+\s+){1,3}\p{Lu}[\p{L}'’.-]+$/u.test(trimmed) ||
      /^[가-힣]{2,4}$/.test(trimmed) ||
      /^[\u4e00-\u9fff]{2,4}$/.test(trimmed) ||
      /^[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s*[А-ЯЁ]\.$|^[А-ЯЁ][а-яё]+\s+[А-ЯЁ][а-яё]+(\s+[А-ЯЁ][а-яё]+)?$/.test(trimmed) ||
      /^[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+(\s+[A-ZÁÉÍÓÚÑ][a-záéíóúñ]+){1,3}$/.test(trimmed);
    if (!name && looksLikeName) {
      name = value(trimmed, spanOf(offset, offset + trimmed.length), 0.55);
      continue;
    }
    if (name) break;
  }
  return { name, title };
}

export function findContacts(text: string, lines: readonly Line[], signatureStart: number, country: string | undefined) {
  let email: ExtractedValue<string> | null = null;
  let phone: ExtractedValue<string> | null = null;
  let address: ExtractedValue<string> | null = null;
  const contactSpans: SourceSpan[] = [];
  const headerEnd = Math.min(400, Math.floor(text.length * 0.15));
  for (const line of lines) {
    const trimmed = line.text.trim();
    if (trimmed === '') continue;
    const addressLabel = CONTACT_LABEL.address.exec(line.text);
    if (addressLabel && !address) {
      const rest = line.text.slice(addressLabel[0].length).trim();
      const start = line.start + line.text.indexOf(rest);
      address = value(REDACTION_MARK.test(rest) && rest.length < 14 ? REDACTED_VALUE : rest, spanOf(start, start + rest.length), 0.7);
      continue;
    }
    // In the body, "phone: …" names a target; the sender's own contact is in the letterhead or the signature.
    if (line.start > headerEnd && line.start < signatureStart) continue;
    // "Email: [private]" · "Tel: +82 2-..." · "Fax: ..."
    for (const part of line.text.split(/\s{2,}|\t|\s[|·]\s/)) {
      const labelled = /^(.*?[:：])\s*(.+)$/.exec(part.trim());
      if (!labelled) continue;
      const [label, rest] = [labelled[1]!, labelled[2]!.trim()];
      const start = line.start + line.text.indexOf(rest);
      const span = spanOf(start, start + rest.length);
      if (CONTACT_LABEL.email.test(label) && !email) {
        const address_ = EMAIL_PATTERN.exec(rest);
        EMAIL_PATTERN.lastIndex = 0;
        if (REDACTION_MARK.test(rest)) email = value(REDACTED_VALUE, span, 0.6);
        else if (address_)
          email = value(normaliseEmail(address_[0]), spanOf(start + address_.index, start + address_.index + address_[0].length), 0.75);
        contactSpans.push(span);
      } else if (CONTACT_LABEL.fax.test(label)) {
        contactSpans.push(span);
      } else if (CONTACT_LABEL.phone.test(label)) {
        if (!phone) {
          if (REDACTION_MARK.test(rest)) phone = value(REDACTED_VALUE, span, 0.6);
          else {
            const found = findPhoneNumbersInText(rest, (country as CountryCode | undefined) ?? undefined)[0];
            if (found) phone = value(found.number.number, spanOf(start + found.startsAt, start + found.endsAt), 0.75);
          }
        }
        contactSpans.push(span);
      }
    }
  }
  // An unlabelled address or phone in the signature block is the sender's too.
  if (!phone) {
    const tail = text.slice(signatureStart);
    let found: ReturnType<typeof findPhoneNumbersInText> = [];
    try {
      found = findPhoneNumbersInText(tail, (country as CountryCode | undefined) ?? undefined);
    } catch {
      found = [];
    }
    const first = found.find((entry) => {
      const at = signatureStart + entry.startsAt;
      const before = text.slice(Math.max(0, at - 30), at);
      return !CONTACT_LABEL.fax.test(before) && !TARGET_CONTEXT.test(before);
    });
    if (first) {
      const start = signatureStart + first.startsAt;
      phone = value(first.number.number, spanOf(start, signatureStart + first.endsAt), 0.6);
      contactSpans.push(spanOf(start, signatureStart + first.endsAt));
    }
  }
  if (!email) {
    const tail = text.slice(signatureStart);
    for (const match of tail.matchAll(EMAIL_PATTERN)) {
      const normalised = normaliseEmail(match[0]);
      const domain = normalised.split('@')[1] ?? '';
      if (GOVERNMENT_HOST.test(domain) && !PLACEHOLDER_EMAIL.test(normalised)) {
        const start = signatureStart + match.index;
        email = value(normalised, spanOf(start, start + match[0].length), 0.6);
        contactSpans.push(spanOf(start, start + match[0].length));
        break;
      }
    }
  }
  return { email, phone, address, contactSpans };
}

// ---------------------------------------------------------------------------------------------------------------
// Dates: the letter's date, a deadline, the range of data asked for

export function findTiming(
  text: string,
  lines: readonly Line[],
  dates: readonly FoundDate[],
  sentAt: string | undefined,
): { requestDate: ExtractedValue<string> | null; deadline: ExtractedValue<string> | null; range: DraftFields['dateRange'] } {
  let requestDate: ExtractedValue<string> | null = null;
  let deadline: ExtractedValue<string> | null = null;
  let range: DraftFields['dateRange'] = null;
  const lineOf = (offset: number) => lines.find((line) => line.start <= offset && offset <= line.start + line.text.length);

  for (let index = 0; index < dates.length; index += 1) {
    const date = dates[index]!;
    const line = lineOf(date.start);
    if (!line) continue;
    const before = text.slice(Math.max(line.start, date.start - 60), date.start);
    const after = text.slice(date.end, Math.min(line.start + line.text.length, date.end + 30));
    // A range chrono read whole, or two dates joined by "to", "부터", "至", "al", "по".
    const next = dates[index + 1];
    const joined =
      next && next.start - date.end < 16 && RANGE_JOIN.test(text.slice(date.end, next.start).replace(/[().,]|\s+г(?=\s)/g, ' '));
    const rangeCue =
      /\b(from|between|period|during|for the (period|time)|range)\b|기간|부터|期间|自|从|期間|desde|entre|del|per[ií]odo|в период|за период|с\s*$/i.test(
        before,
      );
    if (
      !range &&
      (date.rangeEnd || (joined && (rangeCue || /to|until|through|부터|至|到|hasta|al|по/.test(text.slice(date.end, next.start)))))
    ) {
      const end = date.rangeEnd ?? next!.iso;
      const spanEnd = date.rangeEnd ? date.end : next!.end;
      range = value({ start: date.iso.slice(0, 10), end: end.slice(0, 10) }, spanOf(date.start, spanEnd), rangeCue ? 0.8 : 0.6);
      if (joined) index += 1;
      continue;
    }
    if (
      !deadline &&
      /\b(by|before|no later than|not later than|deadline|due|until|within)\b|까지|기한|之前|以前|截止|前(?=回复|提供|答复|处理|反馈)|antes del?|a m[áa]s tardar|plazo|не позднее|до\s*$|срок/i.test(
        before + after,
      )
    ) {
      if (
        /\b(by|before|no later than|not later than|deadline|due)\b|기한|截止|antes del?|a m[áa]s tardar|plazo|не позднее|срок/i.test(
          before,
        ) ||
        /^\s*(?:까지|之前|以前|前(?=回复|提供|答复|处理|反馈))/.test(after)
      ) {
        deadline = value(date.iso, spanOf(date.start, date.end), 0.65);
        continue;
      }
    }
    // The letter's own date: a line that is just a date, or "Date: ...", or "Dated ...".
    const lineBefore = text.slice(line.start, date.start);
    const lineAfter = text.slice(date.end, line.start + line.text.length);
    // "12 June 2025", "Madrid, 12 de febrero de 2025", "от 5 марта 2025 г.", "Guadalajara, Jalisco, a 3 de octubre de 2025"
    const alone =
      (/^[\s\p{L}.,'’-]{0,60}[,，]\s*(?:a\s+|le\s+|den\s+)?$|^\s*(?:от|dated|le|el)?\s*$/iu.test(lineBefore) || lineBefore.trim() === '') &&
      /^\s*(?:г\.?|года|년|年)?[\s.,]*$/u.test(lineAfter) &&
      lineBefore.length < 70;
    const labelled = /(?:^|[^\p{L}])(date[d]?|fecha|дата|日期|일자|날짜)\s*[:：]?\s*$/iu.test(before);
    if (!requestDate && (alone || labelled)) {
      requestDate = value(date.iso.slice(0, 10), spanOf(date.start, date.end), alone ? 0.7 : 0.8);
    }
  }
  // "within 10 days", "48 hours", "10일 이내", "10日内", "en un plazo de 10 días", "в течение 10 дней": from when it was sent.
  if (!deadline) {
    const relative =
      /\bwithin\s+(?<en>\d{1,3})\s*(?:business |working )?(?<enUnit>hours?|days?)\b|(?<ko>\d{1,3})\s*(?<koUnit>시간|일)\s*(?:이내|내에)|(?<zh>\d{1,3})\s*(?<zhUnit>小时|日|天)内|en un plazo (?:m[áa]ximo )?de\s+(?<es>\d{1,3})\s*(?<esUnit>horas|d[ií]as)|в течение\s+(?<ru>\d{1,3})\s*(?<ruUnit>час[а-я]*|дн[а-я]*|сут[а-я]*)/i.exec(
        text,
      );
    if (relative?.groups) {
      const groups = relative.groups;
      const amount = Number(groups.en ?? groups.ko ?? groups.zh ?? groups.es ?? groups.ru);
      const unit = (groups.enUnit ?? groups.koUnit ?? groups.zhUnit ?? groups.esUnit ?? groups.ruUnit ?? '').toLowerCase();
      const hours = /hour|시간|小时|hora|час/.test(unit) ? amount : amount * 24;
      const from = sentAt ? new Date(sentAt) : undefined;
      const due = from ? new Date(from.getTime() + hours * 3_600_000) : undefined;
      if (due && Number.isFinite(due.getTime())) {
        deadline = value(due.toISOString(), spanOf(relative.index, relative.index + relative[0].length), 0.55);
      }
    }
  }
  return { requestDate, deadline, range };
}
