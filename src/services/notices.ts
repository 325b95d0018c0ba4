/**
 * User notice. When data about a target is delivered (or content of theirs removed), a notice per request and target is
 * planned (core/notices.ts: policy, law, gag order and its end, emergency) in one transaction with its audit event and,
 * when it may go, a scheduled task for the moment it may. The send job checks again (a gag the desk extended meanwhile
 * stops it and moves it), mails the user a link to their notice page, and records it sent, once. Notices held by a gag
 * with an end date go out when it ends without anyone doing anything; the desk records a gag's end or its lifting,
 * and counsel may release a notice the law left to the authority.
 */
import { SYSTEM_ACTOR, type Actor } from '../core/actor.ts';
import type { PlatformConnector } from '../core/connector.ts';
import { WritError } from '../core/errors.ts';
import { normalizeContent, normalizeIdentifier } from '../core/identifiers.ts';
import type { DataCategory } from '../core/request.ts';
import { gagEnds, gagForbids, planNotice, type NoticePlan } from '../core/notices.ts';
import type { DateRange, RequestRecord, TargetRecord } from '../core/model.ts';
import type { Clock, Mailer, NoticeRecord, NoticeTokens, Repositories, Secrets, Transactor } from '../core/ports.ts';
import { nonDisclosureInputSchema, releaseNoticeInputSchema, revokeNoticeLinkInputSchema } from '../core/schemas.ts';
import { loadRequest, parseInput, recordRead, requirePermission } from './common.ts';
import { findingsOf, type ReviewRules } from './review-request.ts';
import { handleTaskWithEffect, type TaskDecision } from './schedule.ts';

export const SEND_NOTICE_TOPIC = 'notice.send';

type NoticeRepositories = Pick<
  Repositories,
  'requests' | 'documents' | 'organisations' | 'productions' | 'notices' | 'removals' | 'schedule' | 'audit'
>;

export interface NoticePlanDeps {
  readonly store: Transactor<NoticeRepositories>;
  readonly clock: Clock;
  readonly review: ReviewRules;
}

async function scheduleSend(repositories: Pick<Repositories, 'schedule'>, notice: NoticeRecord, requestId: string): Promise<void> {
  await repositories.schedule.cancel({ requestId, keyPrefix: `notice:${notice.id}:` });
  if (notice.state !== 'scheduled' || !notice.notBefore) return;
  await repositories.schedule.put({
    key: `notice:${notice.id}:${notice.notBefore}`,
    topic: SEND_NOTICE_TOPIC,
    requestId,
    dueAt: new Date(notice.notBefore),
    payload: { noticeId: notice.id },
  });
}

/** Plans the notice of each target, in the caller's transaction; a target planned before is left as it is. */
export async function planNoticesIn(
  repositories: NoticeRepositories,
  deps: Pick<NoticePlanDeps, 'clock' | 'review'>,
  request: RequestRecord,
  targetIds: readonly string[],
  purpose: NoticeRecord['purpose'],
): Promise<NoticeRecord[]> {
  if (targetIds.length === 0) return [];
  const findings = await findingsOf(repositories, deps, request);
  const now = deps.clock.now();
  const plan = planNotice({ ...request, purpose }, findings, deps.review.policy, now);
  const planned: NoticeRecord[] = [];
  for (const targetId of targetIds) {
    const { notice, created } = await repositories.notices.create({ requestId: request.id, targetId, purpose, plan });
    if (!created) continue;
    await repositories.audit.append(SYSTEM_ACTOR, {
      type: 'notice.planned',
      requestId: request.id,
      data: { noticeId: notice.id, targetId, state: notice.state, basis: notice.basis, notBefore: notice.notBefore },
    });
    await scheduleSend(repositories, notice, request.id);
    planned.push(notice);
  }
  return planned;
}

/** The `request.plan-notices` job, after delivery: a notice for each target some data of which was disclosed. */
export async function planDisclosureNotices(deps: NoticePlanDeps, input: { requestId: string }): Promise<NoticeRecord[]> {
  return deps.store.transaction(async (repositories) => {
    const request = await repositories.requests.find({ kind: 'desk' }, input.requestId);
    if (!request || !['delivered', 'closed'].includes(request.state)) return [];
    const parts = await repositories.productions.parts(request.id);
    const disclosed = new Set(
      parts.flatMap((part) => part.outcomes.filter((outcome) => outcome.status === 'produced').map((outcome) => outcome.targetId)),
    );
    const targets = (await repositories.requests.targets(request.id)).filter((target) => disclosed.has(target.id));
    return planNoticesIn(
      repositories,
      deps,
      request,
      targets.map((target) => target.id),
      'disclosure',
    );
  });
}

