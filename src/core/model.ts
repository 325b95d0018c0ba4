/** Records as the use cases see them, independent of how they are stored. */
import type { Actor, Role } from './actor.ts';
import type { DataCategory, IdentifierKind, InstrumentType, IssuerType, RequestKind, RequestState } from './request.ts';
import type { FactsInput } from './review/facts.ts';

export interface DateRange {
  readonly from: string;
  readonly to: string;
}

export interface RequestRecord {
  readonly id: string;
  readonly trackingNumber: string;
  readonly agencyId: string;
  readonly agencyName: string;
  readonly officerId: string;
  readonly kind: RequestKind;
  readonly state: RequestState;
  readonly version: number;
  readonly jurisdiction: string;
  readonly caseReference: string | null;
  readonly summary: string | null;
  readonly legalProcess: {
    readonly instrumentType: InstrumentType;
    readonly issuingAuthority: string | null;
    readonly issuerType: IssuerType | null;
    readonly reference: string | null;
    readonly issuedOn: string | null;
  };
  readonly categories: readonly DataCategory[];
  readonly dateRange: DateRange | null;
  readonly offence: { readonly description: string; readonly maximumPenaltyYears?: number } | null;
  readonly nonDisclosure: { readonly ordered: boolean; readonly until: string | null };
  readonly deadline: string | null;
  readonly emergency: { readonly dangerDescription: string; readonly attestation: true } | null;
  /** Facts stated beyond the request for its review (core/review/facts.ts); null when none were. */
  readonly facts: FactsInput | null;
  /** The block verdicts (`rule|category`) of the last recorded review, and when it ran; null before the first. */
  readonly lastReview: { readonly blocks: readonly string[]; readonly at: string } | null;
  /** The legal process an emergency request promises: when it is due (set on approval) and when the desk recorded it. */
  readonly followUp: { readonly due: string | null; readonly receivedAt: string | null };
  /** The deadline that binds (core/deadlines.ts): when, and what set it; null until verification works it out. */
  readonly due: { readonly at: string; readonly basis: string } | null;
  readonly payloadSha256: string;
  readonly receivedAt: string;
  readonly updatedAt: string;
}

export type NewRequest = Omit<
  RequestRecord,
  'id' | 'agencyName' | 'state' | 'version' | 'followUp' | 'due' | 'lastReview' | 'receivedAt' | 'updatedAt'
>;

export interface TargetRecord {
  readonly id: string;
  readonly position: number;
  readonly kind: IdentifierKind;
  readonly value: string;
  readonly note: string | null;
}
export type NewTarget = Omit<TargetRecord, 'id'>;

export interface DocumentRecord {
  readonly id: string;
  readonly organisationId: string;
  readonly uploadedBy: string;
  readonly requestId: string | null;
  readonly fileName: string;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
  readonly createdAt: string;
}

export interface MessageRecord {
  readonly id: string;
  readonly requestId: string;
  readonly authorName: string;
  readonly side: 'agency' | 'desk';
  readonly body: string;
  readonly createdAt: string;
}

export interface NoteRecord {
  readonly id: string;
  readonly requestId: string;
  readonly authorName: string;
  readonly body: string;
  readonly createdAt: string;
}

export interface DecisionItem {
  readonly targetId: string;
  readonly category: DataCategory;
  readonly approved: boolean;
  readonly reason?: string | undefined;
  readonly dateRange?: DateRange | undefined;
}

export interface DecisionRecord {
  readonly id: string;
  readonly requestId: string;
  readonly outcome: 'approved' | 'partially_approved' | 'rejected';
  readonly reason: string | null;
  readonly items: readonly DecisionItem[];
  readonly decidedBy: string;
  readonly decidedByName: string;
  readonly createdAt: string;
}

export interface TimelineEntry {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly side: 'agency' | 'desk' | 'system';
  readonly data: Readonly<Record<string, unknown>>;
}

