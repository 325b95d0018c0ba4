/**
 * Preservation: the desk puts an approved preservation request into force (`active`); a job then has the connector
 * read each approved target, category and range and seals the records into the file store (JSON Lines named by their
 * SHA-256, with a manifest hash over them). It expires on the date the law that applies sets (core/preservation.ts),
 * reminded beforehand; the desk may extend it once, or release it; when it ends the copy is deleted. A production for
 * the same agency reads from the copy (services/run-production.ts), and while one is open the copy does not expire.
 */
import { sideOf, SYSTEM_ACTOR, type Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import { normalizeIdentifier } from '../core/identifiers.ts';
import type { DateRange, RequestRecord } from '../core/model.ts';
import type { PlatformConnector } from '../core/connector.ts';
import type { Clock, FileStore, Mailer, PreservationRecord, PreservedItem, Repositories, Secrets, Transactor } from '../core/ports.ts';
import { expiryReminders, preservationTerms } from '../core/preservation.ts';
import type { ReviewRules } from './review-request.ts';
import { findingsOf } from './review-request.ts';
import { applyTransition, loadRequest, recordRead, requirePermission } from './common.ts';
import { handleTask, handleTaskWithEffect, type TaskDecision } from './schedule.ts';

export const EXPIRE_TOPIC = 'preservation.expire';
export const EXPIRY_REMINDER_TOPIC = 'preservation.remind';
const HOUR = 3_600_000;
/** While a production request for its data is open, an expiring preservation is looked at again after this long. */
const PENDING_PRODUCTION_RECHECK_HOURS = 24;

type PreservationRepositories = Pick<
  Repositories,
  'requests' | 'decisions' | 'documents' | 'organisations' | 'preservations' | 'schedule' | 'messages' | 'audit' | 'outbox'
>;

export interface PreservationDeps {
  readonly store: Transactor<PreservationRepositories>;
  readonly clock: Clock;
  readonly review: ReviewRules;
  readonly preservationReminderDays: readonly number[];
}

/** Puts the expiry and its reminders on the schedule, replacing any planned for an earlier expiry. */
async function scheduleExpiry(
  repositories: Pick<Repositories, 'schedule'>,
  requestId: string,
  expiresAt: string,
  reminderDays: readonly number[],
  now: Date,
): Promise<void> {
  await repositories.schedule.cancel({ requestId, keyPrefix: `preservation:${requestId}:` });
  await repositories.schedule.put({
    key: `preservation:${requestId}:expire:${expiresAt}`,
    topic: EXPIRE_TOPIC,
    requestId,
    dueAt: new Date(expiresAt),
    payload: { expiresAt },
  });
  for (const reminder of expiryReminders(expiresAt, reminderDays, now)) {
    await repositories.schedule.put({
      key: `preservation:${requestId}:remind:${reminder.days}:${expiresAt}`,
      topic: EXPIRY_REMINDER_TOPIC,
      requestId,
      dueAt: reminder.at,
      payload: { expiresAt, days: reminder.days },
    });
  }
}

const requirePreservation = (request: RequestRecord) => {
  if (request.kind !== 'preservation') throw new WritError('INVALID_TRANSITION', 'Only a preservation request is preserved.');
};

/**
 * The desk puts an approved preservation request into force: its period is worked out from the law that applies, its
 * expiry and reminders are scheduled, and the `preserve` effect starts sealing the copy, all in one transaction.
 */
export async function startPreservation(
  deps: PreservationDeps,
  actor: Actor,
  input: { reference: string; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.preserve');
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    requirePreservation(request);
    const changed = await applyTransition(repositories, actor, request, 'activate_preservation', input.expectedVersion);
    const decision = (await repositories.decisions.list(request.id)).filter((item) => item.outcome !== 'rejected').at(-1);
    if (!decision) throw new WritError('INVALID_TRANSITION', 'The request has no approval to preserve.');
    const terms = preservationTerms(request, await findingsOf(repositories, deps, request), deps.review.policy);
    const now = deps.clock.now();
    // A period the law counts from receipt may have run out already: it then holds for a day, so it can be extended.
    const expiresAt = Date.parse(terms.expiresAt) > now.getTime() ? terms.expiresAt : new Date(now.getTime() + 24 * HOUR).toISOString();
    await repositories.preservations.create({
      requestId: request.id,
      decisionId: decision.id,
      expiresAt: new Date(expiresAt),
      extensionHours: terms.extensionHours,
      basis: terms.basis,
    });
    await scheduleExpiry(repositories, request.id, expiresAt, deps.preservationReminderDays, now);
    return changed;
  });
}

