/**
 * Reading a stored message, run by a job after it was stored: the MIME read, the sender judged against the receiving
 * server's verdict and the agency directory, the fields extracted, and then either a new draft request (with the
 * tracking number the receipt will quote) or the thread it follows up joined. Then its acknowledgement is queued —
 * unless a machine wrote it (an auto-reply, a bounce, one of Writ's own receipts, a loop). Safe to run twice: a
 * message no longer `received` is left alone.
 */
import { SYSTEM_ACTOR } from '../core/actor.ts';
import { domainOf } from '../core/anomalies.ts';
import {
  assessSender,
  automaticMail,
  highestTrust,
  mayChangeThread,
  parseHeaderBlock,
  senderAuthentication,
  TARGET_KINDS,
  trackingNumbersIn,
  type DraftFields,
  type DraftRecord,
  type FieldExtractor,
  type IntakeFlag,
  type MessageReader,
  type SenderTrust,
  type TrustLevel,
} from '../core/intake.ts';
import type { RequestRecord } from '../core/model.ts';
import type { Clock, FileStore, Repositories, Transactor } from '../core/ports.ts';
import { formatTrackingNumber } from '../core/request.ts';

export interface IntakeSettings {
  /** The authserv-ids of the receiving server whose Authentication-Results are believed (WRIT_IMAP_AUTHSERV_ID). */
  readonly trustedAuthservIds: readonly string[];
  /** Addresses Writ reads and sends from: mail from them is a loop. */
  readonly ownAddresses: readonly string[];
}

export interface ProcessIntakeMessageDeps {
  readonly store: Transactor<Pick<Repositories, 'intake' | 'requests' | 'organisations' | 'users' | 'audit' | 'outbox'>>;
  readonly files: FileStore;
  readonly reader: MessageReader;
  readonly extractor: FieldExtractor;
  readonly clock: Clock;
  readonly intake: IntakeSettings;
  /** Bytes of a message read at most (the reader marks a larger one and reads its headers). */
  readonly maxReadBytes: number;
}

async function readStored(files: FileStore, sha256: string, limit: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of files.open(sha256)) {
    chunks.push(chunk);
    length += chunk.length;
    if (length > limit) break;
  }
  return Buffer.concat(chunks);
}

/** Targets a follow-up names that its draft does not yet: added, each with its span in, and the id of, its own message. */
function mergeTargets(into: DraftFields, from: DraftFields, messageId: string): DraftFields | undefined {
  let changed = false;
  const targets = { ...into.targets };
  for (const kind of TARGET_KINDS) {
    const known = new Set(into.targets[kind].map((entry) => entry.value.toLowerCase()));
    const added = from.targets[kind].filter((entry) => !known.has(entry.value.toLowerCase())).map((entry) => ({ ...entry, messageId }));
    if (added.length > 0) {
      changed = true;
      targets[kind] = [...into.targets[kind], ...added];
    }
  }
  return changed ? { ...into, targets } : undefined;
}

interface Thread {
  readonly draft?: DraftRecord | undefined;
  readonly request?: RequestRecord | undefined;
}

