/**
 * The desk's side of email intake: the messages that came in and the drafts made of them; each field of a draft as
 * extracted (its span in the message and its confidence) and as corrected; confirming a draft into a request, or
 * discarding it with a reason. Every read of a message or draft and every change is audited.
 */
import type { Actor } from '../core/actor.ts';
import { SYSTEM_ACTOR } from '../core/actor.ts';
import { canonicalJson } from '../core/canonical.ts';
import { safeFileName } from '../core/documents.ts';
import { WritError } from '../core/errors.ts';
import {
  TARGET_KINDS,
  type DraftCorrections,
  type DraftFields,
  type DraftRecord,
  type DraftStatus,
  type ExtractedValue,
  type IntakeMessageRecord,
  type DocumentPage,
  type IntakeMessageStatus,
  type SourceSpan,
  type TargetKind,
  type TrustLevel,
  segmentOf,
} from '../core/intake.ts';
import {
  acceptDraftFieldInputSchema,
  confirmDraftInputSchema,
  DRAFT_LIST_FIELDS,
  DRAFT_SCALAR_FIELDS,
  type DraftFieldName,
  correctDraftInputSchema,
  discardDraftInputSchema,
  type DraftCorrectionsInput,
} from '../core/intake-schemas.ts';
import type { Page } from '../core/pagination.ts';
import type { Clock, FileStore, Repositories, Secrets, Transactor } from '../core/ports.ts';
import type { IdentifierKind } from '../core/request.ts';
import { noticeFacts } from '../core/intake-facts.ts';
import { submitRequestSchema } from '../core/schemas.ts';
import { applyTransition, parseInput, requirePermission } from './common.ts';

type IntakeStore = Transactor<Pick<Repositories, 'intake' | 'requests' | 'users' | 'organisations' | 'audit' | 'outbox' | 'documents'>>;

export interface IntakeDeskDeps {
  readonly store: IntakeStore;
  readonly files: FileStore;
  readonly clock: Clock;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
}

const notFound = () => new WritError('INTAKE_MESSAGE_NOT_FOUND', 'No such message.');
const draftNotFound = () => new WritError('DRAFT_NOT_FOUND', 'No such draft.');

/** A message as listed: who sent it, what it is, what was found, never its text. */
export type IntakeMessageSummary = Omit<IntakeMessageRecord, 'reading' | 'readingSegments' | 'fields' | 'attachments'> & {
  readonly attachments: number;
};

const summarise = (message: IntakeMessageRecord): IntakeMessageSummary => {
  const { reading: _reading, readingSegments: _segments, fields: _fields, attachments, ...rest } = message;
  return { ...rest, attachments: attachments.length };
};