/** The desk extends a preservation in force, once (18 U.S.C. 2703(f)(2): one renewal of 90 days; e-Evidence: 30). */
export async function extendPreservation(
  deps: PreservationDeps,
  actor: Actor,
  input: { reference: string; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.preserve');
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    requirePreservation(request);
    const changed = await applyTransition(repositories, actor, request, 'extend_preservation', input.expectedVersion);
    const preservation = await repositories.preservations.find(request.id, { lock: true });
    if (!preservation) throw new WritError('INVALID_TRANSITION', 'This request preserves nothing yet.');
    const now = deps.clock.now();
    const expiresAt = new Date(Date.parse(preservation.expiresAt) + preservation.extensionHours * HOUR);
    await repositories.preservations.setExpiry(preservation.id, expiresAt, now);
    await scheduleExpiry(repositories, request.id, expiresAt.toISOString(), deps.preservationReminderDays, now);
    await repositories.audit.append(actor, {
      type: 'preservation.expiry_changed',
      requestId: request.id,
      data: { preservationId: preservation.id, expiresAt: expiresAt.toISOString(), why: 'extended' },
    });
    return changed;
  });
}

/** The desk releases a preservation before it expires; the `release_copy` effect deletes the copy. */
export async function releasePreservation(
  deps: PreservationDeps,
  actor: Actor,
  input: { reference: string; expectedVersion?: number | undefined },
): Promise<RequestRecord> {
  requirePermission(actor, 'request.preserve');
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    requirePreservation(request);
    const changed = await applyTransition(repositories, actor, request, 'release_preservation', input.expectedVersion);
    await repositories.schedule.cancel({ requestId: request.id, keyPrefix: `preservation:${request.id}:` });
    return changed;
  });
}

/** The desk's (and the officer's) view of a preservation: its period and what it sealed. */
export async function getPreservation(
  deps: { readonly store: Transactor<Pick<Repositories, 'requests' | 'preservations' | 'audit'>> },
  actor: Actor,
  input: { reference: string },
): Promise<PreservationRecord> {
  requirePermission(actor, 'request.read');
  const request = await loadRequest(deps.store.read.requests, actor, input.reference);
  const preservation = await deps.store.read.preservations.find(request.id);
  if (!preservation) throw new WritError('PRESERVATION_NOT_FOUND', 'This request preserves nothing (yet).');
  await recordRead(deps.store.read.audit, actor, request.id, 'preservation');
  if (sideOf(actor) !== 'agency') return preservation;
  // Preserving is not disclosing: the agency learns what was secured per target and category, not which account its
  // identifier named, nor how much it holds.
  return {
    ...preservation,
    items: preservation.items.map((item) => ({ ...item, accountId: null, accountLabel: null, records: 0, columns: [], size: null })),
  };
}

export interface SealDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'decisions' | 'preservations' | 'audit'>>;
  readonly connector: PlatformConnector;
  readonly files: Pick<FileStore, 'put'>;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
  readonly clock: Clock;
}

/** A sealed copy can be as large as what the platform holds of an account; this only guards against runaway reads. */
const MAX_COPY_BYTES = 64 * 1024 ** 3;

async function* encodeLines(records: AsyncIterable<Readonly<Record<string, unknown>>>, counter: { records: number }) {
  let pending: string[] = [];
  for await (const record of records) {
    counter.records += 1;
    pending.push(`${JSON.stringify(record)}\n`);
    if (pending.length >= 1000) {
      yield Buffer.from(pending.join(''), 'utf8');
      pending = [];
    }
  }
  if (pending.length > 0) yield Buffer.from(pending.join(''), 'utf8');
}

/**
 * The `request.preserve` job: seals the copy, once. The records are read and stored outside any transaction (they
 * may be many); the items and the seal commit together, so a crash leaves the preservation still `sealing`, and the
 * retry seals it (files are named by their content, so storing them again changes nothing).
 */