export interface SendNoticeDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'notices' | 'removals' | 'schedule' | 'organisations' | 'audit'>>;
  readonly clock: Clock;
  readonly connector: PlatformConnector;
  readonly mailer: Mailer;
  readonly noticeTokens: NoticeTokens;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
  readonly publicUrl: string;
}

const INSTRUMENT_WORDS: Readonly<Record<string, string>> = {
  subpoena: 'a subpoena',
  court_order: 'a court order',
  search_warrant: 'a search warrant',
  interception_order: 'an interception order',
  communication_confirmation_permit: 'a court permission for communication confirmation data',
  production_order: 'a production order',
  preservation_order: 'a preservation order',
  removal_order: 'a removal order',
  emergency_request: 'an emergency request',
  mlat_request: 'a mutual legal assistance request',
  letter: 'a letter',
  other: 'legal process',
};

/** Where to reach the person a notice is for: the accounts the target names, or the author of removed content. */
async function addressesFor(deps: SendNoticeDeps, request: RequestRecord, notice: NoticeRecord, target: TargetRecord | undefined) {
  if (!deps.connector.contact || !target) return [];
  let accounts: string[] = [];
  if (notice.purpose === 'removal') {
    const action = (await deps.store.read.removals.forRequest(request.id)).find((item) => item.targetId === target.id);
    accounts = action?.authorAccount ? [action.authorAccount] : [];
  } else {
    const resolved = await deps.connector.resolve(normalizeIdentifier(target.kind, target.value, request.jurisdiction));
    accounts = resolved.status === 'found' ? resolved.accounts.map((account) => account.id) : [];
  }
  const emails = new Set<string>();
  for (const account of accounts) {
    const contact = await deps.connector.contact(account);
    if (contact?.email) emails.add(contact.email);
  }
  return [...emails].sort();
}

function noticeText(request: RequestRecord, platform: string, notice: NoticeRecord, link: string): { subject: string; text: string } {
  const process = [
    INSTRUMENT_WORDS[request.legalProcess.instrumentType] ?? 'legal process',
    request.legalProcess.issuingAuthority ? `issued by ${request.legalProcess.issuingAuthority}` : '',
    request.legalProcess.reference ? `(${request.legalProcess.reference})` : '',
  ]
    .filter(Boolean)
    .join(' ');
  const what =
    notice.purpose === 'removal'
      ? `asked ${platform} to act against content you posted, and we acted on it`
      : `asked ${platform} for information about your account, and we disclosed some of it`;
  return {
    subject: `${platform}: a government request concerning your account`,
    text: [
      `${request.agencyName} (${request.jurisdiction}) ${what}, under ${process}.`,
      '',
      'What was asked, what we did, and how you can challenge it:',
      link,
      '',
      'The page is for you alone; anyone with the link can read it.',
      '',
    ].join('\n'),
  };
}