export async function listIntakeMessages(
  deps: Pick<IntakeDeskDeps, 'store'>,
  actor: Actor,
  query: { status?: IntakeMessageStatus | undefined; draftId?: string | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<IntakeMessageSummary>> {
  requirePermission(actor, 'intake.read');
  const page = await deps.store.read.intake.listMessages(query);
  return { items: page.items.map(summarise), nextCursor: page.nextCursor };
}

export async function getIntakeMessage(
  deps: Pick<IntakeDeskDeps, 'store'>,
  actor: Actor,
  input: { id: string },
): Promise<IntakeMessageRecord> {
  requirePermission(actor, 'intake.read');
  return deps.store.transaction(async (repositories) => {
    const message = await repositories.intake.findMessage(input.id);
    if (!message) throw notFound();
    await repositories.audit.append(actor, { type: 'intake.message_viewed', data: { messageId: message.id, raw: false } });
    return message;
  });
}

/** The message's bytes exactly as they arrived (message/rfc822), with their SHA-256. */
export async function readRawIntakeMessage(
  deps: Pick<IntakeDeskDeps, 'store' | 'files'>,
  actor: Actor,
  input: { id: string },
): Promise<{ sha256: string; size: number; bytes: AsyncIterable<Uint8Array> }> {
  requirePermission(actor, 'intake.read');
  const message = await deps.store.transaction(async (repositories) => {
    const found = await repositories.intake.findMessage(input.id);
    if (!found) throw notFound();
    await repositories.audit.append(actor, { type: 'intake.message_viewed', data: { messageId: found.id, raw: true } });
    return found;
  });
  return { sha256: message.sha256, size: message.size, bytes: deps.files.open(message.sha256) };
}

// ---------------------------------------------------------------------------------------------------------------

/** The message a value was read from, and how far its sender was trusted. */
export interface FieldSource {
  readonly messageId: string;
  readonly trust: TrustLevel | null;
}

/**
 * Where a value was read: the message itself, or a page of one of its documents; the words around it (within that
 * part, up to 300 characters each side) and the words themselves, for the desk to see the value in its place.
 */
export interface ValueSource {
  readonly document: { readonly index: number; readonly fileName: string; readonly sha256: string } | null;
  readonly page: number | null;
  readonly before: string;
  readonly text: string;
  readonly after: string;
}

/**
 * One field of a draft: its value now, what extraction found (with where, from which message and its trust, and how
 * sure), and whether the desk changed it.
 */
export interface DraftFieldView<T> {
  readonly value: T;
  readonly extracted: {
    readonly value: unknown;
    readonly span: SourceSpan | null;
    readonly excerpt: string | null;
    /** Where it was read, with the words around it. */
    readonly place: ValueSource | null;
    readonly confidence: number;
    /** Which message it came from, and that message's trust. */
    readonly source: FieldSource;
  } | null;
  readonly corrected: boolean;
}

/**
 * A follow-up of the draft: its trust, whether it was held apart (THREAD_TRUST_DOWNGRADE: it changed nothing), and
 * what it would bring, field by field — values the draft does not have — for the desk to accept one at a time.
 */
export interface DraftFollowUpView {
  readonly messageId: string;
  readonly trust: TrustLevel | null;
  readonly heldApart: boolean;
  readonly offers: Readonly<Partial<Record<DraftFieldName, unknown>>>;
}

/** A document that came with the draft's messages (a PDF or an image), page by page as it was read. */
export interface DraftDocument {
  readonly messageId: string;
  readonly index: number;
  readonly fileName: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
  readonly needsManualReading: boolean;
  readonly note: string | null;
  readonly pages: readonly DocumentPage[];
}

export interface DraftView {
  readonly draft: Omit<DraftRecord, 'fields' | 'corrections'>;
  readonly language: string;
  /** Fields by name; lists carry one extracted entry per item. */
  readonly fields: Readonly<
    Record<
      string,
      | DraftFieldView<unknown>
      | { readonly value: unknown; readonly extracted: ReadonlyArray<DraftFieldView<unknown>['extracted']>; readonly corrected: boolean }
    >
  >;
  readonly messages: readonly IntakeMessageSummary[];
  /** The trust of the draft's first message (each field's own source says which message it came from). */
  readonly trust: IntakeMessageRecord['trust'];
  readonly followUps: readonly DraftFollowUpView[];
  readonly documents: readonly DraftDocument[];
}

const SCALARS = DRAFT_SCALAR_FIELDS satisfies ReadonlyArray<keyof DraftFields>;
const LISTS = ['referenceNumbers', 'legalBasis', 'dataCategories'] as const satisfies ReadonlyArray<keyof DraftFields>;

function excerpt(reading: string | null, span: SourceSpan | null): string | null {
  if (!reading || !span) return null;
  return reading.slice(Math.max(0, span.start), Math.min(reading.length, span.end, span.start + 500));
}

const CONTEXT = 300;

/** The part of the first message's reading a span lies in (the message, or a document's page), with the span marked. */
export function sourceOf(message: IntakeMessageRecord | undefined, span: SourceSpan | null): ValueSource | null {
  const reading = message?.reading;
  if (!message || !reading || !span || span.start < 0 || span.end > reading.length || span.end < span.start) return null;
  const segment = segmentOf(message.readingSegments, span) ?? { start: 0, end: reading.length, attachment: null, page: null };
  const end = Math.min(span.end, segment.end);
  const attachment = segment.attachment === null ? undefined : message.attachments[segment.attachment];
  return {
    document: attachment ? { index: segment.attachment!, fileName: attachment.fileName, sha256: attachment.sha256 } : null,
    page: segment.page,
    before: reading.slice(Math.max(segment.start, span.start - CONTEXT), span.start),
    text: reading.slice(span.start, end),
    after: reading.slice(end, Math.min(segment.end, end + CONTEXT)),
  };
}

/** The documents of a draft's messages, in the order they came. */
export function draftDocuments(messages: readonly IntakeMessageRecord[]): DraftDocument[] {
  return messages.flatMap((message) =>
    message.attachments.flatMap((attachment, index) =>
      attachment.document
        ? [
            {
              messageId: message.id,
              index,
              fileName: attachment.fileName,
              mediaType: attachment.mediaType,
              size: attachment.size,
              sha256: attachment.sha256,
              needsManualReading: attachment.needsManualReading,
              note: attachment.note,
              pages: attachment.pages ?? [],
            },
          ]
        : [],
    ),
  );
}

/** Reads an extracted value against the message it came from (the draft's first unless it names another). */
type Provenance = (entry: ExtractedValue<unknown>) => {
  reading: string | null;
  source: FieldSource;
  message: IntakeMessageRecord | undefined;
};

function provenanceOf(draft: DraftRecord, messages: readonly IntakeMessageRecord[]): Provenance {
  const byId = new Map(messages.map((message) => [message.id, message]));
  return (entry) => {
    const messageId = entry.messageId ?? draft.firstMessageId;
    const message = byId.get(messageId);
    return { reading: message?.reading ?? null, source: { messageId, trust: message?.trust?.level ?? null }, message };
  };
}

const extractedWith = (provenance: Provenance) => (entry: ExtractedValue<unknown> | null) => {
  if (!entry) return null;
  const { reading, source, message } = provenance(entry);
  return {
    value: entry.value,
    span: entry.span,
    excerpt: excerpt(reading, entry.span),
    place: sourceOf(message, entry.span),
    confidence: entry.confidence,
    source,
  };
};

/** The draft's fields as they stand: extracted, with the desk's corrections over them. */
export function effectiveFields(fields: DraftFields, corrections: DraftCorrections): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const name of SCALARS) result[name] = name in corrections ? corrections[name] : (fields[name]?.value ?? null);
  for (const name of LISTS) result[name] = name in corrections ? corrections[name] : fields[name].map((entry) => entry.value);
  const correctedTargets = (corrections.targets ?? {}) as Partial<Record<TargetKind, string[]>>;
  result.targets = Object.fromEntries(
    TARGET_KINDS.map((kind) => [kind, correctedTargets[kind] ?? fields.targets[kind].map((entry) => entry.value)]),
  );
  result.ipTimes = fields.ipTimes.map((entry) => entry.value);
  for (const name of ['agencyId', 'emergencyFacts', 'summary'] as const) result[name] = corrections[name] ?? null;
  return result;
}