/** `acknowledge: false` (an import of old mail) stores and reads without answering anyone. */
export async function processIntakeMessage(
  deps: ProcessIntakeMessageDeps,
  input: { readonly messageId: string; readonly acknowledge?: boolean },
): Promise<void> {
  const message = await deps.store.read.intake.findMessage(input.messageId);
  if (!message || message.status !== 'received') return;
  const raw = await readStored(deps.files, message.sha256, deps.maxReadBytes);
  const headers = parseHeaderBlock(raw);
  const read = await deps.reader.read(raw);
  const flags = new Set<IntakeFlag>(read.flags);
  const automatic = automaticMail(headers, deps.intake.ownAddresses);
  if (automatic) flags.add(automatic);
  // Scans and pictures attached are the draft's documents: their bytes go into the file store now (under their
  // SHA-256, so a retry stores nothing twice), to be attached to the request when the desk confirms the draft.
  for (const document of read.documents ?? []) {
    const stored = await deps.files.put(
      (async function* () {
        yield document.bytes;
      })(),
      Math.max(document.bytes.length, 1),
    );
    await stored.commit();
  }
  const fields = await deps.extractor.extract(read.reading, {
    sentAt: read.sentAt,
    senderDomain: read.fromAddress ? domainOf(read.fromAddress) : undefined,
  });

  const [agencies, account] = await Promise.all([
    deps.store.read.organisations.listAgencies(),
    read.fromAddress ? deps.store.read.users.findByEmail(read.fromAddress) : Promise.resolve(undefined),
  ]);
  const trust: SenderTrust = assessSender({
    fromAddress: read.fromAddress,
    authentication: senderAuthentication(headers, deps.intake.trustedAuthservIds, read.fromAddress),
    agencies: agencies.map((agency) => ({
      id: agency.id,
      name: agency.name,
      emailDomains: agency.emailDomains,
      verificationStatus: agency.verificationStatus,
    })),
    account: account && {
      id: account.id,
      organisationId: account.organisationId,
      status: account.status,
      isOfficer: account.roles.includes('officer'),
    },
  });

  await deps.store.transaction(async (repositories) => {
    const thread = automatic ? {} : await findThread(repositories, message, fields, read.subject);
    let follows: Thread = {};
    if (thread.draft || thread.request) {
      // A follow-up joins its thread only from someone the thread already knows, or the same authenticated agency:
      // quoting a tracking number or a Message-ID proves nothing by itself.
      const senders = await repositories.intake.sendersOf({
        draftId: thread.draft?.id,
        requestId: thread.request?.id ?? thread.draft?.requestId ?? undefined,
      });
      const agencyId = thread.request?.agencyId ?? thread.draft?.agencyId ?? null;
      const officerMatches = thread.request !== undefined && trust.officerId !== null && trust.officerId === thread.request.officerId;
      const sameAgency =
        agencyId !== null && trust.agencyId === agencyId && (trust.level === 'verified_officer' || trust.level === 'agency_domain');
      const known = read.fromAddress !== undefined && senders.includes(read.fromAddress) && trust.level !== 'suspicious';
      if (known || sameAgency || officerMatches) follows = thread;
      else flags.add('THREAD_SENDER_MISMATCH');
      // A follow-up to a draft the desk discarded starts a draft of its own.
      if (follows.draft?.status === 'discarded' && !follows.request) follows = {};
      // A message's trust is its own: one trusted less than its thread (or not authenticated at all, which a same
      // From never makes up for) is attached apart and changes nothing; the desk accepts its fields one by one.
      if ((follows.draft || follows.request) && !mayChangeThread(trust.level, await threadTrust(repositories, follows))) {
        flags.add('THREAD_TRUST_DOWNGRADE');
      }
    }

    let draftId: string | null = null;
    let requestId: string | null = null;
    const now = deps.clock.now();
    if (follows.draft && follows.draft.status === 'open') {
      draftId = follows.draft.id;
      const merged = flags.has('THREAD_TRUST_DOWNGRADE') ? undefined : mergeTargets(follows.draft.fields, fields, message.id);
      if (merged) await repositories.intake.updateDraft(follows.draft.id, follows.draft.version, { fields: merged, at: now });
    } else if (follows.draft || follows.request) {
      draftId = follows.draft?.id ?? null;
      requestId = follows.request?.id ?? follows.draft?.requestId ?? null;
    } else if (!automatic) {
      const sequence = await repositories.requests.nextTrackingSequence();
      const draft = await repositories.intake.insertDraft({
        trackingNumber: formatTrackingNumber(now.getUTCFullYear(), sequence),
        firstMessageId: message.id,
        fields,
        agencyId: trust.agencyId,
      });
      draftId = draft.id;
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'intake.draft_created',
        data: { draftId: draft.id, trackingNumber: draft.trackingNumber, messageId: message.id },
      });
    }
    const completed = await repositories.intake.completeMessage(message.id, {
      fromAddress: read.fromAddress ?? null,
      fromName: read.fromName ?? null,
      subject: read.subject.slice(0, 998) || null,
      sentAt: read.sentAt ?? null,
      flags: [...flags],
      trust,
      reading: read.reading,
      readingSegments: read.segments ?? [],
      attachments: read.attachments,
      fields,
      draftId,
      requestId,
      at: now,
    });
    if (!completed) return;
    const followUp = Boolean(follows.draft || follows.request);
    if (followUp) {
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'intake.follow_up_attached',
        ...(requestId ? { requestId } : {}),
        data: { messageId: message.id, draftId, heldApart: flags.has('THREAD_TRUST_DOWNGRADE') },
      });
    }
    await repositories.audit.append(SYSTEM_ACTOR, {
      type: 'intake.message_read',
      data: { messageId: message.id, trust: trust.level, flags: [...flags], draftId, followUp },
    });
    if (automatic) {
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'intake.acknowledgement_withheld',
        data: { messageId: message.id, reason: automatic },
      });
    } else if (input.acknowledge === false) {
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'intake.acknowledgement_withheld',
        data: { messageId: message.id, reason: 'IMPORTED_WITHOUT_ACKNOWLEDGEMENT' },
      });
    } else if (read.fromAddress) {
      await repositories.outbox.add('intake.acknowledge', { messageId: message.id });
    } else {
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'intake.acknowledgement_withheld',
        data: { messageId: message.id, reason: 'NO_SENDER' },
      });
    }
  });
}

