/**
 * The transparency report for a half-year or any range, computed from the same records the desk works on and stamped
 * with the audit log's signed tree head at that moment; and removal decisions as DSA statements of reasons. Anyone may
 * read the public report of a published period (`publicTransparencyReport`); the operator's exact report
 * (`transparencyReport`) is for `writ report --internal` and the desk's own tools, never for publication as it is.
 */
import { can, type Actor } from '../core/actor.ts';
import { treeHeadJson } from '../core/audit-log.ts';
import { statementOfReasons, type StatementOfReasons } from '../core/dsa.ts';
import { WritError } from '../core/errors.ts';
import type { Repositories, Transactor } from '../core/ports.ts';
import { publicReport } from '../core/report-disclosure.ts';
import { isPublished, parsePeriodId, publishedPeriods, type PublicationRules } from '../core/report-periods.ts';
import { buildReport, halfYear, halfYearOf, type ReportFacts, type TransparencyReport } from '../core/transparency.ts';
import { sequenceAuditLog, type SequenceDeps } from './audit-log.ts';
import { requirePermission } from './common.ts';

export interface ReportDeps extends Omit<SequenceDeps, 'store'> {
  readonly store: Transactor<Pick<Repositories, 'transparency' | 'auditTree' | 'audit'>>;
  /** The public report's threshold: no figure in it is about fewer requests than this (0 or 1: exact). */
  readonly reportBandBelow: number;
  /** Which periods anyone may read. */
  readonly reportPublication: PublicationRules;
}

export interface ReportPeriodInput {
  /** A period by id: a half-year (`2025-H2`) or a month (`2025-11`). */
  readonly period?: string | undefined;
  /** A half-year, `2025-H2` (the same as `period`). */
  readonly half?: string | undefined;
  /** A range [from, to): dates (`2025-07-01`) or instants, UTC. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

const MAX_RANGE_MS = 30 * 366 * 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z)?$/;

/** The range a report covers: a half-year, or from and to; the current half-year when neither is given. */
export function reportPeriod(input: ReportPeriodInput, now: Date): { from: string; to: string; label: string | null } {
  if (input.period !== undefined && input.half !== undefined && input.period !== input.half) {
    throw new WritError('REPORT_RANGE_INVALID', 'Give one period.');
  }
  const id = input.period ?? input.half;
  if (id !== undefined) {
    if (input.from !== undefined || input.to !== undefined) {
      throw new WritError('REPORT_RANGE_INVALID', 'Give either a period or a range (from and to), not both.');
    }
    const period = parsePeriodId(id);
    if (!period) throw new WritError('REPORT_RANGE_INVALID', 'A period is a half-year (2025-H1, 2025-H2) or a month (2025-07).');
    return period;
  }
  if (input.from === undefined && input.to === undefined) return halfYear(halfYearOf(now))!;
  if (input.from === undefined || input.to === undefined) throw new WritError('REPORT_RANGE_INVALID', 'A range needs both from and to.');
  const parse = (value: string) => (DATE.test(value) ? Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value) : Number.NaN);
  const from = parse(input.from);
  const to = parse(input.to);
  if (!Number.isFinite(from) || !Number.isFinite(to)) {
    throw new WritError('REPORT_RANGE_INVALID', 'from and to are dates (2025-07-01) or UTC instants (2025-07-01T00:00:00Z).');
  }
  if (to <= from || to - from > MAX_RANGE_MS) {
    throw new WritError('REPORT_RANGE_INVALID', 'to must come after from, at most thirty years later.');
  }
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), label: null };
}

/**
 * The facts of a period with the tree head they were read under. Events not yet in the audit log's tree are placed
 * first, so the tree head the report carries covers every event behind its numbers; both are read in one snapshot.
 */
async function periodFacts(
  deps: ReportDeps,
  period: { from: string; to: string },
): Promise<{ facts: ReportFacts; treeHead: TransparencyReport['treeHead'] }> {
  const range = { from: new Date(period.from), to: new Date(period.to) };
  await sequenceAuditLog(deps, { wait: false }).catch(() => undefined);
  let snapshot = await deps.store.read.transparency.facts(range);
  // An event committed between the sequencer and the snapshot: place it and read again (twice at most).
  for (let attempt = 0; attempt < 2 && snapshot.unplaced > 0; attempt += 1) {
    await sequenceAuditLog(deps, { wait: true }).catch(() => undefined);
    snapshot = await deps.store.read.transparency.facts(range);
  }
  return { facts: snapshot.facts, treeHead: snapshot.treeHead ? treeHeadJson(snapshot.treeHead) : null };
}

/**
 * The operator's report (audience `internal`): any period or range, exact unless `bandBelow` asks for bands. For
 * `writ report --internal` and the desk's own checks; the public gets `publicTransparencyReport`.
 */