const sameValue = (a: unknown, b: unknown) =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : canonicalJson(a) === canonicalJson(b);

/** The list a field of the draft holds now (extracted entries), and the one a message would bring. */
function listEntries(fields: DraftFields, name: DraftFieldName): ReadonlyArray<ExtractedValue<unknown>> | undefined {
  if (name.startsWith('targets.')) return fields.targets[name.slice('targets.'.length) as TargetKind];
  if ((DRAFT_LIST_FIELDS as readonly string[]).includes(name)) return fields[name as (typeof DRAFT_LIST_FIELDS)[number]];
  return undefined;
}

/** What a follow-up's fields would bring to a draft: scalars it has that differ, list entries the draft lacks. */
function offersOf(draft: DraftRecord, from: DraftFields): Partial<Record<DraftFieldName, unknown>> {
  const offers: Partial<Record<DraftFieldName, unknown>> = {};
  for (const name of SCALARS) {
    const offered = from[name];
    if (offered && !sameValue(offered.value, draft.fields[name]?.value ?? null)) offers[name] = offered.value;
  }
  for (const name of [...DRAFT_LIST_FIELDS, ...TARGET_KINDS.map((kind) => `targets.${kind}` as DraftFieldName)]) {
    const have = listEntries(draft.fields, name) ?? [];
    const fresh = (listEntries(from, name) ?? []).filter((entry) => !have.some((known) => sameValue(known.value, entry.value)));
    if (fresh.length > 0) offers[name] = fresh.map((entry) => entry.value);
  }
  return offers;
}