/**
 * How far a thread is trusted: a request was filed by a signed-in officer or confirmed by the desk, so it counts as a
 * verified officer's; a draft, as far as the best of the messages it was made of (its first, and follow-ups merged
 * into it — never one held apart).
 */
async function threadTrust(repositories: Pick<Repositories, 'intake'>, thread: Thread): Promise<TrustLevel> {
  if (thread.request || !thread.draft) return 'verified_officer';
  const draft = thread.draft;
  const page = await repositories.intake.listMessages({ draftId: draft.id, limit: 200 });
  const levels = page.items
    .filter((entry) => entry.id === draft.firstMessageId || !entry.flags.includes('THREAD_TRUST_DOWNGRADE'))
    .map((entry) => entry.trust?.level ?? 'unverified');
  return highestTrust(levels);
}

/** The draft or request a message follows up: by its In-Reply-To and References, then by a tracking number it quotes. */
async function findThread(
  repositories: Pick<Repositories, 'intake' | 'requests'>,
  message: { readonly inReplyTo: string | null; readonly referenceIds: readonly string[] },
  fields: DraftFields,
  subject: string,
): Promise<Thread> {
  const ids = [...new Set([message.inReplyTo, ...message.referenceIds].filter((id): id is string => id !== null))];
  const earlier = await repositories.intake.findByMessageIds(ids);
  const linked = earlier.at(-1);
  if (linked?.draftId) {
    const draft = await repositories.intake.findDraft(linked.draftId);
    const request = draft?.requestId ? await repositories.requests.find({ kind: 'desk' }, draft.requestId) : undefined;
    return { draft, request };
  }
  if (linked?.requestId) return { request: await repositories.requests.find({ kind: 'desk' }, linked.requestId) };
  for (const trackingNumber of [...trackingNumbersIn(subject), ...fields.quotedTrackingNumbers]) {
    const draft = await repositories.intake.findDraft(trackingNumber);
    if (draft) {
      const request = draft.requestId ? await repositories.requests.find({ kind: 'desk' }, draft.requestId) : undefined;
      return { draft, request };
    }
    const request = await repositories.requests.find({ kind: 'desk' }, trackingNumber);
    if (request) return { request };
  }
  return {};
}
