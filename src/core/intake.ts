/**
 * Email intake, the pure part: what a stored message is, the marks it can carry, its header block, whether it was
 * written by a machine (never acknowledged), what the receiving server said about its sender (Authentication-Results,
 * RFC 8601), how far Writ trusts that sender, and the fields a draft request is made of. No I/O here: the reading of
 * MIME and PDFs and the extraction of fields are adapters (`src/intake/`) behind the ports at the end of this file.
 */
import { domainOf, looksLike } from './anomalies.ts';
import type { Page } from './pagination.ts';
import type { RequestKind } from './request.ts';

/** Marks a message can carry: what was wrong with it or unusual about it. Each is shown to the desk. */
export const INTAKE_FLAGS = [
  /** The MIME structure could not be parsed; the raw bytes are kept and the text is what could be read. */
  'MALFORMED_MIME',
  /** Lines ended in a carriage return alone (old Mac style); read as if they ended in CRLF. */
  'CR_LINE_ENDINGS',
  /** No text in the body or in any attachment. */
  'EMPTY_BODY',
  /** A declared character set is unknown, or the bytes did not decode in it. */
  'CHARSET_PROBLEM',
  /** UTF-8 text that had been decoded as Windows-1252 ("ï¼Œ" for "，") was repaired before reading. */
  'MOJIBAKE_REPAIRED',
  /** Only an HTML body: its text was read from the HTML. */
  'HTML_ONLY',
  /** The whole message is larger than Writ reads: kept, its headers read, the rest for a person to open. */
  'TOO_LARGE_TO_READ',
  /** An attachment larger than Writ reads: kept in the raw message, not read. */
  'ATTACHMENT_TOO_LARGE',
  /** Messages inside messages deeper than Writ follows. */
  'NESTED_TOO_DEEP',
  /** An archive whose contents would unpack to far more than it weighs (a decompression bomb): never unpacked. */
  'ARCHIVE_BOMB',
  /** An archive attachment: listed, not unpacked. */
  'ARCHIVE_NOT_READ',
  /**
   * A page OCR could not read (too little text, or confidence below WRIT_OCR_MIN_CONFIDENCE), an encrypted or broken
   * PDF, or a scan when OCR is off: kept, listed page by page, for a person to read.
   */
  'NEEDS_MANUAL_READING',
  /** Some text was read by OCR from a scan or an image: check the values taken from it against the page. */
  'OCR_READ',
  /** A scan or an image came, but OCR is unavailable here (tesseract or pdftoppm missing, or WRIT_OCR=off). */
  'OCR_UNAVAILABLE',
  /** An automatic reply (out of office, Auto-Submitted, ...): stored, never acknowledged. */
  'AUTO_REPLY',
  /** A delivery failure report (bounce): stored, never acknowledged. */
  'BOUNCE',
  /** One of Writ's own acknowledgements came back: stored, never acknowledged. */
  'OWN_ACKNOWLEDGEMENT',
  /** The message passed through too many servers, or carries Writ's own loop mark: stored, never acknowledged. */
  'MAIL_LOOP',
  /** Mail from a list or a bulk sender: stored, never acknowledged. */
  'BULK',
  /** The same Message-ID as a message stored earlier, with other bytes. */
  'DUPLICATE_MESSAGE_ID',
  /** It quotes a tracking number or thread of a request its sender is not known to belong to. */
  'THREAD_SENDER_MISMATCH',
  /**
   * A follow-up not trusted enough to change its thread: unauthenticated, or less trusted than the messages its draft
   * or request was made of. It is attached apart and changes nothing; the desk accepts its fields one by one.
   */
  'THREAD_TRUST_DOWNGRADE',
  /** The sender had too many acknowledgements in the last hour; this one was not acknowledged. */
  'ACKNOWLEDGEMENT_LIMIT',
  /** Reading failed unexpectedly; the raw message is kept for a person. */
  'READ_FAILED',
] as const;
export type IntakeFlag = (typeof INTAKE_FLAGS)[number];

export const INTAKE_SOURCES = ['imap', 'import'] as const;
export type IntakeSource = (typeof INTAKE_SOURCES)[number];

