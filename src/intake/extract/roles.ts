/**
 * Roles: the third stage. Each candidate gets the part it plays in the notice — a target (what the agency asks
 * about), the sender's own contact, the recipient platform's address, a publisher's or forwarder's mark, a template's
 * placeholder or an example, a reference to rules, a case number — and the reason, from its zone and the words around
 * it. Only target-role values become targets.
 */
import type { SourceSpan } from '../../core/intake.ts';
import { CONTACT_LABEL, GOVERNMENT_HOST, PLACEHOLDER_EMAIL, TARGET_CONTEXT } from '../lexicon.ts';
import type { Candidate } from './candidates.ts';
import { zonesAt, type Layout, type ZoneKind } from './layout.ts';

export type Role =
  | 'target'
  | 'sender_contact'
  | 'recipient_platform'
  | 'publisher'
  | 'placeholder'
  | 'reference'
  | 'case_number'
  | 'overlapped'
  | 'unsupported';

export interface RoledCandidate extends Candidate {
  readonly role: Role;
  readonly reason: string;
  readonly zones: readonly ZoneKind[];
}

export interface RoleContext {
  readonly layout: Layout;
  /** Spans of the sender's labelled contact details (Tel:, Fax:, E-mail: in a letterhead or signature). */
  readonly contactSpans: readonly SourceSpan[];
  readonly contactEmail: string | undefined;
  readonly senderDomain: string | undefined;
}

/** A platform's own mailboxes for legal process: the address a notice is sent to, not one it asks about. */
const PLATFORM_MAILBOX =
  /^(?:legal|law-?enforcement|lawenforcement(?:requests)?|le-?requests?|lers?|subpoenas?|records|custodian|compliance|trust-?and-?safety|trustandsafety|safety|abuse|dmca|copyright|privacy|takedowns?|notices?|legal-?process|legalprocess|government-?requests?)@/i;