function draftView(draft: DraftRecord, messages: readonly IntakeMessageRecord[]): DraftView {
  const first = messages.find((message) => message.id === draft.firstMessageId) ?? messages[0];
  const extractedOf = extractedWith(provenanceOf(draft, messages));
  const values = effectiveFields(draft.fields, draft.corrections);
  const fields: Record<string, DraftView['fields'][string]> = {};
  for (const name of SCALARS) {
    fields[name] = { value: values[name], extracted: extractedOf(draft.fields[name]), corrected: name in draft.corrections };
  }
  for (const name of LISTS) {
    fields[name] = {
      value: values[name],
      extracted: draft.fields[name].map((entry) => extractedOf(entry)),
      corrected: name in draft.corrections,
    };
  }
  const correctedTargets = (draft.corrections.targets ?? {}) as Partial<Record<TargetKind, unknown>>;
  for (const kind of TARGET_KINDS) {
    fields[`targets.${kind}`] = {
      value: (values.targets as Record<string, unknown>)[kind],
      extracted: draft.fields.targets[kind].map((entry) => extractedOf(entry)),
      corrected: kind in correctedTargets,
    };
  }
  fields.ipTimes = { value: values.ipTimes, extracted: draft.fields.ipTimes.map((entry) => extractedOf(entry)), corrected: false };
  for (const name of ['agencyId', 'emergencyFacts', 'summary'] as const) {
    fields[name] = {
      value: name === 'agencyId' ? (values.agencyId ?? draft.agencyId) : values[name],
      extracted: null,
      corrected: name in draft.corrections,
    };
  }
  const followUps = messages
    .filter((message) => message.id !== draft.firstMessageId && message.fields !== null)
    .map((message) => ({
      messageId: message.id,
      trust: message.trust?.level ?? null,
      heldApart: message.flags.includes('THREAD_TRUST_DOWNGRADE'),
      offers: offersOf(draft, message.fields!),
    }));
  const { fields: _fields, corrections: _corrections, ...rest } = draft;
  return {
    draft: rest,
    language: draft.fields.language,
    fields,
    messages: messages.map(summarise),
    trust: first?.trust ?? null,
    followUps,
    documents: draftDocuments(messages),
  };
}

async function loadDraft(repositories: Pick<Repositories, 'intake'>, reference: string): Promise<DraftRecord> {
  const draft = await repositories.intake.findDraft(reference);
  if (!draft) throw draftNotFound();
  return draft;
}

async function messagesOf(repositories: Pick<Repositories, 'intake'>, draftId: string): Promise<IntakeMessageRecord[]> {
  const page = await repositories.intake.listMessages({ draftId, limit: 200 });
  const full = await Promise.all(page.items.map((message) => repositories.intake.findMessage(message.id)));
  return full.filter((message): message is IntakeMessageRecord => message !== undefined).reverse();
}

export async function listDrafts(
  deps: Pick<IntakeDeskDeps, 'store'>,
  actor: Actor,
  query: { status?: DraftStatus | undefined; limit: number; cursor?: string | undefined },
): Promise<Page<Omit<DraftRecord, 'fields' | 'corrections'> & { readonly summary: Record<string, unknown> }>> {
  requirePermission(actor, 'intake.read');
  const page = await deps.store.read.intake.listDrafts(query);
  return {
    items: page.items.map(({ fields, corrections, ...draft }) => {
      const values = effectiveFields(fields, corrections);
      const targets = values.targets as Record<string, unknown[]>;
      return {
        ...draft,
        summary: {
          kind: values.kind,
          requestingAgency: values.requestingAgency,
          jurisdictionCountry: values.jurisdictionCountry,
          isEmergency: values.isEmergency,
          targets: Object.values(targets).reduce((sum, entries) => sum + entries.length, 0),
        },
      };
    }),
    nextCursor: page.nextCursor,
  };
}

export async function getDraft(deps: Pick<IntakeDeskDeps, 'store'>, actor: Actor, input: { reference: string }): Promise<DraftView> {
  requirePermission(actor, 'intake.read');
  return deps.store.transaction(async (repositories) => {
    const draft = await loadDraft(repositories, input.reference);
    const messages = await messagesOf(repositories, draft.id);
    await repositories.audit.append(actor, { type: 'intake.draft_viewed', data: { draftId: draft.id } });
    return draftView(draft, messages);
  });
}