export const INTAKE_MESSAGE_STATUSES = ['received', 'processed', 'duplicate'] as const;
export type IntakeMessageStatus = (typeof INTAKE_MESSAGE_STATUSES)[number];

export const DRAFT_STATUSES = ['open', 'confirmed', 'discarded'] as const;
export type DraftStatus = (typeof DRAFT_STATUSES)[number];

// ---------------------------------------------------------------------------------------------------------------
// Headers

/** A header block: names in lower case, each with its values in order (top first), unfolded. */
export type HeaderMap = ReadonlyMap<string, readonly string[]>;

/** The header block at the start of a message (up to the first empty line), tolerant of CR, LF or CRLF endings. */
export function parseHeaderBlock(bytes: Uint8Array): HeaderMap {
  const text = Buffer.from(bytes.subarray(0, 262_144)).toString('latin1');
  const end = /\r\n\r\n|\n\n|\r\r/.exec(text);
  const block = end ? text.slice(0, end.index) : text;
  const lines = block.split(/\r\n|\n|\r/);
  const headers = new Map<string, string[]>();
  let current: { name: string; value: string } | undefined;
  const flush = () => {
    if (!current) return;
    const list = headers.get(current.name) ?? [];
    list.push(current.value.trim());
    headers.set(current.name, list);
  };
  for (const line of lines) {
    if (/^[ \t]/.test(line) && current) {
      current.value += ` ${line.trim()}`;
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    current = colon > 0 ? { name: line.slice(0, colon).trim().toLowerCase(), value: line.slice(colon + 1) } : undefined;
  }
  flush();
  return headers;
}

export const firstHeader = (headers: HeaderMap, name: string): string | undefined => headers.get(name)?.[0];

/** Message-IDs in a header value (`<a@b> <c@d>`), without the angle brackets, lower-cased on the right of the @. */
export function messageIdsIn(value: string | undefined): string[] {
  if (!value) return [];
  const ids = [...value.matchAll(/<([^<>\s]{1,400})>/g)].map((match) => match[1]!);
  const list = ids.length > 0 ? ids : value.split(/\s+/).filter((token) => token.includes('@'));
  return list.map((id) => {
    const at = id.lastIndexOf('@');
    return at > 0 ? `${id.slice(0, at)}@${id.slice(at + 1).toLowerCase()}` : id;
  });
}

/** The address in a From-like header value, lower case; undefined when there is none. */
export function addressIn(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const angled = /<([^<>\s@]+@[^<>\s@]+)>/.exec(value);
  const bare = /([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})/.exec(value);
  const address = angled?.[1] ?? bare?.[1];
  return address?.toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------------
// Machine-written mail: never acknowledged (RFC 3834), so two auto-responders cannot answer each other for ever.

/** The header Writ puts on its own acknowledgements, with the tracking number; a message carrying it is one of ours. */
export const ACKNOWLEDGEMENT_HEADER = 'x-writ-acknowledgement';
/** The loop mark Writ puts on what it sends (the X-Loop convention). */
export const LOOP_HEADER = 'x-loop';
const MAX_HOPS = 30;

/**
 * Why a message must not be acknowledged, or undefined when it may be: an automatic reply, a bounce, bulk mail,
 * one of Writ's own acknowledgements, or a loop. `ownAddresses` are the addresses Writ sends from and reads.
 */
export function automaticMail(
  headers: HeaderMap,
  ownAddresses: readonly string[],
): 'OWN_ACKNOWLEDGEMENT' | 'MAIL_LOOP' | 'BOUNCE' | 'AUTO_REPLY' | 'BULK' | undefined {
  const own = new Set(ownAddresses.map((address) => address.toLowerCase()));
  const from = addressIn(firstHeader(headers, 'from'));
  if (headers.has(ACKNOWLEDGEMENT_HEADER)) return 'OWN_ACKNOWLEDGEMENT';
  if ((headers.get(LOOP_HEADER) ?? []).some((value) => own.has(addressIn(value) ?? value.trim().toLowerCase()))) return 'MAIL_LOOP';
  if (from && own.has(from)) return 'MAIL_LOOP';
  if ((headers.get('received')?.length ?? 0) > MAX_HOPS) return 'MAIL_LOOP';
  const contentType = firstHeader(headers, 'content-type') ?? '';
  const returnPath = firstHeader(headers, 'return-path');
  if (
    /multipart\/report/i.test(contentType) ||
    (returnPath !== undefined && /^<\s*>$/.test(returnPath.trim())) ||
    (from !== undefined && /^(mailer-daemon|postmaster)@/i.test(from))
  ) {
    return 'BOUNCE';
  }
  const autoSubmitted = firstHeader(headers, 'auto-submitted');
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) return 'AUTO_REPLY';
  if (headers.has('x-autoreply') || headers.has('x-autorespond') || headers.has('x-auto-response-suppress')) return 'AUTO_REPLY';
  const precedence = firstHeader(headers, 'precedence');
  if (precedence && /^(auto_reply)$/i.test(precedence.trim())) return 'AUTO_REPLY';
  if (precedence && /^(bulk|junk|list)$/i.test(precedence.trim())) return 'BULK';
  if (headers.has('list-id') || headers.has('list-unsubscribe')) return 'BULK';
  const subject = firstHeader(headers, 'subject') ?? '';
  if (
    /^(auto(matic)?[ -]?reply|out of (the )?office|abwesenheit|réponse automatique|respuesta automática|автоответ|자동\s*응답|自动回复)/i.test(
      subject,
    )
  ) {
    return 'AUTO_REPLY';
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Sender authentication: what the receiving server found (RFC 8601 Authentication-Results)

export type AuthResult = 'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'temperror' | 'permerror' | 'policy';

export interface SenderAuthentication {
  /** The authserv-id of the header that was believed, or undefined when none came from a trusted server. */
  readonly authservId: string | undefined;
  readonly spf: AuthResult | undefined;
  readonly dkim: AuthResult | undefined;
  readonly dmarc: AuthResult | undefined;
  /** The From domain is authenticated: DMARC passed, or DKIM or SPF passed for the From domain itself. */
  readonly aligned: boolean;
}

const RESULT_WORDS = new Set(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror', 'policy', 'hardfail']);

/** One Authentication-Results value: its authserv-id and each method's result with its properties. */
export function parseAuthenticationResults(value: string): {
  authservId: string;
  results: Array<{ method: string; result: AuthResult; properties: Record<string, string> }>;
} {
  const withoutComments = value.replace(/\([^()]*\)/g, ' ');
  const [head = '', ...parts] = withoutComments.split(';');
  const authservId = head.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const results = [];
  for (const part of parts) {
    const match = /^\s*([a-z0-9-]+)\s*=\s*([a-z]+)\b(.*)$/is.exec(part);
    if (!match) continue;
    const method = match[1]!.toLowerCase();
    let result = match[2]!.toLowerCase();
    if (!RESULT_WORDS.has(result)) continue;
    if (result === 'hardfail') result = 'fail';
    const properties: Record<string, string> = {};
    for (const property of match[3]!.matchAll(/([a-z]+\.[a-z0-9-]+)\s*=\s*("[^"]*"|[^\s;]+)/gi)) {
      properties[property[1]!.toLowerCase()] = property[2]!.replace(/^"|"$/g, '').toLowerCase();
    }
    results.push({ method, result: result as AuthResult, properties });
  }
  return { authservId, results };
}

const sameOrganisationalDomain = (a: string, b: string) => a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);

/**
 * What the receiving server said about the sender. Only an Authentication-Results header whose authserv-id is one of
 * `trustedIds` (the receiving server's own, WRIT_IMAP_AUTHSERV_ID) counts, and of those only the topmost: anything
 * below it, or under another id, the sender could have written. With no trusted id configured nothing is believed.
 */
export function senderAuthentication(
  headers: HeaderMap,
  trustedIds: readonly string[],
  fromAddress: string | undefined,
): SenderAuthentication {
  const trusted = new Set(trustedIds.map((id) => id.toLowerCase()));
  const headerValues = headers.get('authentication-results') ?? [];
  const parsed = headerValues.map(parseAuthenticationResults).find((entry) => trusted.has(entry.authservId));
  if (!parsed) return { authservId: undefined, spf: undefined, dkim: undefined, dmarc: undefined, aligned: false };
  const fromDomain = fromAddress ? domainOf(fromAddress) : '';
  const first = (method: string) => parsed.results.find((entry) => entry.method === method);
  const dkimAligned = parsed.results.some(
    (entry) =>
      entry.method === 'dkim' &&
      entry.result === 'pass' &&
      sameOrganisationalDomain(entry.properties['header.d'] ?? entry.properties['header.i']?.split('@').at(-1) ?? '', fromDomain),
  );
  const spf = first('spf');
  const spfDomain = spf?.properties['smtp.mailfrom']?.split('@').at(-1) ?? '';
  const spfAligned = spf?.result === 'pass' && spfDomain !== '' && sameOrganisationalDomain(spfDomain, fromDomain);
  const dmarc = first('dmarc');
  const dmarcFor = dmarc?.properties['header.from'];
  const dmarcAligned = dmarc?.result === 'pass' && (dmarcFor === undefined || sameOrganisationalDomain(dmarcFor, fromDomain));
  return {
    authservId: parsed.authservId,
    spf: spf?.result,
    dkim: first('dkim')?.result,
    dmarc: dmarc?.result,
    aligned: fromDomain !== '' && dmarc?.result !== 'fail' && (dmarcAligned || dkimAligned || spfAligned),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Sender trust

/**
 * How far Writ trusts who a message says it is from:
 * - `verified_officer`: authenticated From at an official domain of a verified agency, and an active officer's address;
 * - `agency_domain`: authenticated From at an official domain of a verified agency, but no active account;
 * - `unverified`: not authenticated, or at a domain the directory does not list;
 * - `suspicious`: imitates an official domain, fails authentication for one, or the agency is suspended or blocklisted.
 * Only `verified_officer` gets a link to its request; nobody gets data by email.
 */
export const TRUST_LEVELS = ['verified_officer', 'agency_domain', 'unverified', 'suspicious'] as const;
export type TrustLevel = (typeof TRUST_LEVELS)[number];

export interface SenderTrust {
  readonly level: TrustLevel;
  readonly fromAddress: string | null;
  readonly authentication: SenderAuthentication;
  /** The agency whose official domain the address is at (not a proof it sent it: see `level`). */
  readonly agencyId: string | null;
  readonly agencyName: string | null;
  /** The active officer whose address it is, when the level is `verified_officer`. */
  readonly officerId: string | null;
  readonly reasons: readonly string[];
}

export interface DirectoryAgency {
  readonly id: string;
  readonly name: string;
  readonly emailDomains: readonly string[];
  readonly verificationStatus: string;
}

/** How far each level is trusted, highest first: a follow-up may change only a thread trusted no more than itself. */
const TRUST_RANK: Readonly<Record<TrustLevel, number>> = { verified_officer: 3, agency_domain: 2, unverified: 1, suspicious: 0 };

/** The highest of these levels (`unverified` for none). */
export function highestTrust(levels: ReadonlyArray<TrustLevel>): TrustLevel {
  return levels.reduce<TrustLevel>((best, level) => (TRUST_RANK[level] > TRUST_RANK[best] ? level : best), 'unverified');
}

/**
 * Whether a follow-up may change the draft of its thread on its own: only when its sender was authenticated (a From
 * alone proves nothing: with no trusted authserv-id every sender is `unverified`) and it is trusted at least as far
 * as the messages the thread was made of. Anything else is held apart for the desk, field by field.
 */
export function mayChangeThread(followUp: TrustLevel, thread: TrustLevel): boolean {
  const authenticated = followUp === 'verified_officer' || followUp === 'agency_domain';
  return authenticated && TRUST_RANK[followUp] >= TRUST_RANK[thread];
}

const withinDomain = (domain: string, official: string) => domain === official || domain.endsWith(`.${official}`);

/** Judges a sender from the receiving server's verdict, the agency directory and the accounts Writ holds. */
export function assessSender(input: {
  readonly fromAddress: string | undefined;
  readonly authentication: SenderAuthentication;
  readonly agencies: readonly DirectoryAgency[];
  /** The account with this address, if any. */
  readonly account:
    { readonly id: string; readonly organisationId: string; readonly status: string; readonly isOfficer: boolean } | undefined;
}): SenderTrust {
  const { fromAddress, authentication } = input;
  const base = { fromAddress: fromAddress ?? null, authentication };
  if (!fromAddress) {
    return {
      ...base,
      level: 'unverified',
      agencyId: null,
      agencyName: null,
      officerId: null,
      reasons: ['The message names no sender address.'],
    };
  }
  const domain = domainOf(fromAddress);
  const agency = input.agencies.find((entry) => entry.emailDomains.some((official) => withinDomain(domain, official)));
  const reasons: string[] = [];
  const auth = authentication.authservId
    ? `the receiving server (${authentication.authservId}) found spf=${authentication.spf ?? 'none'}, dkim=${authentication.dkim ?? 'none'}, dmarc=${authentication.dmarc ?? 'none'}`
    : 'no authentication results from the receiving server were trusted';
  if (!agency) {
    const imitated = input.agencies.flatMap((entry) => entry.emailDomains).find((official) => looksLike(domain, official));
    if (imitated) {
      return {
        ...base,
        level: 'suspicious',
        agencyId: null,
        agencyName: null,
        officerId: null,
        reasons: [`The sender's domain ${domain} looks like the official ${imitated}.`, `Authentication: ${auth}.`],
      };
    }
    return {
      ...base,
      level: 'unverified',
      agencyId: null,
      agencyName: null,
      officerId: null,
      reasons: [`The sender's domain ${domain} is not an official domain of any agency in the directory.`, `Authentication: ${auth}.`],
    };
  }
  const named = { agencyId: agency.id, agencyName: agency.name };
  if (agency.verificationStatus === 'suspended' || agency.verificationStatus === 'blocklisted') {
    return {
      ...base,
      ...named,
      level: 'suspicious',
      officerId: null,
      reasons: [`The agency is ${agency.verificationStatus} in the directory.`],
    };
  }
  if (authentication.dmarc === 'fail' || (authentication.authservId && !authentication.aligned && authentication.dkim === 'fail')) {
    return {
      ...base,
      ...named,
      level: 'suspicious',
      officerId: null,
      reasons: [`The address is at an official domain of ${agency.name}, but authentication failed: ${auth}. It may be forged.`],
    };
  }
  if (!authentication.aligned) {
    reasons.push(`The address is at an official domain of ${agency.name}, but it is not authenticated: ${auth}.`);
    return { ...base, ...named, level: 'unverified', officerId: null, reasons };
  }
  if (agency.verificationStatus !== 'verified') {
    return {
      ...base,
      ...named,
      level: 'unverified',
      officerId: null,
      reasons: [`The agency is ${agency.verificationStatus} in the directory.`],
    };
  }
  const account = input.account;
  if (account && account.organisationId === agency.id && account.status === 'active' && account.isOfficer) {
    return {
      ...base,
      ...named,
      level: 'verified_officer',
      officerId: account.id,
      reasons: [`Authenticated (${auth}); an active officer of ${agency.name}.`],
    };
  }
  return {
    ...base,
    ...named,
    level: 'agency_domain',
    officerId: null,
    reasons: [`Authenticated at an official domain of ${agency.name} (${auth}), but the address has no active officer account.`],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Draft fields: what extraction finds, each with where it found it and how sure it is

/** Where in the message's reading text (subject, body, then attachment text) a value was found: [start, end). */
export interface SourceSpan {
  readonly start: number;
  readonly end: number;
}

export interface ExtractedValue<T> {
  readonly value: T;
  /** Absent for values inferred rather than read (a country from a phone prefix, say). */
  readonly span: SourceSpan | null;
  /** 0..1: how sure the extractor is. The desk confirms everything; this orders what to check first. */
  readonly confidence: number;
  /**
   * The message it was read from when that is not the draft's first: an authenticated follow-up merged in, or a field
   * the desk accepted from a follow-up held apart. Its span indexes into that message's reading.
   */
  readonly messageId?: string | undefined;
  /** What the text wrote, when the value is read differently (a defanged link, a letter O read as a zero). */
  readonly written?: string;
  /** What was changed from what was written, and why: shown to the desk, never applied silently. */
  readonly note?: string;
}

export const TARGET_KINDS = ['usernames', 'emails', 'phone_numbers', 'urls', 'user_ids', 'ip_addresses'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export const INTAKE_KINDS = ['disclosure', 'preservation', 'emergency', 'removal'] as const satisfies readonly RequestKind[];
export type IntakeKind = (typeof INTAKE_KINDS)[number];

/** The fields of a draft request. A missing scalar is null; a list may be empty. */
export interface DraftFields {
  readonly language: string;
  readonly kind: ExtractedValue<IntakeKind> | null;
  readonly requestingAgency: ExtractedValue<string> | null;
  readonly requestingUnit: ExtractedValue<string> | null;
  readonly officerName: ExtractedValue<string> | null;
  readonly officerTitle: ExtractedValue<string> | null;
  readonly contactEmail: ExtractedValue<string> | null;
  readonly contactPhone: ExtractedValue<string> | null;
  readonly contactAddress: ExtractedValue<string> | null;
  readonly caseNumber: ExtractedValue<string> | null;
  readonly referenceNumbers: ReadonlyArray<ExtractedValue<string>>;
  readonly legalBasis: ReadonlyArray<ExtractedValue<string>>;
  readonly instrumentType: ExtractedValue<string> | null;
  readonly jurisdictionCountry: ExtractedValue<string> | null;
  readonly jurisdictionSubdivision: ExtractedValue<string> | null;
  readonly court: ExtractedValue<string> | null;
  readonly targets: { readonly [K in TargetKind]: ReadonlyArray<ExtractedValue<string>> };
  /** An IP address with the time it was used, as the agency wrote both. */
  readonly ipTimes: ReadonlyArray<ExtractedValue<{ ip: string; time: string }>>;
  readonly dateRange: ExtractedValue<{ start: string | null; end: string | null }> | null;
  readonly dataCategories: ReadonlyArray<ExtractedValue<string>>;
  readonly isEmergency: ExtractedValue<boolean>;
  readonly urgencyClaimed: ExtractedValue<boolean>;
  readonly requestDate: ExtractedValue<string> | null;
  readonly deadline: ExtractedValue<string> | null;
  readonly nonDisclosure: ExtractedValue<boolean> | null;
  /** Tracking numbers the text quotes (a follow-up). */
  readonly quotedTrackingNumbers: readonly string[];
  /** Facts for the legal review, where the notice states them: the offence under investigation. */
  readonly offence?: ExtractedValue<string> | null;
  /** The notice renews or extends an earlier order or preservation (its period runs on from the first). */
  readonly isRenewal?: ExtractedValue<boolean> | null;
}

/** Tracking numbers quoted in a text: `WR-2026-000042`. */
export const trackingNumbersIn = (text: string): string[] => [
  ...new Set([...text.matchAll(/\bWR-\d{4}-\d{6,}\b/g)].map((match) => match[0])),
];

// ---------------------------------------------------------------------------------------------------------------
// Records and ports

export interface IntakeAttachment {
  readonly fileName: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
  /** Characters of text read from it (0 for none). */
  readonly textCharacters: number;
  readonly needsManualReading: boolean;
  readonly note: string | null;
  /**
   * A PDF or an image: a legal-process document of the draft, its bytes kept in the file store under `sha256`, and
   * attached to the request when the desk confirms the draft.
   */
  readonly document?: boolean;
  /** A document's pages, each read from its text layer or by OCR, or marked for a person to read; never dropped. */
  readonly pages?: readonly DocumentPage[];
}

/** One page of a document as read. */
export interface DocumentPage {
  /** 1-based. */
  readonly page: number;
  /** text_layer: the PDF's own text; ocr: recognised from the page's image; none: nothing could be read. */
  readonly source: 'text_layer' | 'ocr' | 'none';
  readonly characters: number;
  /** OCR's mean word confidence, 0..1 (null for a text layer, or when nothing was recognised). */
  readonly confidence: number | null;
  readonly needsManualReading: boolean;
  readonly note: string | null;
}

/**
 * Where a stretch [start, end) of the reading text came from: the message itself (`attachment` null: subject, body,
 * forwarded messages, text attachments) or page `page` of the document `attachments[attachment]`.
 */
export interface ReadingSegment {
  readonly start: number;
  readonly end: number;
  readonly attachment: number | null;
  readonly page: number | null;
}

/**
 * The segment a span of the reading text lies in (the one holding its start), or undefined when the reading has
 * no segments (a message read before they were kept) or the span lies outside them.
 */
export function segmentOf(segments: readonly ReadingSegment[], span: SourceSpan): ReadingSegment | undefined {
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const segment = segments[middle]!;
    if (span.start < segment.start) high = middle - 1;
    else if (span.start >= segment.end) low = middle + 1;
    else return segment;
  }
  return undefined;
}

/** A message as read: headers that matter, the reading text fields are found in, attachments and marks. */
export interface ReadMessage {
  readonly fromAddress: string | undefined;
  readonly fromName: string | undefined;
  readonly to: readonly string[];
  readonly subject: string;
  readonly sentAt: string | undefined;
  /** Subject, body text, then the text of each attachment, each part under a heading: spans index into it. */
  readonly reading: string;
  readonly attachments: readonly IntakeAttachment[];
  readonly flags: readonly IntakeFlag[];
  /** Where each stretch of `reading` came from, in order, without gaps between the parts read. */
  readonly segments?: readonly ReadingSegment[];
  /** The bytes of each attachment that is a document (`attachments[attachment].document`), to keep in the file store. */
  readonly documents?: ReadonlyArray<{ readonly attachment: number; readonly bytes: Uint8Array }>;
}

/** Reads a raw message: MIME, character sets, HTML, PDFs, nested messages, archives. Never throws. */
export interface MessageReader {
  read(raw: Uint8Array): Promise<ReadMessage>;
}

/** Finds the fields of a draft request in a message's reading text. Never throws. */
export interface FieldExtractor {
  extract(
    reading: string,
    hints: { readonly sentAt?: string | undefined; readonly senderDomain?: string | undefined },
  ): Promise<DraftFields>;
}

export interface IntakeMessageRecord {
  readonly id: string;
  readonly sha256: string;
  readonly size: number;
  readonly messageId: string | null;
  readonly duplicateOf: string | null;
  readonly source: IntakeSource;
  readonly sourceRef: string | null;
  readonly receivedAt: string;
  readonly status: IntakeMessageStatus;
  readonly fromAddress: string | null;
  readonly fromName: string | null;
  readonly subject: string | null;
  readonly sentAt: string | null;
  readonly inReplyTo: string | null;
  readonly referenceIds: readonly string[];
  readonly flags: readonly IntakeFlag[];
  readonly trust: SenderTrust | null;
  readonly reading: string | null;
  /** Where each stretch of `reading` came from: the message, or a page of one of its documents. */
  readonly readingSegments: readonly ReadingSegment[];
  readonly attachments: readonly IntakeAttachment[];
  readonly fields: DraftFields | null;
  readonly draftId: string | null;
  readonly requestId: string | null;
  readonly processedAt: string | null;
  readonly acknowledgement: { readonly state: 'sending' | 'sent'; readonly kind: string; readonly at: string } | null;
}

/** The desk's corrections: any field, as it should be (null to clear it). Lists replace the extracted list. */
export type DraftCorrections = Readonly<Record<string, unknown>>;

export interface DraftRecord {
  readonly id: string;
  readonly trackingNumber: string;
  readonly firstMessageId: string;
  readonly status: DraftStatus;
  readonly version: number;
  readonly fields: DraftFields;
  readonly corrections: DraftCorrections;
  readonly agencyId: string | null;
  readonly requestId: string | null;
  readonly discardReason: string | null;
  readonly closedBy: string | null;
  readonly closedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface IntakeRepository {
  /**
   * Stores a message once: by its bytes' SHA-256 (the same bytes again return the first row, `created: false`); a new
   * message whose Message-ID is already stored is kept as a duplicate of the first.
   */
  insertMessage(message: {
    sha256: string;
    size: number;
    messageId: string | null;
    source: IntakeSource;
    sourceRef: string | null;
    fromAddress: string | null;
    subject: string | null;
    inReplyTo: string | null;
    referenceIds: readonly string[];
  }): Promise<{ record: IntakeMessageRecord; created: boolean }>;
  findMessage(id: string): Promise<IntakeMessageRecord | undefined>;
  listMessages(query: {
    status?: IntakeMessageStatus | undefined;
    draftId?: string | undefined;
    requestId?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<IntakeMessageRecord>>;
  /** Records what reading found; only a message still `received` is changed (false otherwise). */
  completeMessage(
    id: string,
    result: {
      fromAddress: string | null;
      fromName: string | null;
      subject: string | null;
      sentAt: string | null;
      flags: readonly IntakeFlag[];
      trust: SenderTrust;
      reading: string;
      readingSegments: readonly ReadingSegment[];
      attachments: readonly IntakeAttachment[];
      fields: DraftFields;
      draftId: string | null;
      requestId: string | null;
      at: Date;
    },
  ): Promise<boolean>;
  addFlag(id: string, flag: IntakeFlag): Promise<void>;
  /** Messages stored with any of these Message-IDs, with the draft or request they belong to. */
  findByMessageIds(ids: readonly string[]): Promise<Array<Pick<IntakeMessageRecord, 'id' | 'fromAddress' | 'draftId' | 'requestId'>>>;
  /** Senders of the messages of a draft or a request (to tell whether a follow-up's sender belongs to it). */
  sendersOf(thread: { draftId?: string | undefined; requestId?: string | undefined }): Promise<string[]>;
  insertDraft(draft: {
    trackingNumber: string;
    firstMessageId: string;
    fields: DraftFields;
    agencyId: string | null;
  }): Promise<DraftRecord>;
  findDraft(reference: string): Promise<DraftRecord | undefined>;
  listDrafts(query: { status?: DraftStatus | undefined; limit: number; cursor?: string | undefined }): Promise<Page<DraftRecord>>;
  /** Guarded: changes an open draft at `version` only; false when it changed meanwhile or is closed. */
  updateDraft(
    id: string,
    version: number,
    change: {
      fields?: DraftFields;
      corrections?: DraftCorrections;
      status?: DraftStatus;
      requestId?: string | null;
      discardReason?: string | null;
      closedBy?: string | null;
      at: Date;
    },
  ): Promise<boolean>;
  /** Links every message of a draft to the request it became. */
  linkDraftMessages(draftId: string, requestId: string): Promise<void>;
  /**
   * Claims the one acknowledgement of a message: false when it was claimed before (sent, or being sent). The count
   * of acknowledgements to the same address since `since` comes back so a caller can refuse past a limit.
   */
  claimAcknowledgement(claim: {
    messageId: string;
    recipient: string;
    kind: string;
    at: Date;
    since: Date;
  }): Promise<{ claimed: boolean; recentToRecipient: number }>;
  /** The send failed before the server took it: the claim is given back so a retry may send. */
  releaseAcknowledgement(messageId: string): Promise<void>;
  acknowledgementSent(messageId: string, at: Date): Promise<void>;
  /**
   * Claims the one mail telling a confirmed draft's sender its tracking number: false when it was claimed before
   * (sent, being sent, or withheld), so a retried job never mails twice.
   */
  claimConfirmationMail(claim: { draftId: string; recipient: string; at: Date }): Promise<boolean>;
  /** The send failed before the server took it: the claim is given back so a retry may send. */
  releaseConfirmationMail(draftId: string): Promise<void>;
  /** `sent`, or `withheld` with why (the trust rules hold the sender): either way it is never sent after. */
  finishConfirmationMail(draftId: string, outcome: { state: 'sent' | 'withheld'; reason?: string | undefined; at: Date }): Promise<void>;
  /** Where the confirmation mail of a draft stands, if it was ever claimed. */
  confirmationMail(
    draftId: string,
  ): Promise<{ readonly state: 'sending' | 'sent' | 'withheld'; readonly reason: string | null; readonly at: string } | undefined>;
  /** The last UID read from a mailbox, for its UIDVALIDITY (none when the mailbox was renumbered). */
  mailboxPosition(mailbox: string, uidValidity: string): Promise<number>;
  setMailboxPosition(mailbox: string, uidValidity: string, lastUid: number): Promise<void>;
}