export async function transparencyReport(
  deps: ReportDeps,
  input: ReportPeriodInput & { bandBelow?: number | undefined },
): Promise<TransparencyReport> {
  const period = reportPeriod(input, deps.clock.now());
  const bandBelow = input.bandBelow ?? 0;
  if (!Number.isInteger(bandBelow) || bandBelow < 0 || bandBelow > 1000) {
    throw new WritError('REPORT_RANGE_INVALID', 'Banding is a whole number from 0 (none) to 1000.');
  }
  const { facts, treeHead } = await periodFacts(deps, period);
  return buildReport(facts, { period, computedAt: deps.clock.now().toISOString(), bandBelow, treeHead });
}

/**
 * Which period a public report is for, or why not: anyone may name a published period (the latest published half-year
 * when none is named); a range of one's own choosing, or a period not yet published, is the desk's alone
 * (`report.export`). Bad input throws before anything is read.
 */
export function publicReportPeriod(
  deps: Pick<ReportDeps, 'clock' | 'reportPublication'>,
  actor: Actor | undefined,
  input: ReportPeriodInput,
): { from: string; to: string; label: string | null } {
  const now = deps.clock.now();
  const desk = actor !== undefined && actor.organisationKind === 'platform' && can(actor, 'report.export');
  if ((input.from !== undefined || input.to !== undefined) && !desk) {
    throw new WritError(
      'REPORT_RANGE_NOT_PUBLIC',
      'The public report is given per published period (GET /api/v1/transparency/periods), as ?period=2026-H1 or ?period=2026-05; a range of dates is for the desk.',
    );
  }
  if (input.period === undefined && input.half === undefined && input.from === undefined && input.to === undefined) {
    return parsePeriodId(latestPublishedHalfYear(now, deps.reportPublication))!;
  }
  const period = reportPeriod(input, now);
  if (period.label !== null && !desk && !isPublished(period, now, deps.reportPublication)) {
    throw new WritError(
      'REPORT_PERIOD_NOT_PUBLISHED',
      'That period is not published yet: GET /api/v1/transparency/periods lists those that are.',
    );
  }
  return period;
}

/** The newest half-year published at `now`. */
function latestPublishedHalfYear(now: Date, rules: PublicationRules): string {
  for (let at = new Date(now); ; at = new Date(Date.parse(halfYear(halfYearOf(at))!.from) - 1)) {
    const id = halfYearOf(at);
    if (isPublished(parsePeriodId(id)!, now, rules)) return id;
  }
}

/**
 * The public report (audience `public`) of a period `publicReportPeriod` allows: rows under the threshold merged,
 * small counts banded, and whatever would let a reader work out a figure about fewer requests withheld.
 */
export async function publicTransparencyReport(
  deps: ReportDeps,
  actor: Actor | undefined,
  input: ReportPeriodInput,
): Promise<TransparencyReport> {
  const period = publicReportPeriod(deps, actor, input);
  const { facts, treeHead } = await periodFacts(deps, period);
  return publicReport(facts, { period, computedAt: deps.clock.now().toISOString(), threshold: deps.reportBandBelow, treeHead });
}

/** The ids of the published periods, oldest first: from the platform's start, never from when a request came. */
export async function listPublishedPeriods(
  deps: Pick<ReportDeps, 'clock' | 'reportPublication'> & { readonly store: Transactor<Pick<Repositories, 'transparency'>> },
): Promise<{ halfYears: string[]; months: string[] }> {
  const now = deps.clock.now();
  const since = await deps.store.read.transparency.since();
  return publishedPeriods(since ? new Date(since) : now, now, deps.reportPublication);
}

/** Records that a report was written out (`writ report`), with the hash of its JSON and the tree head it names. */
export async function recordReport(
  deps: Pick<ReportDeps, 'store'>,
  actor: Actor,
  input: { report: TransparencyReport; jsonSha256: string },
): Promise<void> {
  await deps.store.transaction((repositories) =>
    repositories.audit.append(actor, {
      type: 'report.generated',
      data: {
        from: input.report.period.from,
        to: input.report.period.to,
        treeSize: input.report.treeHead?.treeSize ?? 0,
        jsonSha256: input.jsonSha256,
      },
    }),
  );
}

/** Removal orders acted on in the range, as DSA statements of reasons (a kept order restricts nothing: none for it). */
export async function dsaStatements(
  deps: Pick<ReportDeps, 'store' | 'clock'>,
  actor: Actor,
  input: ReportPeriodInput,
): Promise<{ period: { from: string; to: string }; statements: StatementOfReasons[] }> {
  requirePermission(actor, 'report.export');
  const period = reportPeriod(input, deps.clock.now());
  const decisions = await deps.store.read.transparency.removalDecisions({ from: new Date(period.from), to: new Date(period.to) });
  const statements = decisions.map(statementOfReasons).filter((statement): statement is StatementOfReasons => statement !== undefined);
  await deps.store.transaction((repositories) =>
    repositories.audit.append(actor, {
      type: 'dsa.statements_exported',
      data: { from: period.from, to: period.to, statements: statements.length },
    }),
  );
  return { period: { from: period.from, to: period.to }, statements };
}