function requireOpen(draft: DraftRecord, version: number | undefined): void {
  if (draft.status !== 'open') throw new WritError('DRAFT_CLOSED', `The draft is ${draft.status}.`, { draftStatus: draft.status });
  if (version !== undefined && version !== draft.version) {
    throw new WritError('STALE_UPDATE', 'The draft changed since you read it; reload it and try again.', { version: draft.version });
  }
}

const stale = () => new WritError('STALE_UPDATE', 'The draft changed since you read it; reload it and try again.');

export async function correctDraft(
  deps: Pick<IntakeDeskDeps, 'store' | 'clock'>,
  actor: Actor,
  input: { reference: string; body: unknown },
): Promise<DraftView> {
  requirePermission(actor, 'intake.manage');
  const body = parseInput(correctDraftInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const draft = await loadDraft(repositories, input.reference);
    requireOpen(draft, body.version);
    const corrections = mergeCorrections(draft.corrections, body.corrections);
    if (!(await repositories.intake.updateDraft(draft.id, draft.version, { corrections, at: deps.clock.now() }))) throw stale();
    await repositories.audit.append(actor, {
      type: 'intake.draft_corrected',
      data: { draftId: draft.id, fields: Object.keys(body.corrections) },
    });
    const updated = await loadDraft(repositories, draft.id);
    return draftView(updated, await messagesOf(repositories, draft.id));
  });
}

function mergeCorrections(current: DraftCorrections, change: DraftCorrectionsInput): DraftCorrections {
  const merged: Record<string, unknown> = { ...current };
  for (const [name, value] of Object.entries(change)) {
    if (value === undefined) continue;
    merged[name] = name === 'targets' ? { ...((current.targets as object | undefined) ?? {}), ...(value as object) } : value;
  }
  return merged;
}

export async function discardDraft(
  deps: Pick<IntakeDeskDeps, 'store' | 'clock'>,
  actor: Actor,
  input: { reference: string; body: unknown },
): Promise<DraftView> {
  requirePermission(actor, 'intake.manage');
  const body = parseInput(discardDraftInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const draft = await loadDraft(repositories, input.reference);
    requireOpen(draft, body.version);
    const changed = await repositories.intake.updateDraft(draft.id, draft.version, {
      status: 'discarded',
      discardReason: body.reason,
      closedBy: actor.userId,
      at: deps.clock.now(),
    });
    if (!changed) throw stale();
    await repositories.audit.append(actor, { type: 'intake.draft_discarded', data: { draftId: draft.id, reason: body.reason } });
    return draftView(await loadDraft(repositories, draft.id), await messagesOf(repositories, draft.id));
  });
}

/**
 * The desk takes one field of a draft from one of its follow-ups — typically one held apart because its sender was
 * trusted less than the draft's (THREAD_TRUST_DOWNGRADE). A single value replaces the draft's (and any correction of
 * it); a list gains the entries it lacks. The value keeps its source: the field then shows that message and its
 * trust. Audited with the field's name, the message and its trust, never the value.
 */