/** The `notice.send` job: mails the user their notice when it may go, once. */
export async function sendNotice(deps: SendNoticeDeps, input: { taskId: unknown }): Promise<string | undefined> {
  const platform = (await deps.store.read.organisations.platform())?.name ?? 'The platform';
  type Mail = {
    notice: NoticeRecord;
    request: RequestRecord;
    target: TargetRecord | undefined;
    token: string;
    subject: string;
    text: string;
  };
  return handleTaskWithEffect(deps, input.taskId, {
    async decide(repositories, task, decided): Promise<TaskDecision<Mail>> {
      const id = task.payload.noticeId;
      if (typeof id !== 'string') return { done: 'invalid' };
      const notice = await repositories.notices.find(id, { lock: true });
      if (!notice || notice.state !== 'scheduled') return { done: 'moot' };
      const request = await repositories.requests.find({ kind: 'desk' }, notice.requestId);
      if (!request) return { done: 'gone' };
      const now = deps.clock.now();
      if (!decided && notice.notBefore && Date.parse(notice.notBefore) > now.getTime()) {
        // Planned later since this task was set: the task for the new time stands (made again here to be sure).
        await scheduleSend(repositories, notice, request.id);
        return { done: 'early' };
      }
      if (!decided && gagForbids(request, now)) {
        // The gag was extended (or its end removed) after this was planned: it waits for the new end, or for the desk.
        const until = request.nonDisclosure.until;
        const plan: NoticePlan = until
          ? {
              state: 'scheduled',
              basis: 'gag',
              basisDetail: `A non-disclosure order until ${until}.`,
              notBefore: gagEnds(until).toISOString(),
            }
          : { state: 'withheld', basis: 'gag_without_end', basisDetail: 'A non-disclosure order without an end date.', notBefore: null };
        await repositories.notices.replan(notice.id, plan);
        await scheduleSend(repositories, { ...notice, ...plan }, request.id);
        return { done: 'gag' };
      }
      const target = (await repositories.requests.targets(request.id)).find((item) => item.id === notice.targetId);
      const token = deps.noticeTokens.tokenFor(notice.id);
      return { effect: { notice, request, target, token, ...noticeText(request, platform, notice, `${deps.publicUrl}/notice/${token}`) } };
    },
    // The user's address comes from the platform, read outside Writ's transaction; the same key every time, so a
    // notice mailed again after a crash is the same message, not a second notice.
    async act(mail) {
      const addresses = await addressesFor(deps, mail.request, mail.notice, mail.target);
      for (const [index, to] of addresses.entries()) {
        await deps.mailer.send({ to, subject: mail.subject, text: mail.text, key: `notice-${mail.notice.id}-${index}` });
      }
      return addresses.length;
    },
    async finish(repositories, _task, mail, mailed) {
      const notice = await repositories.notices.find(mail.notice.id, { lock: true });
      if (notice?.state !== 'scheduled') return 'moot';
      if (mailed === 0) {
        await repositories.notices.markNoContact(notice.id);
        await repositories.audit.append(SYSTEM_ACTOR, {
          type: 'notice.no_contact',
          requestId: notice.requestId,
          data: { noticeId: notice.id, targetId: notice.targetId },
        });
        return 'no_contact';
      }
      await repositories.notices.markSent(notice.id, deps.clock.now(), deps.secrets.sha256Hex(mail.token));
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'notice.sent',
        requestId: notice.requestId,
        data: { noticeId: notice.id, targetId: notice.targetId },
      });
      return 'sent';
    },
  });
}

export interface NoticeDeskDeps {
  readonly store: Transactor<NoticeRepositories & Pick<Repositories, 'messages' | 'outbox'>>;
  readonly clock: Clock;
  readonly review: ReviewRules;
}

/** The desk's view of a request's notices. */
export async function listNotices(
  deps: { readonly store: Transactor<Pick<Repositories, 'requests' | 'notices' | 'audit'>> },
  actor: Actor,
  input: { reference: string },
): Promise<NoticeRecord[]> {
  requirePermission(actor, 'notice.read');
  const request = await loadRequest(deps.store.read.requests, actor, input.reference);
  const notices = await deps.store.read.notices.forRequest(request.id);
  await recordRead(deps.store.read.audit, actor, request.id, 'notices');
  return notices;
}

/**
 * The desk records what it learned of the non-disclosure order: its end date, that it has none, or that there is none
 * (lifted). Every notice not yet sent is planned again, and goes out when the new plan allows, by itself.
 */
export async function recordNonDisclosure(
  deps: NoticeDeskDeps,
  actor: Actor,
  input: { reference: string; body: unknown },
): Promise<NoticeRecord[]> {
  requirePermission(actor, 'notice.manage');
  const change = parseInput(nonDisclosureInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    const nonDisclosure = { ordered: change.ordered, until: change.ordered ? (change.until ?? null) : null };
    await repositories.requests.setNonDisclosure(request.id, nonDisclosure);
    await repositories.audit.append(actor, {
      type: 'request.non_disclosure_changed',
      requestId: request.id,
      data: { until: nonDisclosure.until, reason: change.reason },
    });
    const updated = { ...request, nonDisclosure };
    const findings = await findingsOf(repositories, deps, updated);
    const notices = await repositories.notices.forRequest(request.id);
    for (const notice of notices) {
      // Sent notices stay sent; one counsel released stays released (a gag still holds it at sending).
      if (!['scheduled', 'withheld'].includes(notice.state) || notice.basis === 'desk') continue;
      const plan = planNotice({ ...updated, purpose: notice.purpose }, findings, deps.review.policy, new Date(notice.createdAt));
      const now = deps.clock.now();
      const notBefore = plan.notBefore && Date.parse(plan.notBefore) < now.getTime() ? now.toISOString() : plan.notBefore;
      const replanned = { ...plan, notBefore };
      await repositories.notices.replan(notice.id, replanned);
      await repositories.audit.append(actor, {
        type: 'notice.planned',
        requestId: request.id,
        data: { noticeId: notice.id, targetId: notice.targetId, state: plan.state, basis: plan.basis, notBefore },
      });
      await scheduleSend(repositories, { ...notice, ...replanned }, request.id);
    }
    return repositories.notices.forRequest(request.id);
  });
}