export async function sealPreservation(deps: SealDeps, input: { requestId: string }): Promise<PreservationRecord | undefined> {
  const request = await deps.store.read.requests.find({ kind: 'desk' }, input.requestId);
  if (!request || request.kind !== 'preservation' || !['active', 'extended'].includes(request.state)) return undefined;
  const preservation = await deps.store.read.preservations.find(request.id);
  if (preservation?.copyState !== 'sealing') return preservation;
  const decision = (await deps.store.read.decisions.list(request.id)).find((item) => item.id === preservation.decisionId);
  if (!decision) return preservation;
  const targets = await deps.store.read.requests.targets(request.id);
  // Preservation covers what exists: without a range, everything the platform holds up to the moment it took effect.
  const open: DateRange = { from: '1970-01-01T00:00:00.000Z', to: preservation.createdAt };
  const items: Array<Omit<PreservedItem, 'id'>> = [];
  for (const target of targets) {
    const identifier = normalizeIdentifier(target.kind, target.value, request.jurisdiction);
    const approved = decision.items.filter((item) => item.targetId === target.id && item.approved);
    if (approved.length === 0) continue;
    const resolved = await deps.connector.resolve(identifier);
    for (const item of approved) {
      const range = item.dateRange ?? request.dateRange ?? open;
      const base = { targetId: target.id, category: item.category, range, columns: [] as string[], sha256: null, size: null, records: 0 };
      if (resolved.status === 'not_found') {
        items.push({
          ...base,
          accountId: null,
          accountLabel: null,
          status: 'not_found',
          detail: `No account matches this ${identifier.kind}.`,
        });
        continue;
      }
      for (const account of resolved.accounts) {
        const produced = await deps.connector.produce(item.category, account.id, range);
        const entry = { ...base, accountId: account.id, accountLabel: account.label };
        if (produced.status !== 'records') {
          items.push({ ...entry, status: produced.status, detail: produced.detail });
          continue;
        }
        const counter = { records: 0 };
        const stored = await deps.files.put(encodeLines(produced.records, counter), MAX_COPY_BYTES);
        if (counter.records === 0) {
          await stored.discard();
          items.push({ ...entry, status: 'no_records', detail: 'No records in the range.' });
          continue;
        }
        await stored.commit();
        items.push({
          ...entry,
          columns: [...produced.columns],
          status: 'sealed',
          sha256: stored.sha256,
          size: stored.size,
          records: counter.records,
          detail: `${counter.records} records sealed.`,
        });
      }
    }
  }
  const manifest = items
    .filter((item) => item.sha256)
    .map((item) => `${item.sha256}  ${item.targetId}/${item.category}/${item.accountId}\n`)
    .sort()
    .join('');
  const manifestSha256 = deps.secrets.sha256Hex(manifest);
  return deps.store.transaction(async (repositories) => {
    const sealed = await repositories.preservations.seal(preservation.id, { items, manifestSha256, at: deps.clock.now() });
    if (sealed) {
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'preservation.sealed',
        requestId: request.id,
        data: {
          preservationId: preservation.id,
          items: items.length,
          records: items.reduce((sum, item) => sum + item.records, 0),
          manifestSha256,
        },
      });
    }
    return repositories.preservations.find(request.id);
  });
}

export interface ExpiryDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'preservations' | 'schedule' | 'users' | 'audit' | 'outbox'>>;
  readonly clock: Clock;
  readonly mailer: Mailer;
  readonly deskEmail?: string | undefined;
}

/**
 * The `preservation.expire` job: at the end of the period the request expires (and its copy is deleted), unless a
 * production request of the same agency for the same targets is still open: then the copy is kept and looked at again
 * (e-Evidence Art. 11(1): preserve as long as needed to produce once a production request is confirmed).
 */
export async function expirePreservation(deps: ExpiryDeps, input: { taskId: unknown }): Promise<string | undefined> {
  return handleTask(deps, input.taskId, async (repositories, task) => {
    if (!task.requestId) return 'invalid';
    const request = await repositories.requests.find({ kind: 'desk' }, task.requestId);
    if (!request || !['active', 'extended'].includes(request.state)) return 'moot';
    const preservation = await repositories.preservations.find(request.id, { lock: true });
    if (!preservation || preservation.expiresAt !== task.payload.expiresAt) return 'superseded';
    const targets = await repositories.requests.targets(request.id);
    const naming = await repositories.requests.openRequestsNaming(
      targets.map((target) => target.value),
      request.id,
    );
    const tracking = [...new Set([...naming.values()].flat())];
    for (const number of tracking) {
      const other = await repositories.requests.find({ kind: 'desk' }, number);
      if (other && other.agencyId === request.agencyId && other.kind !== 'preservation') {
        const recheck = new Date(deps.clock.now().getTime() + PENDING_PRODUCTION_RECHECK_HOURS * HOUR);
        await repositories.preservations.setExpiry(preservation.id, recheck);
        await repositories.schedule.put({
          key: `preservation:${request.id}:expire:${recheck.toISOString()}`,
          topic: EXPIRE_TOPIC,
          requestId: request.id,
          dueAt: recheck,
          payload: { expiresAt: recheck.toISOString() },
        });
        await repositories.audit.append(SYSTEM_ACTOR, {
          type: 'preservation.expiry_changed',
          requestId: request.id,
          data: { preservationId: preservation.id, expiresAt: recheck.toISOString(), why: 'production_pending' },
        });
        return 'production_pending';
      }
    }
    await applyTransition(repositories, SYSTEM_ACTOR, request, 'expire_preservation');
    return 'expired';
  });
}