export async function acceptDraftField(
  deps: Pick<IntakeDeskDeps, 'store' | 'clock'>,
  actor: Actor,
  input: { reference: string; body: unknown },
): Promise<DraftView> {
  requirePermission(actor, 'intake.manage');
  const body = parseInput(acceptDraftFieldInputSchema, input.body ?? {});
  return deps.store.transaction(async (repositories) => {
    const draft = await loadDraft(repositories, input.reference);
    requireOpen(draft, body.version);
    const message = await repositories.intake.findMessage(body.messageId);
    // Only a follow-up of this very draft: any other message answers as one that does not exist.
    if (!message || message.draftId !== draft.id || message.id === draft.firstMessageId || !message.fields) throw notFound();
    const offered = offersOf(draft, message.fields)[body.field];
    if (offered === undefined) {
      throw new WritError('VALIDATION_FAILED', 'That message brings nothing to this field that the draft does not already have.', {
        errors: [{ path: 'field', message: 'nothing to accept' }],
      });
    }
    const tag = <T>(entry: ExtractedValue<T>): ExtractedValue<T> => ({ ...entry, messageId: message.id });
    let fields: DraftFields = draft.fields;
    const corrections: Record<string, unknown> = { ...draft.corrections };
    const name = body.field;
    if ((SCALARS as readonly string[]).includes(name)) {
      const scalar = name as (typeof SCALARS)[number];
      fields = { ...fields, [scalar]: tag(message.fields[scalar] as ExtractedValue<unknown>) };
      // The desk's latest word on this field is to take the message's value.
      delete corrections[scalar];
    } else {
      const have = listEntries(draft.fields, name) ?? [];
      const fresh = (listEntries(message.fields, name) ?? [])
        .filter((entry) => !have.some((known) => sameValue(known.value, entry.value)))
        .map((entry) => tag(entry));
      if (name.startsWith('targets.')) {
        const kind = name.slice('targets.'.length) as TargetKind;
        fields = { ...fields, targets: { ...fields.targets, [kind]: [...fields.targets[kind], ...fresh] } };
        const correctedTargets = { ...((corrections.targets as Record<string, string[]> | undefined) ?? {}) };
        if (correctedTargets[kind]) {
          correctedTargets[kind] = [...correctedTargets[kind], ...fresh.map((entry) => String(entry.value))];
          corrections.targets = correctedTargets;
        }
      } else {
        const list = name as (typeof DRAFT_LIST_FIELDS)[number];
        fields = { ...fields, [list]: [...(fields[list] as ReadonlyArray<ExtractedValue<unknown>>), ...fresh] };
        if (Array.isArray(corrections[list]))
          corrections[list] = [...(corrections[list] as unknown[]), ...fresh.map((entry) => entry.value)];
      }
    }
    if (!(await repositories.intake.updateDraft(draft.id, draft.version, { fields, corrections, at: deps.clock.now() }))) throw stale();
    await repositories.audit.append(actor, {
      type: 'intake.field_accepted',
      data: { draftId: draft.id, messageId: message.id, field: name, trust: message.trust?.level ?? 'unverified' },
    });
    return draftView(await loadDraft(repositories, draft.id), await messagesOf(repositories, draft.id));
  });
}

const TARGET_IDENTIFIER: Readonly<Record<TargetKind, IdentifierKind>> = {
  usernames: 'username',
  emails: 'email',
  phone_numbers: 'phone',
  urls: 'url',
  user_ids: 'user_id',
  ip_addresses: 'ip',
};

const INSTRUMENT_FOR_KIND: Readonly<Record<string, string>> = {
  preservation: 'preservation_order',
  emergency: 'emergency_request',
  removal: 'removal_order',
  disclosure: 'letter',
};

/**
 * Confirms a draft into a request of the agency it names, from the officer who sent the email (an account is made
 * for an unknown sender's address, unconfirmed, so that registering later with it finds the request). The request
 * keeps the draft's tracking number and waits in verification, held as having come by email: the desk confirms the
 * requester through the directory before review, as for any sender it has not verified.
 */
