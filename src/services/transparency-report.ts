/**
 * The transparency report for a half-year or any range, computed from the same records the desk works on and stamped
 * with the audit log's signed tree head at that moment; and removal decisions as DSA statements of reasons.
 */
import type { Actor } from '../core/actor.ts';
import { treeHeadJson } from '../core/audit-log.ts';
import { statementOfReasons, type StatementOfReasons } from '../core/dsa.ts';
import { WritError } from '../core/errors.ts';
import type { Repositories, Transactor } from '../core/ports.ts';
import { buildReport, halfYear, halfYearOf, type TransparencyReport } from '../core/transparency.ts';
import { sequenceAuditLog, type SequenceDeps } from './audit-log.ts';
import { requirePermission } from './common.ts';

export interface ReportDeps extends Omit<SequenceDeps, 'store'> {
  readonly store: Transactor<Pick<Repositories, 'transparency' | 'auditTree' | 'audit'>>;
  /** Counts from 1 up to this less one are published as a band (0: exact). */
  readonly reportBandBelow: number;
}

export interface ReportPeriodInput {
  /** A half-year, `2025-H2`. */
  readonly half?: string | undefined;
  /** A range [from, to): dates (`2025-07-01`) or instants, UTC. */
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

const MAX_RANGE_MS = 30 * 366 * 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?Z)?$/;

/** The range a report covers: a half-year, or from and to; the current half-year when neither is given. */
export function reportPeriod(input: ReportPeriodInput, now: Date): { from: string; to: string; label: string | null } {
  if (input.half !== undefined) {
    if (input.from !== undefined || input.to !== undefined) {
      throw new WritError('REPORT_RANGE_INVALID', 'Give either a half-year or a range (from and to), not both.');
    }
    const period = halfYear(input.half);
    if (!period) throw new WritError('REPORT_RANGE_INVALID', 'A half-year is written 2025-H1 or 2025-H2.');
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
 * The report. Events not yet in the audit log's tree are placed first, so the tree head the report carries covers
 * every event behind its numbers; the numbers and the head are read in one snapshot.
 */
export async function transparencyReport(
  deps: ReportDeps,
  input: ReportPeriodInput & { bandBelow?: number | undefined },
): Promise<TransparencyReport> {
  const period = reportPeriod(input, deps.clock.now());
  const bandBelow = input.bandBelow ?? deps.reportBandBelow;
  if (!Number.isInteger(bandBelow) || bandBelow < 0 || bandBelow > 1000) {
    throw new WritError('REPORT_RANGE_INVALID', 'Banding is a whole number from 0 (none) to 1000.');
  }
  const range = { from: new Date(period.from), to: new Date(period.to) };
  await sequenceAuditLog(deps, { wait: false }).catch(() => undefined);
  let snapshot = await deps.store.read.transparency.facts(range);
  // An event committed between the sequencer and the snapshot: place it and read again (twice at most).
  for (let attempt = 0; attempt < 2 && snapshot.unplaced > 0; attempt += 1) {
    await sequenceAuditLog(deps, { wait: true }).catch(() => undefined);
    snapshot = await deps.store.read.transparency.facts(range);
  }
  return buildReport(snapshot.facts, {
    period,
    computedAt: deps.clock.now().toISOString(),
    bandBelow,
    treeHead: snapshot.treeHead ? treeHeadJson(snapshot.treeHead) : null,
  });
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