/** Links to rules and help pages (terms of service, a policy, a statute's PDF): cited, not targets. */
const REFERENCE_PATH =
  /\/(?:terms|tos|policies|policy|privacy|legal|guidelines|community-guidelines|help|support|faq|docs?|articles?\/[\w-]*(?:terms|policy|guidelines)[\w-]*)(?:[/?#.-]|$)|\.pdf(?:$|[?#])/i;
/** Words just before a value that make it an example or a template's blank. */
const EXAMPLE_BEFORE =
  /(?:e\.g\.|for example|for instance|example|format|such as the form|p\. ?ej\.|por ejemplo|например|예[:：]|예시|例如|例：)\s*[:(]?\s*["“]?$/i;
/** Well-known services: a bare mention of one names the recipient, not a target on it. */
const PLATFORM_HOST =
  /^(?:www\.)?(?:github\.com|gist\.github\.com|github\.io|gitlab\.com|twitter\.com|x\.com|facebook\.com|instagram\.com|youtube\.com|tiktok\.com|telegram\.org|t\.me|reddit\.com|vk\.com|linkedin\.com|google\.com|apple\.com|microsoft\.com|discord\.com|twitch\.tv|mastodon\.social|matrix\.org|weibo\.com|naver\.com|kakao\.com)$/i;
const APP_STORE = /^(?:apps\.apple\.com|play\.google\.com|itunes\.apple\.com|appgallery\.huawei\.com|apps\.microsoft\.com|rustore\.ru)$/i;
/** A line that holds a publisher's or archive's mark, not the notice. */
const WATERMARK_LINE =
  /(?:downloaded|retrieved|printed|archived|available|obtained)\s+(?:from|at|on)\b|^\s*source\s*[:：]|\bpage \d+ of \d+\b|(?:scribd|courtlistener|pacer|documentcloud|archive\.org|lumendatabase)/i;

/**
 * Words that say how to reach the sender (or where to send the answer): a number, mail address or link right after
 * them is the sender's own, whatever zone it sits in — "call the duty officer on", "contact me at", "Tel.:", "문의",
 * "연락처", "电话", "联系", "тел.", "teléfono", "Tél.", "erreichbar unter", "send the records to".
 */
export const CONTACT_CUE =
  /\b(?:call(?:ing)?|ring|dial|contact(?:ing|ed)?|reach(?:ed|able)?|get in touch|speak (?:to|with)|questions?|quer(?:y|ies)|enquir(?:y|ies)|inquir(?:y|ies)|reply|respond|write|send|return|forward|provide (?:it|them|the (?:records|results|data|information|response))|e-?mail (?:me|us|the)|duty (?:officer|sergeant|inspector|desk|line)|night desk|on-?call|hotline|help-?line|switchboard|control room|operations (?:centre|center|room)|portal|submit|upload|website|web site|homepage|more information)\b|\b(?:llam(?:ar|e|en)|comun[ií]quese|comunicarse|contact(?:ar|e|o)|responder|enviar|remitir|appel(?:er|ez)|joindre|anruf(?:en)?|erreichbar|telefonisch|r[üu]ckfragen|ligar|contato|ara(?:y[ıi]n|ma)|irtibat)\b|guardia|de turno|Wache|Kriminalwache|Bereitschaft|permanence|plant[ãa]o|문의|연락처|연락|회신|담당자|상황실|당직|值班|дежурн[а-я]*|当直|联系|聯絡|联络|咨询|回复|致电|звонит[ье]|связ[аи]ться|обращаться|обратитесь|обращайтесь|контактн|お問い合わせ|問い合わせ|連絡先|連絡/gi;

/** Words that make an identifier the one asked about, beyond the lexicon's: "the number", "registered to", a list's. */
const TARGET_CUE = new RegExp(
  `${TARGET_CONTEXT.source}|\\b(?:the|this|that|these|following|said|above|below|listed|same) (?:(?:phone|telephone|mobile|cell|e-?mail) )?(?:numbers?|addresses?|address)\\b|\\b(?:registered|linked|tied|attached|connected|assigned|used)\\b|\\b(?:victim|missing|perpetrator|offender|caller|sender of the (?:messages?|threats?))\\b|asociad[oa]s?|vinculad[oa]s?|registrad[oa]s?|vítima|v[íi]ctima|zugeordnet|verkn[üu]pft|Inhaber|Nutzer|associ[ée]e?s?|titulaire|привязан|зарегистрир|владел|注册|绑定|綁定|涉案|被害|명의|가입된|연결된|대상|登録|利用者|契約者|アカウント|ユーザー|被疑者`,
  'i',
);

const PRIORITY: Record<Candidate['kind'], number> = {
  emails: 0,
  urls: 1,
  ip_addresses: 2,
  user_ids: 3,
  case_number: 4,
  usernames: 5,
  phone_numbers: 6,
};

export function assignRoles(candidates: readonly Candidate[], context: RoleContext): RoledCandidate[] {
  const { layout } = context;
  const text = layout.flowed;
  const taken: SourceSpan[] = [...context.contactSpans];
  const overlapsTaken = (start: number, end: number) => taken.some((span) => start < span.end && end > span.start);
  const ordered = [...candidates].sort((a, b) => PRIORITY[a.kind] - PRIORITY[b.kind] || a.start - b.start);
  const result: RoledCandidate[] = [];
  for (const candidate of ordered) {
    const zones = zonesAt(layout, candidate.start);
    const lineStart = text.lastIndexOf('\n', candidate.start - 1) + 1;
    const lineEndAt = text.indexOf('\n', candidate.end);
    const line = text.slice(lineStart, lineEndAt < 0 ? text.length : lineEndAt);
    // The clause around the value: up to 80 characters before it on its line, and what follows to the clause's end.
    const before = text.slice(Math.max(lineStart, candidate.start - 80), candidate.start).replace(/@$/, '');
    const after = text.slice(candidate.end, Math.min(lineEndAt < 0 ? text.length : lineEndAt, candidate.end + 60));
    const targetWords = TARGET_CONTEXT.test(before) || TARGET_CONTEXT.test(after.split(/[.;。]/)[0] ?? '');
    const evidence = evidenceFor(layout.text, candidate, before, after);
    const role = decide(candidate, { zones, line, before, targetWords, evidence, context });
    const overlapped = role.role !== 'case_number' || candidate.cue !== 'a docket of year, letters and number';
    if (overlapsTaken(candidate.start, candidate.end) && !(candidate.kind === 'emails' && role.role === 'target')) {
      result.push({ ...candidate, zones, role: 'overlapped', reason: 'inside a value already read' });
      continue;
    }
    if (overlapped) taken.push({ start: candidate.start, end: candidate.end });
    result.push({ ...candidate, zones, ...role });
  }
  return listedWithTargets(ownElsewhere(result, context), text).sort((a, b) => a.start - b.start);
}

/**
 * A mail address or number nothing else speaks for, in the same sentence as identifiers taken as targets ("the
 * accounts a, b and the mail id c"), is listed among them: a target.
 */
function listedWithTargets(result: RoledCandidate[], text: string): RoledCandidate[] {
  const sentenceOf = (offset: number) => {
    const start = Math.max(...['. ', '。', '\n\n', '! ', '? '].map((mark) => text.lastIndexOf(mark, offset - 1)));
    const ends = ['. ', '。', '\n\n', '! ', '? '].map((mark) => text.indexOf(mark, offset)).filter((at) => at >= 0);
    return { start: Math.max(0, start), end: ends.length > 0 ? Math.min(...ends) : text.length };
  };
  return result.map((candidate) => {
    if (candidate.role !== 'unsupported') return candidate;
    const { start, end } = sentenceOf(candidate.start);
    const beside = result.some(
      (other) => other !== candidate && other.role === 'target' && other.kind !== 'case_number' && other.start >= start && other.end <= end,
    );
    return beside ? { ...candidate, role: 'target', reason: 'listed with identifiers asked about' } : candidate;
  });
}

/** What the words around a value say about it: is it asked about, or is it how to reach the sender? */
export interface Evidence {
  /** Words for a target in the value's sentence, or the value listed under a heading or line that names targets. */
  readonly target: boolean;
  /** A contact cue ("call … on", "contact", "문의", "联系") closer before the value than any target word. */
  readonly contact: boolean;
  /** A label for a phone or fax ("Tel.:", "전화:", "电话：", "тел.", "Teléfono:") right before the value. */
  readonly label: boolean;
}

export function evidenceFor(text: string, candidate: { start: number; end: number }, before: string, after: string): Evidence {
  // The sentence the value is in: what precedes it back to a full stop, what follows it up to one.
  const unabbreviated = before.replace(
    /\b(Det|Sgt|Insp|Dr|Mr|Mrs|Ms|St|No|Nr|Tel|Ph|Lt|Capt|Cst|Supt|Const|Ofc|Atty|Hon|Jr|Sr|Sra|Lic|Ing|Mag|Ref|e\.g|i\.e)\./gi,
    '$1_',
  );
  const sentence = unabbreviated.split(/(?<=[.!?。！？])\s+(?=\S)/).at(-1) ?? before;
  const afterClause = after.split(/[.;。；!?！？]/)[0] ?? '';
  const lastIndex = (pattern: RegExp, value: string) => {
    let at = -1;
    for (const match of value.matchAll(new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`)))
      at = match.index + match[0].length;
    return at;
  };
  const contactAt = lastIndex(CONTACT_CUE, sentence);
  const targetAt = lastIndex(TARGET_CUE, sentence);
  const label = CONTACT_LABEL.phone.test(before) || CONTACT_LABEL.fax.test(before);
  const contact = contactAt >= 0 && contactAt > targetAt;
  const target = (!contact && targetAt >= 0) || (!contact && TARGET_CUE.test(afterClause)) || listedAsTarget(text, candidate.start);
  return { target, contact, label };
}

/**
 * A value on a list item or a "Label: value" row, in a block (lines without a blank one between) whose earlier
 * lines name targets — "Target identifiers:", "- Usuario: …", "대상 계정" — is listed as a target.
 */
function listedAsTarget(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEnd = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  const head = line.slice(0, offset - lineStart);
  const isItem = /^\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z][.)]|\|)\s*/i.test(line) || /^[^:：]{1,40}[:：]\s*$/.test(head) || /\|/.test(line);
  if (!isItem) return false;
  if (TARGET_CUE.test(head) && !CONTACT_CUE.test(head)) return true;
  let cursor = lineStart - 1;
  for (let steps = 0; steps < 8 && cursor > 0; steps++) {
    const start = text.lastIndexOf('\n', cursor - 1) + 1;
    const previous = text.slice(start, cursor);
    if (previous.trim() === '') return false;
    if (CONTACT_CUE.test(previous) && !TARGET_CUE.test(previous)) return false;
    if (TARGET_CUE.test(previous)) return true;
    cursor = start - 1;
  }
  return false;
}

/** A phone, mail address or link that is the sender's own somewhere in the notice is the sender's everywhere in it. */
function ownElsewhere(result: RoledCandidate[], context: RoleContext): RoledCandidate[] {
  const own = new Set<string>();
  for (const candidate of result) {
    if (candidate.role === 'sender_contact') own.add(`${candidate.kind}:${candidate.value.toLowerCase()}`);
    if (candidate.role === 'overlapped' && context.contactSpans.some((span) => candidate.start >= span.start && candidate.end <= span.end))
      own.add(`${candidate.kind}:${candidate.value.toLowerCase()}`);
  }
  if (context.contactEmail) own.add(`emails:${context.contactEmail.toLowerCase()}`);
  return result.map((candidate) =>
    candidate.role === 'target' &&
    (candidate.kind === 'phone_numbers' || candidate.kind === 'emails' || candidate.kind === 'urls') &&
    own.has(`${candidate.kind}:${candidate.value.toLowerCase()}`)
      ? { ...candidate, role: 'sender_contact', reason: 'the sender’s own, given as such elsewhere in the notice' }
      : candidate,
  );
}

function decide(
  candidate: Candidate,
  facts: { zones: readonly ZoneKind[]; line: string; before: string; targetWords: boolean; evidence: Evidence; context: RoleContext },
): { role: Role; reason: string } {
  const { zones, line, before, targetWords, evidence, context } = facts;
  const { senderDomain } = context;
  const has = (zone: ZoneKind) => zones.includes(zone);
  if (candidate.kind === 'case_number') return { role: 'case_number', reason: candidate.cue };
  if (candidate.repairs.includes('placeholder')) return { role: 'placeholder', reason: 'a template’s placeholder number' };
  if (EXAMPLE_BEFORE.test(before)) return { role: 'placeholder', reason: 'written as an example' };
  if (has('annotation')) return { role: 'publisher', reason: 'in a publisher’s or forwarder’s note' };
  if (WATERMARK_LINE.test(line) && !targetWords) return { role: 'publisher', reason: 'on a publisher’s or archive’s line' };

  const domainOf = (value: string) => {
    if (candidate.kind === 'emails') return value.split('@')[1] ?? '';
    try {
      return new URL(/^https?:\/\//i.test(value) ? value : `http://${value}`).hostname.toLowerCase();
    } catch {
      return '';
    }
  };
  const senderOwn = (domain: string) =>
    GOVERNMENT_HOST.test(domain) || (senderDomain !== undefined && (domain === senderDomain || domain.endsWith(`.${senderDomain}`)));
  const inHeadOrFoot = has('letterhead') || has('signature');

  switch (candidate.kind) {
    case 'emails': {
      if (PLACEHOLDER_EMAIL.test(candidate.value)) return { role: 'placeholder', reason: 'a template’s placeholder address' };
      // "On …, Officer <address> wrote:", "From: …": the earlier message's sender, not a target.
      if (
        /(?:wrote|escribió|a écrit|schrieb|написал[а]?)\s*:\s*$/i.test(line) ||
        /^\s*>?\s*(?:From|De|Von|От|보낸 사람|发件人)\s*:/i.test(line)
      )
        return { role: 'sender_contact', reason: 'the sender of a quoted or forwarded message' };
      const domain = domainOf(candidate.value);
      if ((senderOwn(domain) || candidate.value === context.contactEmail) && !targetWords)
        return { role: 'sender_contact', reason: 'the sender’s own (an official or the sender’s domain)' };
      if (evidence.contact) return { role: 'sender_contact', reason: 'after words for reaching the sender' };
      if (PLATFORM_MAILBOX.test(candidate.value) && !targetWords)
        return { role: 'recipient_platform', reason: 'a platform’s mailbox for legal process' };
      if (has('addressee') && !targetWords) return { role: 'recipient_platform', reason: 'in the address block' };
      if (
        inHeadOrFoot &&
        !targetWords &&
        CONTACT_LABEL.email.test(
          before
            .trimEnd()
            .replace(/[:：]$/, '')
            .trimEnd() + ':',
        )
      )
        return { role: 'sender_contact', reason: 'labelled as the sender’s mail in the letterhead or signature' };
      if (inHeadOrFoot && !targetWords) return { role: 'sender_contact', reason: 'in the letterhead or signature' };
      if (CONTACT_LABEL.email.test(before) && !evidence.target)
        return { role: 'sender_contact', reason: 'a labelled mail address with no word for a target' };
      if (evidence.target || targetWords) return { role: 'target', reason: 'named with words for a target' };
      return { role: 'unsupported', reason: 'no word says it is asked about (when in doubt, not a target)' };
    }
    case 'urls': {
      const domain = domainOf(candidate.value);
      if (senderOwn(domain)) return { role: 'sender_contact', reason: 'the sender’s own site or a government page' };
      if (evidence.contact && !targetWords)
        return { role: 'sender_contact', reason: 'the sender’s site or portal, after words for reaching it' };
      if (REFERENCE_PATH.test(candidate.value) && (!targetWords || /terms|polic|guidelines|\.pdf/i.test(candidate.value)))
        return { role: 'reference', reason: 'a link to rules, help or a document' };
      // The platform's own address with nothing after it names the service, not an account on it.
      if (/^(?:https?:\/\/)?(?:www\.)?[^/]+\/?$/i.test(candidate.value) && PLATFORM_HOST.test(domain) && !targetWords)
        return { role: 'recipient_platform', reason: 'the platform’s own address, naming the service' };
      // In a letterhead or signature, the sender's site, a labelled link or an app-store link are the sender's; a
      // link to someone's page there is still a target (a signature block can hold a list).
      if (
        inHeadOrFoot &&
        !targetWords &&
        (/^(?:https?:\/\/)?[^/]+\/?$/i.test(candidate.value) ||
          /(?:web|site|website|url|homepage|internet|сайт|网址|网站|홈페이지|sitio)\s*[:：]?\s*$/i.test(before) ||
          APP_STORE.test(domain))
      )
        return { role: 'sender_contact', reason: 'the sender’s site or app in the letterhead or signature' };
      if (APP_STORE.test(domain) && !targetWords)
        return { role: 'reference', reason: 'an app-store link (the sender’s app, not a target)' };
      if (has('addressee') && !targetWords) return { role: 'recipient_platform', reason: 'in the address block' };
      return {
        role: 'target',
        reason: candidate.repairs.length > 0 ? `a link (${candidate.repairs.join('; ')})` : 'a link in the request',
      };
    }
    case 'phone_numbers': {
      // A number is a target only when words say it is asked about; the sender's number when it sits where a sender
      // puts theirs or follows words for reaching them. When nothing says which, it is not a target.
      if (has('letterhead') && !targetWords) return { role: 'sender_contact', reason: 'a number in the letterhead' };
      if (has('signature') && !TARGET_CONTEXT.test(line)) return { role: 'sender_contact', reason: 'a number in the signature' };
      if (has('addressee') && !targetWords) return { role: 'recipient_platform', reason: 'in the address block' };
      if (evidence.contact) return { role: 'sender_contact', reason: 'after words for reaching the sender' };
      if (CONTACT_LABEL.fax.test(before) && !evidence.target) return { role: 'sender_contact', reason: 'a fax number' };
      if (evidence.label && !evidence.target) return { role: 'sender_contact', reason: 'a labelled number with no word for a target' };
      if (!evidence.label && /(case|file|ref|no\.|number|#|№|编号|번호)\s*[:：]?\s*$/i.test(before) && !TARGET_CONTEXT.test(line))
        return { role: 'reference', reason: 'a number after a case or file label' };
      if (evidence.target || targetWords) return { role: 'target', reason: 'named with words for a target' };
      return { role: 'unsupported', reason: 'no word says it is asked about (when in doubt, not a target)' };
    }
    case 'usernames': {
      if (inHeadOrFoot && !targetWords) return { role: 'sender_contact', reason: 'a handle in the letterhead or signature' };
      if (has('addressee')) return { role: 'recipient_platform', reason: 'in the address block' };
      return { role: 'target', reason: candidate.cue };
    }
    case 'ip_addresses':
    case 'user_ids':
      if (inHeadOrFoot && !targetWords) return { role: 'sender_contact', reason: 'in the letterhead or signature' };
      return { role: 'target', reason: candidate.cue };
  }
}