/** Counsel releases a notice the law left to the authority (its notice given, or its reason gone): it goes now. */
export async function releaseNotice(
  deps: NoticeDeskDeps,
  actor: Actor,
  input: { reference: string; noticeId: string; body: unknown },
): Promise<NoticeRecord> {
  requirePermission(actor, 'notice.release');
  const { reason } = parseInput(releaseNoticeInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    const notice = await repositories.notices.find(input.noticeId, { lock: true });
    if (!notice || notice.requestId !== request.id) throw new WritError('NOTICE_NOT_FOUND', 'No such notice on this request.');
    if (notice.state !== 'withheld') throw new WritError('INVALID_TRANSITION', `The notice is ${notice.state}, not withheld.`);
    if (gagForbids(request, deps.clock.now())) {
      throw new WritError('INVALID_TRANSITION', 'A non-disclosure order still stands; record its end first (POST …/non-disclosure).');
    }
    const plan: NoticePlan = { state: 'scheduled', basis: 'desk', basisDetail: reason, notBefore: deps.clock.now().toISOString() };
    await repositories.notices.replan(notice.id, plan);
    await repositories.audit.append(actor, {
      type: 'notice.planned',
      requestId: request.id,
      data: { noticeId: notice.id, targetId: notice.targetId, state: plan.state, basis: plan.basis, notBefore: plan.notBefore },
    });
    const released = { ...notice, ...plan };
    await scheduleSend(repositories, released, request.id);
    return released;
  });
}

/**
 * The desk revokes a sent notice's link (forwarded, leaked, or the user asks): from then on the page answers exactly as
 * a wrong link does. Audited with the reason.
 */
export async function revokeNoticeLink(
  deps: { readonly store: Transactor<Pick<Repositories, 'requests' | 'notices' | 'audit'>>; readonly clock: Clock },
  actor: Actor,
  input: { reference: string; noticeId: string; body: unknown },
): Promise<NoticeRecord> {
  requirePermission(actor, 'notice.manage');
  const { reason } = parseInput(revokeNoticeLinkInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    const notice = await repositories.notices.find(input.noticeId, { lock: true });
    if (!notice || notice.requestId !== request.id) throw new WritError('NOTICE_NOT_FOUND', 'No such notice on this request.');
    if (notice.state !== 'sent') throw new WritError('INVALID_TRANSITION', `The notice is ${notice.state}: it has no link yet.`);
    if (notice.linkRevokedAt) return notice;
    const now = deps.clock.now();
    await repositories.notices.revokeLink(notice.id, now);
    await repositories.audit.append(actor, {
      type: 'notice.link_revoked',
      requestId: request.id,
      data: { noticeId: notice.id, targetId: notice.targetId, reason },
    });
    return { ...notice, linkRevokedAt: now.toISOString() };
  });
}

/** What a notified user reads on their notice page: their own notice only, nothing of other targets or the desk. */
export interface NoticeView {
  readonly notifiedAt: string;
  readonly purpose: 'disclosure' | 'removal';
  readonly platform: string;
  readonly agency: { readonly name: string; readonly jurisdiction: string };
  readonly legalProcess: {
    readonly instrumentType: RequestRecord['legalProcess']['instrumentType'];
    readonly issuingAuthority: string | null;
    readonly reference: string | null;
    readonly issuedOn: string | null;
  };
  readonly requestKind: RequestRecord['kind'];
  readonly receivedAt: string;
  readonly account: string;
  readonly disclosed: ReadonlyArray<{
    readonly category: DataCategory;
    readonly range: DateRange | null;
    readonly records: number;
    readonly status: string;
  }>;
  readonly removal: {
    readonly action: 'removed' | 'restricted' | 'kept';
    readonly countries: readonly string[];
    readonly content: string;
    readonly statementOfReasons: string;
    readonly actedAt: string | null;
    readonly automated: false;
  } | null;
  readonly challenge: { readonly en: string; readonly ko: string };
  readonly contact: string | null;
}