export async function confirmDraft(
  deps: IntakeDeskDeps,
  actor: Actor,
  input: { reference: string; body: unknown },
): Promise<{ trackingNumber: string; requestId: string; draft: DraftView }> {
  requirePermission(actor, 'intake.manage');
  const body = parseInput(confirmDraftInputSchema, input.body ?? {});
  return deps.store.transaction(async (repositories) => {
    const draft = await loadDraft(repositories, input.reference);
    requireOpen(draft, body.version);
    const corrections = body.corrections ? mergeCorrections(draft.corrections, body.corrections) : draft.corrections;
    const values = effectiveFields(draft.fields, corrections);
    const messages = await messagesOf(repositories, draft.id);
    const first = messages.find((message) => message.id === draft.firstMessageId);
    const incomplete = (detail: string, errors?: unknown) => new WritError('DRAFT_INCOMPLETE', detail, errors ? { errors } : {});
    const agencyId = (values.agencyId as string | null) ?? draft.agencyId;
    if (!agencyId) throw incomplete('Name the agency the request is from (corrections.agencyId, from the directory).');
    const agency = await repositories.organisations.find(agencyId);
    if (!agency || agency.kind !== 'agency') throw incomplete('The agency is not in the directory.');
    const sender = first?.fromAddress;
    if (!sender) throw incomplete('The message names no sender address to file the request under.');

    const kind = (values.kind as string | null) ?? (values.isEmergency === true ? 'emergency' : null);
    const categories =
      (values.dataCategories as string[]).length > 0 ? (values.dataCategories as string[]) : kind === 'removal' ? ['content'] : [];
    const targets = TARGET_KINDS.flatMap((targetKind) =>
      ((values.targets as Record<TargetKind, string[]>)[targetKind] ?? []).map((value) => {
        const used =
          targetKind === 'ip_addresses'
            ? (values.ipTimes as Array<{ ip: string; time: string }>).find((entry) => entry.ip === value)
            : undefined;
        return { kind: TARGET_IDENTIFIER[targetKind], value, ...(used ? { note: `used at ${used.time} (as written in the email)` } : {}) };
      }),
    );
    const claim = excerpt(first?.reading ?? null, draft.fields.isEmergency.span);
    const dateRange = values.dateRange as { start: string | null; end: string | null } | null;
    const range = dateRange?.start && dateRange.end ? { from: `${dateRange.start}T00:00:00Z`, to: `${dateRange.end}T23:59:59Z` } : null;
    const jurisdiction = (values.jurisdictionCountry as string | null) ?? agency.jurisdiction;
    const instrumentType = (values.instrumentType as string | null) ?? INSTRUMENT_FOR_KIND[kind ?? ''] ?? 'letter';
    // What the notice states for the legal review; the offence and a renewal come as extraction read them.
    const stated = noticeFacts({
      jurisdiction: jurisdiction ?? '',
      instrumentType: values.instrumentType as string | null,
      court: values.court as string | null,
      requestingAgency: values.requestingAgency as string | null,
      legalBasis: values.legalBasis as string[],
      isRenewal: draft.fields.isRenewal?.value ?? null,
      dateRange: range,
      receivedAt: first?.receivedAt ?? deps.clock.now().toISOString(),
    });
    const offence = draft.fields.offence?.value.trim();
    const payload = {
      kind,
      jurisdiction,
      ...(values.caseNumber ? { caseReference: values.caseNumber } : {}),
      summary: (values.summary as string | null) ?? first?.subject ?? `Request received by email (${draft.trackingNumber}).`,
      legalProcess: {
        instrumentType,
        ...(stated.issuerType ? { issuerType: stated.issuerType } : {}),
        ...(values.requestingAgency ? { issuingAuthority: String(values.requestingAgency).slice(0, 300) } : {}),
        ...(values.caseNumber ? { reference: values.caseNumber } : {}),
        ...(values.requestDate ? { issuedOn: values.requestDate } : {}),
        documentIds: [],
      },
      targets,
      categories,
      ...(range ? { dateRange: range } : {}),
      ...(offence ? { offence: { description: offence.slice(0, 2000) } } : {}),
      ...(values.nonDisclosure === true ? { nonDisclosure: { ordered: true } } : {}),
      ...(values.deadline ? { deadline: values.deadline } : {}),
      ...(stated.facts ? { facts: stated.facts } : {}),
      ...(kind === 'emergency'
        ? {
            emergency: {
              dangerDescription: (
                (values.emergencyFacts as string | null) ?? (claim ? `As claimed in the email: ${claim}` : 'As claimed in the email.')
              ).slice(0, 5000),
              attestation: true,
            },
          }
        : {}),
    };
    const parsed = submitRequestSchema.safeParse(payload);
    if (!parsed.success) {
      throw incomplete(
        'The draft lacks what a request needs; correct it first.',
        parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })),
      );
    }
    const request = parsed.data;

    // The officer: the sender's own account in that agency, or a new unconfirmed one for the address.
    const account = await repositories.users.findByEmail(sender);
    if (account && account.organisationId !== agency.id) {
      throw incomplete("The sender's address has an account at another organisation; check the agency.");
    }
    const officerId =
      account?.id ??
      (
        await repositories.users.insert({
          organisationId: agency.id,
          email: sender,
          displayName: (first?.fromName ?? sender).slice(0, 200),
          roles: ['officer'],
          passwordHash: null,
          status: 'unconfirmed',
        })
      ).id;

    // The documents that came with the draft's messages become the request's legal process documents, filed as
    // uploaded by the officer; their SHA-256s are part of what the payload's hash covers.
    const documents = draftDocuments(messages).slice(0, 20);
    const payloadSha256 = deps.secrets.sha256Hex(
      canonicalJson(documents.length > 0 ? { ...payload, documents: documents.map((document) => document.sha256) } : payload),
    );
    const stored = await repositories.requests.insert(
      {
        trackingNumber: draft.trackingNumber,
        agencyId: agency.id,
        officerId,
        kind: request.kind,
        jurisdiction: request.jurisdiction,
        caseReference: request.caseReference ?? null,
        summary: request.summary ?? null,
        legalProcess: {
          instrumentType: request.legalProcess.instrumentType,
          issuingAuthority: request.legalProcess.issuingAuthority ?? null,
          issuerType: request.legalProcess.issuerType ?? null,
          reference: request.legalProcess.reference ?? null,
          issuedOn: request.legalProcess.issuedOn ?? null,
        },
        categories: request.categories,
        dateRange: request.dateRange ?? null,
        offence: request.offence ?? null,
        nonDisclosure: { ordered: request.nonDisclosure?.ordered ?? false, until: null },
        deadline: request.deadline ?? null,
        emergency: request.emergency ?? null,
        facts: request.facts ?? null,
        payloadSha256,
      },
      request.targets.map((target, position) => ({ position, kind: target.kind, value: target.value, note: target.note ?? null })),
    );
    await repositories.audit.append(actor, {
      type: 'request.submitted',
      requestId: stored.id,
      data: { trackingNumber: stored.trackingNumber, payloadSha256, kind: stored.kind },
    });
    for (const document of documents) {
      const record = await repositories.documents.insert({
        organisationId: agency.id,
        uploadedBy: officerId,
        fileName: safeFileName(document.fileName),
        mediaType: document.mediaType,
        size: document.size,
        sha256: document.sha256,
      });
      await repositories.documents.attach(agency.id, [record.id], stored.id);
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'document.uploaded',
        data: { documentId: record.id, sha256: record.sha256, size: record.size, mediaType: record.mediaType },
      });
    }
    // Held at once, by email's nature: the desk confirms the requester through the directory before review.
    await applyTransition(repositories, SYSTEM_ACTOR, stored, 'begin_verification');
    const trust = first?.trust;
    // Fields the desk took from follow-ups held apart: the request says so, so nobody mistakes them for the officer's.
    const heldApart = new Set(messages.filter((message) => message.flags.includes('THREAD_TRUST_DOWNGRADE')).map((message) => message.id));
    const fromHeldApart = Object.entries(draftView(draft, messages).fields)
      .filter(([, field]) => {
        const entries = Array.isArray(field.extracted) ? field.extracted : [field.extracted];
        return entries.some((entry) => entry !== null && heldApart.has(entry.source.messageId));
      })
      .map(([name]) => name);
    const accepted =
      fromHeldApart.length > 0 ? ` Fields taken from follow-ups trusted less than the first message: ${fromHeldApart.join(', ')}.` : '';
    await repositories.audit.append(SYSTEM_ACTOR, {
      type: 'request.held',
      requestId: stored.id,
      data: {
        reasons: [
          {
            code: 'EMAIL_INTAKE',
            detail: `The request came by email; sender ${trust?.level ?? 'unverified'}: ${(trust?.reasons ?? []).join(' ') || 'not checked'}. Confirm the requester through the directory before review.${accepted}`,
          },
        ],
      },
    });
    const changed = await repositories.intake.updateDraft(draft.id, draft.version, {
      status: 'confirmed',
      requestId: stored.id,
      corrections,
      closedBy: actor.userId,
      at: deps.clock.now(),
    });
    if (!changed) throw stale();
    await repositories.intake.linkDraftMessages(draft.id, stored.id);
    await repositories.audit.append(actor, {
      type: 'intake.draft_confirmed',
      requestId: stored.id,
      data: { draftId: draft.id, trackingNumber: stored.trackingNumber, officerCreated: account === undefined, payloadSha256 },
    });
    // The sender learns the tracking number and where to follow it, once, after this commits (if the trust rules allow).
    await repositories.outbox.add('intake.confirmation_mail', { draftId: draft.id });
    const view = draftView(await loadDraft(repositories, draft.id), await messagesOf(repositories, draft.id));
    return { trackingNumber: stored.trackingNumber, requestId: stored.id, draft: view };
  });
}
