/**
 * Dates in a notice, with where they stand: chrono-node for English, Chinese, Spanish and Russian (and its other
 * locales), and patterns for what it does not read — Korean `2024년 3월 5일`, Taiwan's Minguo years, and English with the day first
 * (`22st,Jan,2021`, `5th of March 2024`). Only full dates (day, month and year written) are kept.
 */
import * as chrono from 'chrono-node';

export interface FoundDate {
  /** YYYY-MM-DD, or YYYY-MM-DDTHH:MM when a time was written. */
  readonly iso: string;
  readonly start: number;
  readonly end: number;
  /** The text between this date and the next, when chrono read the two as a range ("1 Jan to 3 Feb 2024"). */
  readonly rangeEnd?: string;
}

const pad = (value: number) => String(value).padStart(2, '0');
const iso = (year: number, month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;
const valid = (year: number, month: number, day: number) => {
  if (year < 1970 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1;
};

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

type Components = Pick<chrono.ParsedComponents, 'get' | 'isCertain'>;
function fromComponents(components: Components): string | undefined {
  if (!components.isCertain('day') || !components.isCertain('month') || !components.isCertain('year')) return undefined;
  const [year, month, day] = [components.get('year'), components.get('month'), components.get('day')];
  if (year === null || month === null || day === null || !valid(year, month, day)) return undefined;
  const hour = components.isCertain('hour') ? components.get('hour') : null;
  const minute = components.get('minute') ?? 0;
  return hour === null ? iso(year, month, day) : `${iso(year, month, day)}T${pad(hour)}:${pad(minute)}`;
}

interface Parser {
  parse(text: string, reference?: Date): chrono.ParsedResult[];
}
const PARSERS: Readonly<Record<string, Parser>> = { zh: chrono.zh, es: chrono.es, ru: chrono.ru, en: chrono.en.casual };

/** Every full date in `text` (each once, by position), in the language's parser and in English. */
export function findDates(text: string, language: string, reference: Date = new Date()): FoundDate[] {
  const found = new Map<number, FoundDate>();
  const add = (date: FoundDate) => {
    const existing = found.get(date.start);
    if (!existing || date.end - date.start > existing.end - existing.start) found.set(date.start, date);
  };
  // chrono works line by line here: a line is short, so a hostile text cannot make a parse slow, and lines without a
  // digit hold no full date.
  let offset = 0;
  for (const line of text.split('\n')) {
    if (/\d/.test(line) && line.length <= 20_000) {
      // Numeric dates with the day first (01/06/2025, 18-08-2025, 03.09.2025) everywhere but in American English,
      // where only an impossible month (13/…) or a dash or dot says so; read before chrono, which reads month first.
      for (const match of line.matchAll(/(?<![\d/.-])(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?![\d/.-]|\.\d)/g)) {
        const [day, month, year] = [Number(match[1]), Number(match[3]), Number(match[4])];
        const dayFirst = language !== 'en' || day > 12 || match[2] !== '/';
        if (dayFirst && valid(year, month, day))
          add({ iso: iso(year, month, day), start: offset + match.index, end: offset + match.index + match[0].length });
      }
      const parsers = [PARSERS.en!, ...(PARSERS[language] && language !== 'en' ? [PARSERS[language]] : [])];
      for (const parser of parsers) {
        let results: chrono.ParsedResult[] = [];
        try {
          results = parser.parse(line, reference);
        } catch {
          results = [];
        }
        for (const result of results) {
          const start = fromComponents(result.start);
          if (!start) continue;
          const end = result.end ? fromComponents(result.end) : undefined;
          add({
            iso: start,
            start: offset + result.index,
            end: offset + result.index + result.text.length,
            ...(end ? { rangeEnd: end } : {}),
          });
        }
      }
      for (const match of line.matchAll(/(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일/g)) {
        const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
        if (valid(year, month, day))
          add({ iso: iso(year, month, day), start: offset + match.index, end: offset + match.index + match[0].length });
      }
      // The Minguo calendar of Taiwan: 中華民國114年3月5日 is 2025-03-05 (year + 1911).
      for (const match of line.matchAll(/(?:中華民國|民國)\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/g)) {
        const [year, month, day] = [Number(match[1]) + 1911, Number(match[2]), Number(match[3])];
        if (valid(year, month, day))
          add({ iso: iso(year, month, day), start: offset + match.index, end: offset + match.index + match[0].length });
      }
      // 22st,Jan,2021 · 5th of March 2024 · 3 Sept. 2019
      for (const match of line.matchAll(
        /\b(\d{1,2})(?:st|nd|rd|th)?(?:\s*of)?[\s,.-]*(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?[\s,.-]*(\d{4})\b/gi,
      )) {
        const [day, month, year] = [Number(match[1]), MONTHS[match[2]!.toLowerCase()] ?? 0, Number(match[3])];
        if (valid(year, month, day))
          add({ iso: iso(year, month, day), start: offset + match.index, end: offset + match.index + match[0].length });
      }
      // 2024.03.05 · 2024/3/5 (chrono reads ISO dashes itself)
      for (const match of line.matchAll(/\b(20\d{2}|19\d{2})[./](\d{1,2})[./](\d{1,2})\b/g)) {
        const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
        if (valid(year, month, day))
          add({ iso: iso(year, month, day), start: offset + match.index, end: offset + match.index + match[0].length });
      }
    }
    offset += line.length + 1;
  }
  // Overlapping finds: keep the longer one.
  const sorted = [...found.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: FoundDate[] = [];
  for (const date of sorted) {
    const last = kept.at(-1);
    if (last && date.start < last.end) {
      if (date.end - date.start > last.end - last.start) kept[kept.length - 1] = date;
      continue;
    }
    kept.push(date);
  }
  return kept;
}
