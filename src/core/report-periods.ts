/**
 * The periods of the public transparency report, by id: a half-year (`2026-H1`) or a month (`2026-05`), UTC. A period
 * is published once it has ended and the platform's waiting time after it has passed; one still in progress only when
 * the platform opts in. Anyone may read a published period; nothing narrower or other: a report over an arbitrary
 * range lets whoever chooses the range isolate single requests (issue 17). Pure.
 */

export interface ReportPeriod {
  /** `2026-H1` or `2026-05`; null for a range the desk chose. */
  readonly label: string | null;
  /** [from, to), UTC instants. */
  readonly from: string;
  readonly to: string;
}

export interface PublicationRules {
  /** Days a period must have been over before it is published. */
  readonly afterDays: number;
  /** Also publish the periods in progress (and those still within their waiting time). */
  readonly includeOpen: boolean;
}

const HALF_YEAR = /^(\d{4})-H([12])$/;
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY_MS = 86_400_000;

const utc = (year: number, month: number) => new Date(Date.UTC(year, month, 1)).toISOString();

/** A period id as its range; undefined for anything else. */
export function parsePeriodId(id: string): ReportPeriod | undefined {
  const half = HALF_YEAR.exec(id);
  if (half) {
    const year = Number(half[1]);
    const first = half[2] === '1' ? 0 : 6;
    return { label: id, from: utc(year, first), to: utc(year, first + 6) };
  }
  const month = MONTH.exec(id);
  if (month) {
    const year = Number(month[1]);
    const index = Number(month[2]) - 1;
    return { label: id, from: utc(year, index), to: utc(year, index + 1) };
  }
  return undefined;
}

/** Whether anyone may read the period's report at `now`. Periods that have not begun never are. */
export function isPublished(period: ReportPeriod, now: Date, rules: PublicationRules): boolean {
  const from = Date.parse(period.from);
  const to = Date.parse(period.to);
  if (from > now.getTime()) return false;
  if (rules.includeOpen) return true;
  return to + rules.afterDays * DAY_MS <= now.getTime();
}

const monthId = (year: number, month: number) => `${year}-${String(month + 1).padStart(2, '0')}`;

/**
 * The published periods from the half-year of `since` (the platform's start: not a request's arrival, which would say
 * when the first request came) to `now`, oldest first. At most 50 years' worth.
 */
export function publishedPeriods(since: Date, now: Date, rules: PublicationRules): { halfYears: string[]; months: string[] } {
  const halfYears: string[] = [];
  const months: string[] = [];
  const startYear = Math.max(since.getUTCFullYear(), now.getUTCFullYear() - 50);
  const startMonth = startYear === since.getUTCFullYear() ? (since.getUTCMonth() < 6 ? 0 : 6) : 0;
  for (let year = startYear; year <= now.getUTCFullYear(); year += 1) {
    for (let month = year === startYear ? startMonth : 0; month < 12; month += 1) {
      const id = monthId(year, month);
      if (isPublished(parsePeriodId(id)!, now, rules)) months.push(id);
      if (month === 0 || month === 6) {
        const half = `${year}-H${month === 0 ? 1 : 2}`;
        if (isPublished(parsePeriodId(half)!, now, rules)) halfYears.push(half);
      }
    }
  }
  return { halfYears, months };
}
