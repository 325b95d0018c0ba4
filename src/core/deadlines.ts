/**
 * Deadlines and how they are chased, as pure rules. A request's deadline is the earliest of the date the agency gave
 * and every response or removal deadline the law that applies sets (a finding with a due date: one hour for terrorist
 * content in the EU, TCO Art. 3(3); three hours for an Indian takedown, IT Rules r. 3(1)(d); ten days or eight hours
 * for an EU production order, e-Evidence Art. 10). Before it passes the desk is reminded, then on-call is paged; when
 * it passes, both again.
 */
import type { Finding } from './review/engine.ts';
import type { RequestKind, RequestState } from './request.ts';

/** Finding codes whose due date is a deadline for answering the request. */
export const DEADLINE_CODES: ReadonlySet<string> = new Set(['RESPONSE_DEADLINE', 'REMOVAL_DEADLINE']);

export interface Deadline {
  readonly due: string;
  /** `agency` (the date the agency gave), or the id of the rule that sets it. */
  readonly basis: string;
}

/** The deadline that binds: the earliest of the agency's own and the law's; undefined when there is neither. */
export function responseDeadline(request: { readonly deadline: string | null }, findings: readonly Finding[]): Deadline | undefined {
  const candidates: Deadline[] = [];
  if (request.deadline) candidates.push({ due: new Date(request.deadline).toISOString(), basis: 'agency' });
  for (const finding of findings) {
    if (finding.due && DEADLINE_CODES.has(finding.code)) candidates.push({ due: finding.due, basis: finding.ruleId });
  }
  return candidates.sort((a, b) => Date.parse(a.due) - Date.parse(b.due) || a.basis.localeCompare(b.basis))[0];
}

const MET_BY_KIND: Readonly<Record<RequestKind, readonly RequestState[]>> = {
  disclosure: ['delivered'],
  emergency: ['delivered'],
  assistance: ['delivered'],
  // A prospective order is answered once its deliveries have started.
  prospective: ['producing', 'delivered'],
  preservation: ['active', 'extended', 'expired', 'released'],
  removal: ['actioned'],
};
const SETTLED: readonly RequestState[] = ['rejected', 'closed', 'withdrawn'];

/** Whether a request in `state` has answered its deadline (or no longer owes an answer). */
export function deadlineMet(kind: RequestKind, state: RequestState): boolean {
  return MET_BY_KIND[kind].includes(state) || SETTLED.includes(state);
}

/** The states in which a request of `kind` has answered its deadline or owes no answer any more. */
export function statesThatMeet(kind: RequestKind): readonly RequestState[] {
  return [...MET_BY_KIND[kind], ...SETTLED];
}

export const REMINDER_STAGES = ['reminder', 'escalation', 'overdue'] as const;
export type ReminderStage = (typeof REMINDER_STAGES)[number];

/** When each stage comes, as the share of the time from receipt to the deadline that has gone by. */
const STAGE_AT: Readonly<Record<ReminderStage, number>> = { reminder: 0.5, escalation: 0.8, overdue: 1 };

/**
 * When to remind about a deadline: half-way (the desk), at four fifths (the desk, and on-call for urgent kinds) and
 * when it passes (both). Stages already past at `now` are dropped but for the latest of them, which comes at once: a
 * request verified late still gets one reminder, not a burst.
 */
export function reminderPlan(receivedAt: string, due: string, now: Date): Array<{ readonly stage: ReminderStage; readonly at: Date }> {
  const start = Date.parse(receivedAt);
  const span = Math.max(0, Date.parse(due) - start);
  const all = REMINDER_STAGES.map((stage) => ({ stage, at: new Date(start + span * STAGE_AT[stage]) }));
  const past = all.filter((entry) => entry.at.getTime() <= now.getTime());
  const future = all.filter((entry) => entry.at.getTime() > now.getTime());
  const latestPast = past.at(-1);
  return [...(latestPast ? [{ stage: latestPast.stage, at: now }] : []), ...future];
}

/**
 * Whether `stage` is still worth sending at `now`: not when a later stage is due too (after downtime, only the latest
 * reminder goes out, not a burst of stale ones).
 */
export function stageCurrent(stage: ReminderStage, receivedAt: string, due: string, now: Date): boolean {
  const start = Date.parse(receivedAt);
  const span = Math.max(0, Date.parse(due) - start);
  const later = REMINDER_STAGES.slice(REMINDER_STAGES.indexOf(stage) + 1);
  return later.every((next) => start + span * STAGE_AT[next] > now.getTime());
}

/** Who hears of a stage: the desk always; on-call for the escalation of urgent requests, and for every overdue one. */
export function pagesOnCall(stage: ReminderStage, request: { readonly kind: RequestKind; readonly receivedAt: string }, due: string) {
  if (stage === 'overdue') return true;
  if (stage !== 'escalation') return false;
  // Urgent: removals and emergencies, and any deadline a day or less after receipt.
  return request.kind === 'removal' || request.kind === 'emergency' || Date.parse(due) - Date.parse(request.receivedAt) <= 86_400_000;
}
