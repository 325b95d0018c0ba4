/**
 * Preservation terms as pure rules: how long a preservation holds and what its one extension adds come from the law
 * that applies (a `PRESERVATION_PERIOD` finding: 18 U.S.C. 2703(f), 90 days and once 90 more; e-Evidence Art. 11, 60
 * days and 30 more), else from the platform's policy. Counted from receipt, as the rules say.
 */
import type { Finding } from './review/engine.ts';
import type { Policy } from './review/rule-pack.ts';

export interface PreservationTerms {
  readonly expiresAt: string;
  readonly extensionHours: number;
  /** The rule the period comes from, or `policy`. */
  readonly basis: string;
}

const HOUR = 3_600_000;

/** The period that binds: where several laws apply, the longest (preserving longer breaks none of them). */
export function preservationTerms(
  request: { readonly receivedAt: string },
  findings: readonly Finding[],
  policy: Pick<Policy, 'preservation'>,
): PreservationTerms {
  const periods = findings
    .filter((finding) => finding.code === 'PRESERVATION_PERIOD' && finding.due)
    .sort((a, b) => Date.parse(b.due ?? '') - Date.parse(a.due ?? ''));
  const longest = periods[0];
  const fallbackExtension = policy.preservation.extension_days * 24;
  if (longest?.due) {
    return { expiresAt: longest.due, extensionHours: longest.extensionHours ?? fallbackExtension, basis: longest.ruleId };
  }
  return {
    expiresAt: new Date(Date.parse(request.receivedAt) + policy.preservation.days * 24 * HOUR).toISOString(),
    extensionHours: fallbackExtension,
    basis: 'policy',
  };
}

/** When to remind before `expiresAt`: on each of `days` before it that is still to come. */
export function expiryReminders(
  expiresAt: string,
  days: readonly number[],
  now: Date,
): Array<{ readonly days: number; readonly at: Date }> {
  return days
    .map((count) => ({ days: count, at: new Date(Date.parse(expiresAt) - count * 24 * HOUR) }))
    .filter((reminder) => reminder.at.getTime() > now.getTime());
}

/** The time column of a category's records, by which a sealed copy is cut to a narrower range; none for subscriber data. */
export function timeColumnOf(category: string, columns: readonly string[]): string | undefined {
  if (category === 'subscriber') return undefined;
  return ['at', 'sent_at', 'last_seen_at', 'created_at'].find((column) => columns.includes(column));
}
