/**
 * Whether and when the user behind a target may be told, as pure rules. In order: a gag order without an end date
 * withholds the notice (until the desk records an end); the law that applies may leave notice to the authority or
 * forbid the platform to give it (findings the policy names, e.g. e-Evidence Art. 13, PCSA Arts. 11 and 13-3); a gag
 * order with an end date delays it to the day after (18 U.S.C. 2705(b)); an emergency delays it until the emergency
 * has passed; otherwise the user is told when the data is disclosed.
 */
import type { Finding } from './review/engine.ts';
import type { Policy } from './review/rule-pack.ts';
import type { RequestKind } from './request.ts';

export const NOTICE_BASES = ['policy', 'gag', 'gag_without_end', 'law', 'emergency', 'desk'] as const;
export type NoticeBasis = (typeof NOTICE_BASES)[number];

export const NOTICE_STATES = ['scheduled', 'withheld', 'sent', 'no_contact', 'cancelled'] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

export interface NoticePlan {
  readonly state: 'scheduled' | 'withheld';
  readonly basis: NoticeBasis;
  /** The citation or order behind the basis, for the desk. */
  readonly basisDetail: string | null;
  readonly notBefore: string | null;
}

export interface NoticeFacts {
  readonly kind: RequestKind;
  /**
   * disclosure: data was handed over; removal: content was taken down or withheld, and its author is owed the
   * statement of reasons (DSA Art. 17; TCO Art. 11), which the disclosure-secrecy rules do not touch.
   */
  readonly purpose?: 'disclosure' | 'removal';
  readonly nonDisclosure: { readonly ordered: boolean; readonly until: string | null };
}

const DAY = 86_400_000;

/** The first instant after a gag that runs until the end of `until` (a date): the next day, 00:00 UTC. */
export function gagEnds(until: string): Date {
  return new Date(Date.parse(`${until}T00:00:00Z`) + DAY);
}

/** Whether a gag order (as the request now records it) still forbids telling the user at `now`. */
export function gagForbids(facts: Pick<NoticeFacts, 'nonDisclosure'>, now: Date): boolean {
  if (!facts.nonDisclosure.ordered) return false;
  return facts.nonDisclosure.until === null || gagEnds(facts.nonDisclosure.until).getTime() > now.getTime();
}

export function planNotice(
  facts: NoticeFacts,
  findings: readonly Finding[],
  policy: Pick<Policy, 'notice'>,
  disclosedAt: Date,
): NoticePlan {
  const { notice } = policy;
  if (!notice) return { state: 'withheld', basis: 'policy', basisDetail: 'The platform policy gives no user notice.', notBefore: null };
  const { ordered, until } = facts.nonDisclosure;
  if (ordered && !until) {
    return { state: 'withheld', basis: 'gag_without_end', basisDetail: 'A non-disclosure order without an end date.', notBefore: null };
  }
  const law = facts.purpose === 'removal' ? undefined : findings.find((finding) => notice.withheld_by.includes(finding.code));
  if (law) return { state: 'withheld', basis: 'law', basisDetail: law.source.cite, notBefore: null };
  const emergencyEnds = facts.kind === 'emergency' ? new Date(disclosedAt.getTime() + notice.emergency_delay_days * DAY) : undefined;
  const gagEnd = ordered && until ? gagEnds(until) : undefined;
  if (gagEnd && (!emergencyEnds || gagEnd >= emergencyEnds)) {
    const at = gagEnd > disclosedAt ? gagEnd : disclosedAt;
    return { state: 'scheduled', basis: 'gag', basisDetail: `A non-disclosure order until ${until}.`, notBefore: at.toISOString() };
  }
  if (emergencyEnds) {
    return {
      state: 'scheduled',
      basis: 'emergency',
      basisDetail: `${notice.emergency_delay_days} days after an emergency disclosure.`,
      notBefore: emergencyEnds.toISOString(),
    };
  }
  return { state: 'scheduled', basis: 'policy', basisDetail: null, notBefore: disclosedAt.toISOString() };
}