/**
 * The public notice page's data, by its token. A token that is malformed, unknown, of a notice not sent, older than
 * the link's lifetime or revoked by the desk answers exactly like a missing one. Each view is an audit event.
 */
export async function readNotice(
  deps: {
    readonly store: Transactor<Pick<Repositories, 'requests' | 'notices' | 'productions' | 'removals' | 'organisations' | 'audit'>>;
    readonly secrets: Pick<Secrets, 'sha256Hex'>;
    readonly clock: Clock;
    readonly review: ReviewRules;
    /** Days a link opens its page after the notice was sent. */
    readonly noticeLinkDays: number;
  },
  input: { token: string },
): Promise<NoticeView> {
  const missing = () => new WritError('NOT_FOUND', 'No such notice.');
  if (!/^writ_n_[A-Za-z0-9_-]{43}$/.test(input.token)) throw missing();
  const now = deps.clock.now();
  const sentAfter = new Date(now.getTime() - deps.noticeLinkDays * 86_400_000);
  const notice = await deps.store.read.notices.findSent(deps.secrets.sha256Hex(input.token), now, sentAfter);
  if (!notice?.sentAt) throw missing();
  // A view of what was disclosed about someone is a read of request data: it leaves a trace, before it is shown.
  await deps.store.transaction((repositories) =>
    repositories.audit.append(SYSTEM_ACTOR, {
      type: 'notice.viewed',
      requestId: notice.requestId,
      data: { noticeId: notice.id, targetId: notice.targetId },
    }),
  );
  const request = await deps.store.read.requests.find({ kind: 'desk' }, notice.requestId);
  if (!request) throw missing();
  const target = (await deps.store.read.requests.targets(request.id)).find((item) => item.id === notice.targetId);
  const platform = (await deps.store.read.organisations.platform())?.name ?? 'The platform';
  const outcomes = (await deps.store.read.productions.parts(request.id))
    .filter((part) => part.state === 'completed')
    .flatMap((part) => part.outcomes.filter((outcome) => outcome.targetId === notice.targetId).map((outcome) => ({ outcome, part })));
  const byCategory = new Map<DataCategory, { records: number; status: string; range: DateRange | null }>();
  for (const { outcome, part } of outcomes) {
    const seen = byCategory.get(outcome.category);
    const range = part.window ?? request.dateRange;
    byCategory.set(outcome.category, {
      records: (seen?.records ?? 0) + outcome.records,
      status: seen?.status === 'produced' || outcome.status === 'produced' ? 'produced' : outcome.status,
      range:
        seen?.range && range
          ? { from: seen.range.from < range.from ? seen.range.from : range.from, to: seen.range.to > range.to ? seen.range.to : range.to }
          : range,
    });
  }
  const action =
    notice.purpose === 'removal'
      ? (await deps.store.read.removals.forRequest(request.id)).find((item) => item.targetId === notice.targetId)
      : undefined;
  const policyNotice = deps.review.policy.notice;
  const labels = [...new Set(outcomes.flatMap(({ outcome }) => outcome.accounts))];
  return {
    notifiedAt: notice.sentAt,
    purpose: notice.purpose,
    platform,
    agency: { name: request.agencyName, jurisdiction: request.jurisdiction },
    legalProcess: {
      instrumentType: request.legalProcess.instrumentType,
      issuingAuthority: request.legalProcess.issuingAuthority,
      reference: request.legalProcess.reference,
      issuedOn: request.legalProcess.issuedOn,
    },
    requestKind: request.kind,
    receivedAt: request.receivedAt,
    account: labels.length > 0 ? labels.join(', ') : target ? normalizeContent(target.kind, target.value).value : '',
    disclosed: [...byCategory.entries()].map(([category, entry]) => ({ category, ...entry })),
    removal: action
      ? {
          action: action.action,
          countries: action.countries,
          content: target?.value ?? '',
          statementOfReasons: action.reasons,
          actedAt: action.actedAt,
          automated: false,
        }
      : null,
    challenge: policyNotice?.challenge ?? { en: 'Contact the platform.', ko: '사업자에게 문의하십시오.' },
    contact: policyNotice?.contact ?? null,
  };
}