export interface OrganisationRecord {
  readonly id: string;
  readonly kind: 'platform' | 'agency';
  readonly name: string;
  readonly jurisdiction: string | null;
  readonly emailDomains: readonly string[];
  readonly verificationStatus: string;
  /** The number the desk phones to confirm a request (E.164), taken from an official source, and that source. */
  readonly verificationPhone: string | null;
  readonly verificationPhoneSource: string | null;
  /** The age X25519 recipient (`age1…`) packages may be encrypted to, when the agency registered one. */
  readonly ageRecipient: string | null;
}

export const USER_STATUSES = ['unconfirmed', 'pending', 'active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Accounts that may hold a session: active ones, and pending ones (to enrol a second factor while they wait). */
export const canSignIn = (user: Pick<UserRecord, 'status' | 'organisationKind' | 'organisationStatus'>): boolean =>
  (user.status === 'active' || user.status === 'pending') && !isShutOut(user);

export interface UserRecord {
  readonly id: string;
  readonly organisationId: string;
  readonly organisationKind: 'platform' | 'agency';
  readonly organisationName: string;
  /** The organisation's directory status: people of a suspended or blocklisted agency cannot act. */
  readonly organisationStatus: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  /**
   * unconfirmed: registered, address not yet proved; pending: address proved, waiting for approval (may log in and
   * enrol a second factor, nothing else); active; disabled: suspended.
   */
  readonly status: UserStatus;
  readonly passwordHash: string | null;
  readonly createdAt: string;
  /** The TOTP second factor: its secret (pending until confirmed), and the last time step a code was used for. */
  readonly totp: { readonly secret: string | null; readonly enabled: boolean; readonly lastStep: number | null };
  readonly emailConfirmedAt: string | null;
}

/** Which requests an actor can see. Another agency's request is invisible: it answers as if it did not exist. */
/** An agency the directory has suspended or blocklisted: its people can neither log in nor use a session or token. */
export const isShutOut = (user: Pick<UserRecord, 'organisationKind' | 'organisationStatus'>): boolean =>
  user.organisationKind === 'agency' && (user.organisationStatus === 'suspended' || user.organisationStatus === 'blocklisted');

export type RequestScope = { readonly kind: 'agency'; readonly agencyId: string } | { readonly kind: 'desk' };

export function scopeOf(actor: Actor): RequestScope {
  return actor.organisationKind === 'agency' ? { kind: 'agency', agencyId: actor.organisationId } : { kind: 'desk' };
}

/** What a production found for one target and category: records, or why there are none. */
export interface ProductionOutcome {
  readonly targetId: string;
  readonly target: string;
  readonly category: DataCategory;
  readonly status: 'produced' | 'not_found' | 'not_held' | 'end_to_end_encrypted' | 'outside_retention' | 'no_records';
  readonly accounts: readonly string[];
  readonly records: number;
  readonly detail: string;
}

export interface ProductionRecord {
  readonly id: string;
  readonly requestId: string;
  readonly decisionId: string;
  readonly state: 'running' | 'completed' | 'failed';
  readonly attempts: number;
  readonly tagManifestSha256: string | null;
  readonly keyFingerprint: string | null;
  readonly payloadBytes: number | null;
  readonly outcomes: readonly ProductionOutcome[];
  readonly failure: string | null;
  readonly availableUntil: string | null;
  readonly createdAt: string;
  readonly completedAt: string | null;
  /** 0 for a one-off production; a prospective order's parts count up, each covering a window of its period. */
  readonly part: number;
  readonly window: DateRange | null;
  /** How far it had got when it last reported (kept once it ends; null before the first report). */
  readonly progress: ProductionProgress | null;
}

/** How far a running production has got. */
export interface ProductionProgress {
  /** The approved target × category pairs it produces, and how many of them are finished. */
  readonly steps: number;
  readonly stepsDone: number;
  /** Records written so far, over every step. */
  readonly records: number;
  /** When this was reported. */
  readonly at: string;
}
