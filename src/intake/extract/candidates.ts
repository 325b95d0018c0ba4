/**
 * Candidates: the second stage. Every identifier-like value in a notice — links, mail addresses, phone numbers, IP
 * addresses, user IDs, handles and names in lists, case and docket numbers — with where it was written and what it
 * was written as. Nothing here decides whether a value is a target: the roles stage does, from its zone and words.
 *
 * What a scan or a careless hand did to an identifier (a letter O for a zero, l for 1, rn for m, a space inside a
 * link or an address) is repaired in the value, never silently: `written` keeps what the text says, `repairs` says
 * what was changed, and the confidence is lowered.
 */
import { isIP } from 'node:net';
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import type { TargetKind } from '../../core/intake.ts';
import { USERNAME_INTRO } from '../lexicon.ts';
import type { Layout, Line } from './layout.ts';

export type CandidateKind = TargetKind | 'case_number';

export interface Candidate {
  readonly kind: CandidateKind;
  /** The value as it should be read (refanged, normalised, repaired). */
  readonly value: string;
  /** The value as the text writes it. */
  readonly written: string;
  readonly start: number;
  readonly end: number;
  readonly confidence: number;
  /** How it was found ("@handle", "quoted after 'account'", "labelled 'Case No.'"). */
  readonly cue: string;
  /** What was changed from what was written (a defanged link, an OCR repair), empty when nothing was. */
  readonly repairs: readonly string[];
  readonly redacted: boolean;
}

export const REDACTION_MARK = /\[(private|redacted|removed|withheld|invalid|удалено)\]/i;
export const REDACTED_VALUE = '[redacted]';

// ---------------------------------------------------------------------------------------------------------------
// Links, including defanged ones (hxxp://, example[.]com, [:]//) and ones a scan broke with spaces

