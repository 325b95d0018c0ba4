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
  'target' | 'sender_contact' | 'recipient_platform' | 'publisher' | 'placeholder' | 'reference' | 'case_number' | 'overlapped';

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
    const role = decide(candidate, { zones, line, before, targetWords, context });
    const overlapped = role.role !== 'case_number' || candidate.cue !== 'a docket of year, letters and number';
    if (overlapsTaken(candidate.start, candidate.end) && !(candidate.kind === 'emails' && role.role === 'target')) {
      result.push({ ...candidate, zones, role: 'overlapped', reason: 'inside a value already read' });
      continue;
    }
    if (overlapped) taken.push({ start: candidate.start, end: candidate.end });
    result.push({ ...candidate, zones, ...role });
  }
  return result.sort((a, b) => a.start - b.start);
}

function decide(
  candidate: Candidate,
  facts: { zones: readonly ZoneKind[]; line: string; before: string; targetWords: boolean; context: RoleContext },
): { role: Role; reason: string } {
  const { zones, line, before, targetWords, context } = facts;
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
      return { role: 'target', reason: targetWords ? 'named with words for a target' : 'a mail address in the request' };
    }
    case 'urls': {
      const domain = domainOf(candidate.value);
      if (senderOwn(domain)) return { role: 'sender_contact', reason: 'the sender’s own site or a government page' };
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
      const label = CONTACT_LABEL.phone.test(before) || CONTACT_LABEL.fax.test(before);
      if (has('letterhead') && !targetWords) return { role: 'sender_contact', reason: 'a number in the letterhead' };
      if (has('signature') && !TARGET_CONTEXT.test(line)) return { role: 'sender_contact', reason: 'a number in the signature' };
      if (has('addressee') && !targetWords) return { role: 'recipient_platform', reason: 'in the address block' };
      if (CONTACT_LABEL.fax.test(before) && !targetWords) return { role: 'sender_contact', reason: 'a fax number' };
      if (
        /\b(?:call|contact|reach)\s+(?:me|us|the (?:undersigned|officer|investigator))\b|\bmy (?:direct )?(?:line|number|phone)\b/i.test(
          before,
        )
      )
        return { role: 'sender_contact', reason: 'the sender’s number to call' };
      if (!label && /(case|file|ref|no\.|number|#|№|编号|번호)\s*[:：]?\s*$/i.test(before) && !TARGET_CONTEXT.test(line))
        return { role: 'reference', reason: 'a number after a case or file label' };
      return { role: 'target', reason: TARGET_CONTEXT.test(line) ? 'named with words for a target' : 'a phone number in the request' };
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