/** The `preservation.remind` job: tells the officer and the desk the preservation expires soon, once per reminder. */
export async function remindPreservationExpiry(deps: ExpiryDeps, input: { taskId: unknown }): Promise<string | undefined> {
  type Mail = { to: string; subject: string; key: string; channel: string };
  return handleTaskWithEffect(deps, input.taskId, {
    async decide(
      repositories,
      task,
      decided,
    ): Promise<TaskDecision<{ requestId: string; preservationId: string; expiresAt: string; text: string; mails: Mail[] }>> {
      if (!task.requestId) return { done: 'invalid' };
      const request = await repositories.requests.find({ kind: 'desk' }, task.requestId);
      if (!request) return { done: 'gone' };
      const preservation = await repositories.preservations.find(request.id);
      if (!preservation) return { done: 'gone' };
      if (!decided && !['active', 'extended'].includes(request.state)) return { done: 'moot' };
      if (!decided && preservation.expiresAt !== task.payload.expiresAt) return { done: 'superseded' };
      const extendable = request.state === 'active' ? ' It can be extended once; ' : ' It was extended already; ';
      const text = `Preservation ${request.trackingNumber} (${request.jurisdiction}) expires at ${preservation.expiresAt}.${extendable}a production request for the preserved data keeps it while that request is open.\n`;
      const officer = await repositories.users.find(request.officerId);
      const mails: Mail[] = [
        ...(officer?.status === 'active'
          ? [
              {
                to: officer.email,
                subject: `Preservation ${request.trackingNumber} expires soon`,
                key: `expiry-${task.id}-officer`,
                channel: 'officer_email',
              },
            ]
          : []),
        ...(deps.deskEmail
          ? [
              {
                to: deps.deskEmail,
                subject: `[Writ] Preservation ${request.trackingNumber} expires soon`,
                key: `expiry-${task.id}-desk`,
                channel: 'desk_email',
              },
            ]
          : []),
      ];
      return { effect: { requestId: request.id, preservationId: preservation.id, expiresAt: preservation.expiresAt, text, mails } };
    },
    async act(reminder) {
      for (const mail of reminder.mails) await deps.mailer.send({ to: mail.to, subject: mail.subject, text: reminder.text, key: mail.key });
      return reminder.mails.map((mail) => mail.channel);
    },
    async finish(repositories, _task, reminder, channels) {
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'preservation.expiry_reminded',
        requestId: reminder.requestId,
        data: { preservationId: reminder.preservationId, expiresAt: reminder.expiresAt, channels },
      });
      return 'sent';
    },
  });
}

/**
 * The `request.release-copy` job: when a preservation has expired, was released or withdrawn, its copy is marked
 * released and its files deleted (a file another sealed copy also holds stays). Safe to repeat.
 */
export async function releaseCopy(
  deps: {
    readonly store: Transactor<Pick<Repositories, 'requests' | 'preservations' | 'schedule' | 'audit'>>;
    readonly files: Pick<FileStore, 'remove'>;
    readonly clock: Clock;
  },
  input: { requestId: string },
): Promise<number> {
  const released = await deps.store.transaction(async (repositories) => {
    const request = await repositories.requests.find({ kind: 'desk' }, input.requestId);
    if (!request || request.kind !== 'preservation' || !['expired', 'released', 'withdrawn'].includes(request.state)) return undefined;
    const preservation = await repositories.preservations.find(request.id, { lock: true });
    if (!preservation) return undefined;
    await repositories.schedule.cancel({ requestId: request.id, keyPrefix: `preservation:${request.id}:` });
    const items = await repositories.preservations.release(preservation.id, deps.clock.now());
    const files = [...new Set(items.flatMap((item) => (item.sha256 ? [item.sha256] : [])))];
    if (preservation.copyState !== 'released') {
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'preservation.copy_released',
        requestId: request.id,
        data: { preservationId: preservation.id, files: files.length },
      });
    }
    return files;
  });
  if (!released) return 0;
  let removed = 0;
  for (const sha256 of released) {
    if (await deps.store.read.preservations.fileInUse(sha256)) continue;
    await deps.files.remove(sha256);
    removed += 1;
  }
  return removed;
}