const TRAILING = /[.,;:!?'"»”’“„)\]}>、，。；：！？）】」』]+$/;

export function refang(text: string): string {
  return text
    .replace(/\bhxxp(s?)/gi, 'http$1')
    .replace(/\bh\*\*p(s?)/gi, 'http$1')
    .replace(/\[:\]\/\//g, '://')
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[\/\]/g, '/');
}

const TLDS =
  'com|org|net|io|me|app|social|tv|cc|co|xyz|info|gg|ly|to|be|ru|cn|kr|jp|hk|tw|es|mx|uk|de|fr|eu|cat|ws|us|in|br|tr|it|nl|pl|ua|kz|au|ca|ar|cl|su|рф';
const URL_PATTERN = new RegExp(
  String.raw`\b(?:(?:https?|hxxps?|h\*\*ps?)(?::|\[:\])\/\/|www(?:\.|\[\.\]))[^\s<>"'${'`'}，。、；）」』【】“”„]{1,2000}|(?<![@\w.-])(?:[a-z0-9][a-z0-9-]{0,62}(?:\.|\[\.\]|\(\.\)))+(?:${TLDS})(?:\/[^\s<>"'${'`'}，。、；）」』【】“”„]{0,2000})?(?![\w@-])`,
  'gi',
);

/** "https: // host/…", "https://host / owner / repo", "http://192.168.1 .5/": a link a scan or a translation spaced out. */
function joinSpacedLink(text: string, start: number, end: number): { end: number; raw: string; joined: boolean } {
  let raw = text.slice(start, end).replace(/\s+/g, '');
  let cursor = end;
  let joined = false;
  // "https: //" and "https:/ /": the scheme cut off from the rest.
  if (/^(?:https?|hxxps?):?$/i.test(raw) || /^(?:https?|hxxps?):\/?$/i.test(raw)) {
    const rest = /^\s{0,2}:?\s{0,2}\/\s{0,2}\/\s{0,2}[^\s<>"']+/.exec(text.slice(cursor));
    if (!rest) return { end, raw, joined };
    raw += rest[0].replace(/\s+/g, '');
    cursor += rest[0].length;
    joined = true;
  }
  // " / segment" after a host or a path: a path spaced out ("github.com / owner / repo").
  for (;;) {
    const more = /^[ \t]{0,2}\/[ \t]{0,2}([\w.~%-]{1,100})(?=[\s,;)]|$)/.exec(text.slice(cursor));
    if (!more || !/\s/.test(more[0])) break;
    raw += `/${more[1]}`;
    cursor += more[0].length;
    joined = true;
  }
  // An IP cut by a space: "192.168.1 .5" or "192.168. 1.5".
  const ipTail = /^(?:\d{1,3}\.){1,3}\d{0,3}$/.exec(raw.replace(/^https?:\/\//i, ''));
  if (ipTail) {
    const more = /^[ \t]?\.?[ \t]?\d{1,3}(?:\.\d{1,3}){0,2}/.exec(text.slice(cursor));
    if (more && /\s/.test(more[0])) {
      raw += more[0].replace(/\s+/g, '');
      cursor += more[0].length;
      joined = true;
    }
  }
  return { end: cursor, raw, joined };
}

/** An OCR repair of a host: "examp1e.c0m" → "example.com" only where the label is otherwise letters; "corn" → "com". */
function repairHost(host: string): { host: string; repairs: string[] } {
  const repairs: string[] = [];
  const labels = host.split('.');
  const tld = labels.at(-1) ?? '';
  let fixedTld = tld;
  if (/^c[o0]rn$/i.test(tld)) fixedTld = 'com';
  else if (/^c0m$|^corn$|^c0rn$/i.test(tld)) fixedTld = 'com';
  else if (/^[a-z]*[0O1l][a-z]*$/i.test(tld) && /\d/.test(tld)) fixedTld = tld.replace(/0/g, 'o').replace(/1/g, 'l');
  if (fixedTld !== tld) repairs.push(`top-level domain "${tld}" read as "${fixedTld}" (OCR)`);
  labels[labels.length - 1] = fixedTld;
  return { host: labels.join('.'), repairs };
}

function findLinks(text: string): Candidate[] {
  const found: Candidate[] = [];
  let lastEnd = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    if (match.index < lastEnd) continue;
    let raw = match[0];
    // Keep a closing bracket that closes one opened inside the link.
    while (TRAILING.test(raw)) {
      const last = raw.at(-1)!;
      if (last === ')' && (raw.match(/\(/g)?.length ?? 0) >= (raw.match(/\)/g)?.length ?? 0)) break;
      if (last === ']' && /\[[.:/]\]$/.test(raw)) break;
      raw = raw.slice(0, -1);
    }
    // "https: // host/…": a scheme spaced off its link, which the pattern read as a bare domain.
    let start = match.index;
    const spacedScheme = /(?:https?|hxxps?)\s{0,2}:\s{0,2}\/\s{0,2}\/\s{0,2}$/i.exec(text.slice(Math.max(0, start - 16), start));
    if (spacedScheme && /\s/.test(spacedScheme[0])) {
      start -= spacedScheme[0].length;
      raw = spacedScheme[0].replace(/\s+/g, '') + raw;
    }
    const joined = joinSpacedLink(
      text,
      start,
      match.index + raw.length - (spacedScheme && /\s/.test(spacedScheme[0]) ? spacedScheme[0].replace(/\s+/g, '').length : 0),
    );
    if (spacedScheme && /\s/.test(spacedScheme[0])) joined.joined = true;
    let end = joined.end;
    raw = joined.raw.replace(TRAILING, '');
    if (joined.joined) end = start + text.slice(start, joined.end).replace(/[.,;:!?'"»”’)\]]+$/, '').length;
    const repairs: string[] = [];
    if (joined.joined) repairs.push('spaces inside the link removed');
    let url = refang(raw);
    if (url !== raw) repairs.push('defanged link read as a link');
    let host: string;
    try {
      host = new URL(/^https?:\/\//i.test(url) ? url : `http://${url}`).hostname.toLowerCase();
    } catch {
      continue;
    }
    if (!host.includes('.') || /^\d+$/.test(host.split('.').at(-1)!) !== (isIP(host) !== 0)) continue;
    const repaired = isIP(host) === 0 ? repairHost(host) : { host, repairs: [] };
    if (repaired.repairs.length > 0) {
      url = url.replace(new RegExp(host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'), repaired.host);
      repairs.push(...repaired.repairs);
    }
    // A bare domain in a mail address is the address's, not a link.
    if (text[start - 1] === '@' || text[end] === '@') continue;
    const bare = !/^(?:https?:\/\/|www\.)/i.test(url);
    const ocr = repairs.some((repair) => /OCR|spaces/.test(repair));
    found.push({
      kind: 'urls',
      value: url,
      written: text.slice(start, end),
      start,
      end,
      confidence: ocr ? 0.5 : bare && !url.includes('/') ? 0.6 : 0.85,
      cue: bare ? 'a bare domain' : 'a link',
      repairs,
      redacted: REDACTION_MARK.test(url),
    });
    lastEnd = end;
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Mail addresses

export const EMAIL_PATTERN =
  /(?:\[(?:private|redacted|removed|withheld|invalid|удалено)\]|[A-Za-z0-9._%+-]{1,64})(?:@|\[at\]|\(at\)|\[@\]|\(@\)|\s(?:at|AT)\s|\s@\s?|@\s)[A-Za-z0-9-]{1,63}(?:(?:\.|\[\.\]|\(\.\)|\[dot\]|\sdot\s)[A-Za-z0-9-]{1,63}){1,6}/gi;

export function normaliseEmail(raw: string): string {
  return refang(raw)
    .replace(/\s*(?:\[at\]|\(at\)|\[@\]|\(@\))\s*|\s(?:at|AT)\s|\s*@\s*/g, '@')
    .replace(/\sdot\s/g, '.')
    .toLowerCase();
}

function findEmails(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(EMAIL_PATTERN)) {
    const written = match[0];
    // "@host@domain": a fediverse handle, read with the handles.
    if (text[match.index - 1] === '@') continue;
    const redacted = REDACTION_MARK.test(written);
    let address = normaliseEmail(written);
    if (redacted) address = address.replace(REDACTION_MARK, REDACTED_VALUE);
    if (!/^(?:[^@\s]+|\[redacted\])@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(address)) continue;
    const repairs: string[] = [];
    if (/\s@|@\s/.test(written)) {
      // A space before "@" is a scan's only when what follows is a mail domain and what precedes is not a word
      // ("perfil @handle" is a handle).
      const [local, domain] = [address.split('@')[0]!, address.split('@')[1]!];
      const tld = domain.split('.').at(-1)!;
      if (!new RegExp(`^(?:${TLDS})$`, 'i').test(tld) || !/[\d._-]/.test(local) || COMMON_WORDS.has(local)) continue;
      repairs.push('spaces around "@" removed (OCR)');
    } else if (address !== written.toLowerCase()) repairs.push('defanged address read as an address');
    const [local, domain] = [address.split('@')[0]!, address.split('@')[1]!];
    const host = repairHost(domain);
    if (host.repairs.length > 0) {
      address = `${local}@${host.host}`;
      repairs.push(...host.repairs);
    }
    found.push({
      kind: 'emails',
      value: address,
      written,
      start: match.index,
      end: match.index + written.length,
      confidence: repairs.some((repair) => /OCR/.test(repair)) ? 0.5 : 0.75,
      cue: redacted ? 'an address whose name the publisher redacted' : 'a mail address',
      repairs,
      redacted,
    });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// IP addresses: exact, or read through OCR noise (O for 0, l or I for 1) when three dots hold four numbers

const IPV4 = /(?<![\w.])(?:[0-9OolI|]{1,3}\.){3}[0-9OolI|]{1,3}(?![\w]|\.\d)/g;
const IPV6 = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){2,7}[0-9A-Fa-f:]{1,40}(?![0-9A-Fa-f:])/g;

function findIps(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(IPV4)) {
    const written = match[0];
    if (!/\d/.test(written)) continue;
    // Read through letters for digits, and without leading zeros ("O7" is 7).
    const repaired = written
      .replace(/[Oo]/g, '0')
      .replace(/[lI|]/g, '1')
      .split('.')
      .map((octet) => String(Number(octet)))
      .join('.');
    if (isIP(repaired) !== 4 || !/^\d{1,3}$/.test(written.split('.')[0]!.replace(/[OolI|]/g, '0'))) continue;
    // A version number or an OID is not an address: "v1.2.3.4".
    if (/v(ersion)?\s*$/i.test(text.slice(Math.max(0, match.index - 8), match.index))) continue;
    // Letters for digits in more than one group is a word, not an address.
    if ((written.match(/[OolI|]/g)?.length ?? 0) > 2) continue;
    const repairs = repaired === written ? [] : [`"${written}" read as "${repaired}" (OCR: letters for digits)`];
    found.push({
      kind: 'ip_addresses',
      value: repaired,
      written,
      start: match.index,
      end: match.index + written.length,
      confidence: repairs.length > 0 ? 0.5 : 0.85,
      cue: 'an IPv4 address',
      repairs,
      redacted: false,
    });
  }
  for (const match of text.matchAll(IPV6)) {
    if (isIP(match[0]) !== 6) continue;
    found.push({
      kind: 'ip_addresses',
      value: match[0],
      written: match[0],
      start: match.index,
      end: match.index + match[0].length,
      confidence: 0.85,
      cue: 'an IPv6 address',
      repairs: [],
      redacted: false,
    });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Phone numbers, in E.164

function isPlaceholderPhone(digits: string): boolean {
  const national = digits.replace(/^\+?\d{1,3}(?=\d{9,10}$)/, '');
  if (/^(\d)\1+$/.test(national) || /^(\d)\1+$/.test(digits.slice(-7))) return true;
  if ('01234567890123456789'.includes(national.slice(-9)) || '98765432109876543210'.includes(national.slice(-9))) return true;
  // US fictional numbers: 555-0100 to 555-0199.
  if (/^\+1\d{3}5550[01]\d\d$/.test(digits)) return true;
  return /^\+?0+$/.test(digits);
}

function findPhones(text: string, country: string | undefined): Candidate[] {
  const found: Candidate[] = [];
  const seen = new Set<number>();
  for (const defaultCountry of [...new Set([country, undefined])]) {
    let results: ReturnType<typeof findPhoneNumbersInText> = [];
    try {
      results = findPhoneNumbersInText(text, (defaultCountry as CountryCode | undefined) ?? undefined);
    } catch {
      results = [];
    }
    for (const entry of results) {
      if (seen.has(entry.startsAt)) continue;
      const written = text.slice(entry.startsAt, entry.endsAt);
      const e164 = entry.number.number;
      // Digits inside a longer token ("…-2025-3172", "ID12345678") are not a phone number.
      if (/[\p{L}\p{N}_/-]/u.test(text[entry.startsAt - 1] ?? '') || /[\p{L}\p{N}_/]/u.test(text[entry.endsAt] ?? '')) continue;
      const placeholder = isPlaceholderPhone(e164) || /(\d)\1{6,}/.test(written.replace(/\D/g, ''));
      // Digits that are a date or an invalid number are not a phone.
      // A year and a serial ("2025-118734") is a file number, not a phone.
      if (/^(?:19|20)\d{2}[-/]\d{3,}$/.test(written.trim())) continue;
      if (
        /^\d{4}-\d{2}-\d{2}$|^\d{1,2}[./-]\d{1,2}[./-]\d{2,4}$|^\d{4}[./]\d{1,2}[./]\d{1,2}$/.test(written.trim()) ||
        !entry.number.isValid()
      )
        continue;
      seen.add(entry.startsAt);
      found.push({
        kind: 'phone_numbers',
        value: e164,
        written,
        start: entry.startsAt,
        end: entry.endsAt,
        confidence: 0.6,
        cue: placeholder ? 'a template’s placeholder number' : 'a phone number',
        repairs: placeholder ? ['placeholder'] : [],
        redacted: false,
      });
    }
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// User IDs, handles and names

const USER_ID =
  /\b(?:user|account|member|profile|customer|numeric)\s*(?:ID|identifier|number|no\.?)\s*[:#：]?\s*([0-9]{3,20})\b|\bUID\s*[:#：]?\s*([0-9]{3,20})\b|(?:회원\s*번호|고유\s*번호|사용자\s*ID)\s*[:：]?\s*([0-9]{3,20})|(?:用户\s*ID|用户编号|账号ID)\s*[:：]?\s*([0-9]{3,20})|(?:ID de (?:usuario|cuenta))\s*[:：]?\s*([0-9]{3,20})|(?:идентификатор[а-я]*(?: пользователя| аккаунта)?|ID (?:пользователя|аккаунта))\s*[:：]?\s*([0-9]{3,20})/gi;

/** Words that are never a username, whatever introduces them. */
export const COMMON_WORDS = new Set(
  'the and of to a in for on with by at from as is are was were this that these those be or not it its our your their his her them they we you i me my account accounts user users username usernames channel channels profile profiles link links please following above below named called https http www name names handle id etc other others such same said which who whose all any each both also only'.split(
    ' ',
  ),
);
const PLATFORM_NAMES =
  /^(twitter|x|facebook|instagram|telegram|tiktok|youtube|github|gitlab|reddit|discord|snapchat|whatsapp|signal|mastodon|matrix|google|apple|microsoft|meta|vk|vkontakte|weibo|wechat|qq|line|kakao|kakaotalk|naver|linkedin|pinterest|tumblr|twitch)$/i;

/** A name's shape: an identifier (a digit, an underscore, a dot or a capital inside), not an ordinary word. */
const IDENTIFIER_SHAPE = /[\d_.]|\p{Ll}\p{Lu}|^\p{Lu}{2,}\p{Ll}/u;
/** A name as platforms allow them: Latin or Cyrillic letters, digits, dots, dashes and underscores. */
const NAME = String.raw`[\p{Script=Latin}\p{Script=Cyrillic}\p{N}][\p{Script=Latin}\p{Script=Cyrillic}\p{N}._-]{0,38}[\p{Script=Latin}\p{Script=Cyrillic}\p{N}_]|[\p{Script=Latin}\p{N}]`;

function findNames(text: string, flowed: string): Candidate[] {
  const found: Candidate[] = [];
  const add = (value: string, start: number, confidence: number, cue: string, written = value) =>
    found.push({ kind: 'usernames', value, written, start, end: start + written.length, confidence, cue, repairs: [], redacted: false });
  // Fediverse and Matrix forms first: "@alice@mastodon.social", "@alice:matrix.org".
  for (const match of text.matchAll(/(?<![\w.@/])@([A-Za-z0-9_][A-Za-z0-9_.-]{0,62})([@:])([a-z0-9-]+(?:\.[a-z0-9-]+)+)(?![\w@])/gi)) {
    add(match[0], match.index, 0.75, match[2] === '@' ? 'a fediverse handle' : 'a Matrix user ID');
  }
  // @handles; "u/name" on Reddit.
  for (const match of text.matchAll(/(?<![\w.@/\]])@([A-Za-z0-9_][A-Za-z0-9_.]{0,38}[A-Za-z0-9_]|[A-Za-z0-9_])(?![\w@:-]|\.[A-Za-z])/g)) {
    add(match[1]!, match.index + 1, 0.75, 'an @handle');
  }
  for (const match of text.matchAll(/(?<![\w/])u\/([A-Za-z0-9_-]{3,20})\b/g)) add(match[1]!, match.index + 2, 0.7, 'a Reddit u/ name');
  // Names after "account", "user", "아이디", "用户名", "usuario", "пользователь", or a platform's "name" or "handle":
  // quoted, labelled, or in a list.
  const intro = new RegExp(
    `${USERNAME_INTRO.source}|\\b(?:Twitter|X|Instagram|Telegram|TikTok|Facebook|GitHub|GitLab|YouTube|Reddit|Discord|Snapchat|Mastodon|VK|Weibo|Kakao(?:Talk)?)\\s+(?:name|handle|ID|channel|page|username|nickname)s?\\b`,
    'gi',
  );
  for (const match of flowed.matchAll(intro)) {
    const windowStart = match.index + match[0].length;
    const window = flowed.slice(windowStart, windowStart + 200);
    const stop = /[.。;；]\s|[.。]$|\n\s*\n|\n(?=\s*(?:[-*•·▪–]|\d{1,3}[.)]|[\p{L}][\p{L} ]{0,30}[:：]))/u.exec(window);
    const span = stop ? window.slice(0, stop.index) : window;
    let any = false;
    for (const quoted of span.matchAll(new RegExp(`[‘'"“«「『„]\\s?(${NAME})\\s?[’'"”»」』“]`, 'gu'))) {
      const name = quoted[1]!;
      if (COMMON_WORDS.has(name.toLowerCase())) continue;
      add(name, windowStart + quoted.index + quoted[0].indexOf(name), 0.75, `quoted after "${match[0].trim()}"`);
      any = true;
    }
    // "username: foo_bar" · "아이디: minjun88" · "用户名：abc123" · "usuario: x" · "логин: y"
    if (any && !/^\s*[\p{Script=Latin}\d]/u.test(span)) continue;
    const labelled = new RegExp(`^\\s*(?:\\(s\\))?\\s*(?:named|called|is|are|as|id|ID)?\\s*[:：]\\s*(${NAME})`, 'u').exec(span);
    if (labelled) {
      const name = labelled[1]!;
      if (!COMMON_WORDS.has(name.toLowerCase()) && /[\d_.-]|[a-z][A-Z]|^[a-z0-9]+$/.test(name)) {
        add(name, windowStart + labelled.index + labelled[0].length - name.length, 0.65, `labelled "${match[0].trim()}:"`);
      }
      continue;
    }
    // "the accounts ExampleOrg, jane.sample, and k.doe": a list of names straight after the word.
    const list = new RegExp(
      `^\\s*(?:named|called|of|as)?\\s*((?:${NAME})(?:\\s*(?:,|、|，)\\s*(?:and\\s+|or\\s+|y\\s+|и\\s+)?(?:${NAME})|\\s+(?:and|or|y|и|및|와|과)\\s+(?:${NAME}))*)`,
      'u',
    ).exec(span);
    if (!list) continue;
    const names = [...list[1]!.matchAll(new RegExp(NAME, 'gu'))]
      .map((entry) => ({ name: entry[0], at: windowStart + list.index + list[0].indexOf(list[1]!) + entry.index }))
      .filter((entry) => !/^(and|or|y|и|및|와|과)$/i.test(entry.name));
    // The list ends at the first ordinary word ("…, and k.doe, and of the account").
    const stopAt = names.findIndex((entry) => COMMON_WORDS.has(entry.name.toLowerCase()));
    if (stopAt >= 0) names.splice(stopAt);
    const shaped = names.filter((entry) => IDENTIFIER_SHAPE.test(entry.name));
    const plain = names.every(
      (entry) =>
        (!COMMON_WORDS.has(entry.name.toLowerCase()) && !PLATFORM_NAMES.test(entry.name) && !/^\p{Lu}\p{Ll}+$/u.test(entry.name)) ||
        IDENTIFIER_SHAPE.test(entry.name),
    );
    // One name must look like an identifier; ordinary words ("accounts of the users") are not names.
    if (shaped.length === 0 || !plain || names.some((entry) => COMMON_WORDS.has(entry.name.toLowerCase()))) continue;
    // A domain or a file name is not a handle.
    for (const entry of names) {
      if (/\.(?:com|org|net|io|ru|cn|html?|php|pdf|txt|docx?)$/i.test(entry.name)) continue;
      add(entry.name, entry.at, names.length > 1 ? 0.6 : 0.6, `listed after "${match[0].trim()}"`);
    }
  }
  return found;
}

function findUserIds(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(USER_ID)) {
    const id = match.slice(1).find((group) => group !== undefined);
    if (!id) continue;
    const start = match.index + match[0].lastIndexOf(id);
    found.push({
      kind: 'user_ids',
      value: id,
      written: id,
      start,
      end: start + id.length,
      confidence: 0.8,
      cue: 'labelled as a user ID',
      repairs: [],
      redacted: false,
    });
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Case and docket numbers, in the shapes courts and agencies write them

/** Each shape names itself; a label ("Case No.", "Az.", "사건번호", "案号", "дело №") is read by the fields stage. */
const DOCKET_SHAPES: ReadonlyArray<readonly [string, RegExp]> = [
  // U.S. district court: 3:19-mc-00123, 1:20-mj-01234-ABC; a scan may read the first 1 as l or I.
  ['a U.S. district docket', /(?<![\w:])[0-9lI]{1,2}:\d{2}-(?:mj|mc|cr|cv|sw|gj|po|m|sc|dm|pr)-\d{3,6}(?:-[A-Z]{1,4})*(?![\w-])/gi],
  // Magistrate and miscellaneous numbers: 19-mj-1234, 19-1234-M, Mag. No. 19-1234.
  ['a magistrate number', /(?<![\w:-])\d{2}-(?:mj|MJ|M|SW|sw|GJ)-\d{2,6}(?![\w-])/g],
  // Grand jury: 12GJ3456, GJ 2019-12, Grand Jury No. 19-03.
  ['a grand-jury number', /(?<![\w])\d{2}\s?GJ\s?\d{2,6}(?![\w])|\bGJ\s?(?:No\.?\s?)?\d{2,4}-\d{1,6}\b/g],
  // Korean 사건번호: 2024고단1234, 2023헌마123, 2024압1234.
  ['a Korean case number', /(?<![\d])(?:19|20)\d{2}\s?[가-힣]{1,3}\s?\d{1,7}(?![\d])/g],
  // Chinese 案号: (2023)京0105刑初123号.
  ['a Chinese case number', /[(（](?:19|20)\d{2}[)）][\u4e00-\u9fff]{1,4}\d{0,6}[\u4e00-\u9fff]{1,4}\d{1,7}号/g],
  // Russian numbers with Cyrillic parts: 12345-РИ, 12-34-2019/Ид1234-19, 2-388/18.
  [
    'a Russian number',
    /(?<![\w-])\d{1,6}(?:-\d{1,6}){0,3}\/[А-ЯЁ][а-яё]{0,3}\d{1,8}-\d{2}(?![\w])|(?<![\w-])\d{3,8}-[А-ЯЁ]{1,4}(?![\p{L}\d])/gu,
  ],
  // German Aktenzeichen: 9 Wx 23/21, 2 O 123/20, 312 Js 12345/21.
  ['a German file number', /(?<![\w/])\d{1,4}\s(?:[A-Z][a-z]{0,2}|[A-Z]{1,3})\s\d{1,6}\/\d{2}(?![\w/])/g],
  // Turkish: 2024/1434 D.İş, 2023/123 Esas.
  ['a Turkish file number', /(?<![\w/])(?:19|20)\d{2}\/\d{1,6}\s(?:D\.\s?İş|Esas|Karar|E\.|K\.)/g],
  // Brazilian CNJ numbers and inquiries: 1234567-89.2020.8.26.0100, INQ 4.781.
  [
    'a Brazilian number',
    /\b\d{7}-\d{2}\.\d{4}\.\d\.\d{2}\.\d{4}\b|\b(?:INQ|Inq\.?|Inquérito|Pet|PET|ADPF|ADI|HC|RE)\s\d{1,3}(?:\.\d{3})+\b/g,
  ],
  // "19 CSW 123", "2021 CR 0042": year, a court's letters, a number (only where a caption or a label says it is one).
  ['a docket of year, letters and number', /(?<![\w])(?:\d{2}|(?:19|20)\d{2})\s[A-Z]{2,4}\s\d{2,6}(?![\w])/g],
];

export function findDocketNumbers(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const [cue, pattern] of DOCKET_SHAPES) {
    for (const match of text.matchAll(pattern)) {
      let written = match[0].replace(/[.,;:/-]+$/, '');
      if (cue === 'a Russian number' && !/\d/.test(written)) continue;
      // "№ 149-ФЗ" names a federal law, not a case.
      if (/ФЗ/.test(written) || /^-?ФЗ/.test(text.slice(match.index + written.length, match.index + written.length + 4))) continue;
      if (
        cue === 'a Korean case number' &&
        /년|월|일|년도|시|분|초|개|명|건|원|회|차|호|조|항/.test(written.replace(/\d/g, '').slice(0, 1))
      )
        continue;
      written = written.trim();
      const repaired = cue === 'a U.S. district docket' ? written.replace(/^[lI]/, '1').replace(/^([0-9])[lI]/, '$11') : written;
      const repairs = repaired === written ? [] : [`"${written}" read as "${repaired}" (OCR: a letter for a digit)`];
      found.push({
        kind: 'case_number',
        value: repaired,
        written,
        start: match.index,
        end: match.index + written.length,
        confidence: repairs.length > 0 ? 0.45 : 0.6,
        cue,
        repairs,
        redacted: false,
      });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** Every candidate in a laid-out notice: identifiers read from its flowed text, so a wrapped line reads as one. */
export function findCandidates(layout: Layout, country: string | undefined): Candidate[] {
  const text = layout.flowed;
  return [
    ...findLinks(text),
    ...findEmails(text),
    ...findIps(text),
    ...findPhones(text, country),
    ...findUserIds(text),
    ...findNames(layout.text, text),
    ...findDocketNumbers(text),
  ].sort((a, b) => a.start - b.start || b.end - a.end);
}

export type { Line };
