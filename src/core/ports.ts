/** The ports use cases depend on. Adapters implement them; use cases name only the ones they need. */
import type { Actor, Role } from './actor.ts';
import type { ApprovalStep } from './approval.ts';
import type { TrailEntry } from './read-trail.ts';
import type { AuditEvent } from './audit.ts';
import type { TreeHead } from './audit-log.ts';
import type { NodeKey } from './merkle.ts';
import type { RemovalAction, ReportFacts } from './transparency.ts';
import type { CallbackRecord } from './emergency.ts';
import type { IntakeRepository } from './intake.ts';
import type { ThrottleState } from './throttle.ts';
import type {
  DateRange,
  DecisionItem,
  DecisionRecord,
  DocumentRecord,
  MessageRecord,
  NewRequest,
  NewTarget,
  NoteRecord,
  OrganisationRecord,
  ProductionOutcome,
  ProductionProgress,
  ProductionRecord,
  RequestRecord,
  RequestScope,
  TargetRecord,
  TimelineEntry,
  UserRecord,
  UserStatus,
} from './model.ts';
import type { NoticeBasis, NoticePlan, NoticeState } from './notices.ts';
import type { Page } from './pagination.ts';
import type { DataCategory, InstrumentType, RequestKind, RequestState } from './request.ts';

export interface Clock {
  now(): Date;
}

export interface RequestRepository {
  nextTrackingSequence(): Promise<number>;
  /** `senderNetwork`: the network (`core/networks.ts`) it was sent from, kept for its verification. */
  insert(request: NewRequest & { readonly senderNetwork?: string | undefined }, targets: readonly NewTarget[]): Promise<RequestRecord>;
  /** By tracking number or id, within the scope; undefined when absent or outside it. */
  find(scope: RequestScope, reference: string): Promise<RequestRecord | undefined>;
  /** Just where a request stands (for polling): one narrow indexed read. */
  status(
    scope: RequestScope,
    reference: string,
  ): Promise<Pick<RequestRecord, 'id' | 'trackingNumber' | 'kind' | 'state' | 'version' | 'receivedAt' | 'updatedAt'> | undefined>;
  list(
    scope: RequestScope,
    query: {
      state?: RequestState | undefined;
      kind?: RequestKind | undefined;
      /** Part of a tracking number, case reference or agency name, any case. */
      q?: string | undefined;
      order: 'priority' | 'newest';
      limit: number;
      cursor?: string | undefined;
    },
  ): Promise<Page<RequestRecord>>;
  /** Guarded update: changes state only if it is still `from` at `version`. False when someone else got there first. */
  transition(id: string, change: { from: RequestState; to: RequestState; version: number }): Promise<boolean>;
  targets(requestId: string): Promise<TargetRecord[]>;
  /** Other open requests naming any of these target values (compared in lower case): value → tracking numbers. */
  openRequestsNaming(values: readonly string[], exceptRequestId: string): Promise<Map<string, string[]>>;
  /**
   * What the officer who sent `request` sent before it: emergency requests ever, and requests in the hour up to it;
   * and the network it came from: when the officer first used it, and how many other networks they used before that.
   */
  officerActivity(request: Pick<RequestRecord, 'id' | 'officerId' | 'receivedAt'>): Promise<{
    earlierEmergencies: number;
    requestsInLastHour: number;
    network: { prefix: string; firstSeenAt: string; earlierNetworks: number } | undefined;
  }>;
  /**
   * Requests this officer sent since `since`, counted up to `atMost` (for a submission rate limit: the count stops
   * there, so it costs the same however busy the officer), and when the earliest of them came.
   */
  sentSince(officerId: string, since: Date, atMost: number): Promise<{ count: number; earliest: Date | undefined }>;
  /** Sets (or clears) the deadline that binds the request. */
  setDue(requestId: string, due: { readonly at: string; readonly basis: string } | null): Promise<void>;
  /** Records what the last review blocked and when (services/re-review.ts). */
  setLastReview(requestId: string, review: { readonly blocks: readonly string[]; readonly at: string }): Promise<void>;
  /**
   * What is due and not done, soonest first: response deadlines not yet met, emergency follow-ups not yet received,
   * preservations in force (their expiry); with `overdueOnly`, only what is past at `now`.
   */
  deadlines(query: { readonly now: Date; readonly overdueOnly: boolean; readonly limit: number }): Promise<DeadlineEntry[]>;
  /** What the desk learned of the request's non-disclosure order (its end date, that it has none, or that it was lifted). */
  setNonDisclosure(requestId: string, nonDisclosure: { readonly ordered: boolean; readonly until: string | null }): Promise<void>;
  /** Records when an emergency request's follow-up legal process is due, or when it came. */
  setFollowUp(requestId: string, followUp: { due?: Date; receivedAt?: Date }): Promise<void>;
}

export interface DeadlineEntry {
  readonly requestId: string;
  readonly trackingNumber: string;
  readonly kind: RequestKind;
  readonly state: RequestState;
  readonly jurisdiction: string;
  readonly agencyName: string;
  /** response: the answer is due; follow_up: an emergency request's promised legal process; preservation_expiry. */
  readonly what: 'response' | 'follow_up' | 'preservation_expiry';
  readonly dueAt: string;
  readonly basis: string;
  readonly overdue: boolean;
}

export interface DocumentRepository {
  insert(document: Omit<DocumentRecord, 'id' | 'createdAt' | 'requestId'>): Promise<DocumentRecord>;
  /** A document the organisation owns (agency side) or any document (desk side). */
  find(scope: RequestScope, id: string): Promise<DocumentRecord | undefined>;
  /** Attaches unattached documents owned by the organisation; returns those attached. */
  attach(organisationId: string, ids: readonly string[], requestId: string): Promise<Array<Pick<DocumentRecord, 'id' | 'sha256'>>>;
  listForRequest(requestId: string): Promise<DocumentRecord[]>;
  /** Deletes the document's record if no request names it; what was deleted, or undefined (attached, or gone). */
  deleteUnattached(id: string): Promise<DocumentRecord | undefined>;
  /** Whether any record still names a stored file: a document, a preservation's copy not released, a stored message. */
  fileInUse(sha256: string): Promise<boolean>;
}

export interface MessageRepository {
  insert(message: { requestId: string; authorId: string; side: 'agency' | 'desk'; body: string }): Promise<MessageRecord>;
  list(requestId: string): Promise<MessageRecord[]>;
}

export interface NoteRepository {
  insert(note: { requestId: string; authorId: string; body: string }): Promise<NoteRecord>;
  list(requestId: string): Promise<NoteRecord[]>;
}

export interface DecisionRepository {
  insert(decision: {
    requestId: string;
    decidedBy: string;
    outcome: DecisionRecord['outcome'];
    reason: string | null;
    items: readonly DecisionItem[];
  }): Promise<DecisionRecord>;
  list(requestId: string): Promise<DecisionRecord[]>;
  /** The first of two approvals standing on a request (the two-person policy), if any. */
  approvalStep(requestId: string): Promise<ApprovalStep | undefined>;
  /** Records the first of two approvals, replacing any standing one. */
  recordApprovalStep(requestId: string, step: ApprovalStep): Promise<void>;
  /** The first step is consumed by the second approval. */
  clearApprovalStep(requestId: string): Promise<void>;
}

export interface AuditLog {
  append(actor: Actor, event: AuditEvent): Promise<void>;
  timeline(requestId: string): Promise<TimelineEntry[]>;
  /** Events of these types, newest first. */
  list(query: { types: readonly string[]; limit: number; cursor?: string | undefined }): Promise<Page<AuditEntry>>;
  /** A request's latest `limit` events, newest first, as the repeated-read check reads them (src/core/read-trail.ts). */
  recentForRequest(requestId: string, limit: number): Promise<TrailEntry[]>;
}

export interface AuditEntry {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly actorUserId: string | null;
  readonly actorOrganisationId: string | null;
  readonly via: string;
  readonly requestId: string | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** An event as the log holds it: its entry (the bytes its leaf hash is over) and its place, once it has one. */
export interface LoggedEvent {
  readonly id: string;
  readonly leafIndex: number | null;
  readonly entry: string;
}

/** A run of placed events in leaf order, each entry's UTF-8 bytes preceded by the leaf prefix 0x00. */
export interface LeafBatch {
  readonly indexes: readonly number[];
  readonly prefixedEntries: readonly Uint8Array[];
}

/**
 * The Merkle tree over the audit log (migration 0020): the sequencer places committed events, stores the new subtree
 * hashes and signs tree heads; proofs read O(log n) stored nodes.
 */
export interface AuditTree {
  /** Takes the one sequencer lock until the transaction ends; with `wait: false`, false when another holds it. */
  lockSequencer(wait: boolean): Promise<boolean>;
  /** Committed events not placed yet, oldest first. */
  unsequenced(limit: number): Promise<LoggedEvent[]>;
  unsequencedCount(): Promise<number>;
  /** Gives events their leaf index and stores the subtree hashes they complete. */
  place(leaves: ReadonlyArray<{ id: string; index: number }>, nodes: ReadonlyArray<NodeKey & { hash: Uint8Array }>): Promise<void>;
  /** Stored subtree hashes, by `nodeKeyOf`. */
  nodes(keys: readonly NodeKey[]): Promise<Map<string, Uint8Array>>;
  addTreeHead(head: TreeHead): Promise<void>;
  latestTreeHead(): Promise<TreeHead | undefined>;
  /** The head signed at exactly this size. */
  treeHead(size: number): Promise<TreeHead | undefined>;
  /** Heads by size, smallest first. */
  treeHeads(query: { fromSize?: number; limit?: number }): Promise<TreeHead[]>;
  leaf(index: number): Promise<LoggedEvent | undefined>;
  /** The latest event of a type about a request whose data field has this value (e.g. a production's event). */
  findEvent(query: { requestId: string; type: string; field: string; value: string }): Promise<LoggedEvent | undefined>;
  /** Every placed event in leaf order, in batches (for verifying the whole log). */
  scan(): AsyncIterable<LeafBatch>;
  /** Leaf hashes as stored when each leaf was placed, for leaves [from, to). */
  storedLeafHashes(from: number, to: number): Promise<Map<number, Uint8Array>>;
  /** What the schema itself must still guarantee (every event column generated from its entry); empty when it does. */
  schemaProblems(): Promise<string[]>;
}

/** A removal order acted on, as a DSA statement of reasons needs it (no personal data). */
export interface RemovalDecisionFacts {
  readonly trackingNumber: string;
  readonly jurisdiction: string;
  readonly instrumentType: InstrumentType;
  readonly issuingAuthority: string | null;
  readonly reference: string | null;
  readonly issuedOn: string | null;
  readonly receivedAt: string;
  /** The start of the range the order names, when it names one. */
  readonly contentFrom: string | null;
  readonly action: RemovalAction;
  readonly items: number;
  readonly actionedAt: string;
}

/** What the transparency report is computed from. */
export interface TransparencyRepository {
  /** The facts of the requests received in [from, to), and the audit log's latest tree head, read in one snapshot. */
  facts(range: { from: Date; to: Date }): Promise<{ facts: ReportFacts; treeHead: TreeHead | undefined; unplaced: number }>;
  /** Removal orders whose last action was taken in [from, to), oldest first. */
  removalDecisions(range: { from: Date; to: Date }): Promise<RemovalDecisionFacts[]>;
  /** When the platform was set up (its organisation made); null before. */
  since(): Promise<string | null>;
}

/** Signs tree heads with the platform's Ed25519 key, and checks signatures against every key it ever published. */
export interface TreeHeadSigner {
  /** Signs with the current key; `created` when there was none and one was made for it. */
  sign(message: Uint8Array): Promise<{ signature: Uint8Array; keyFingerprint: string; created?: { keyId: string } }>;
  verify(message: Uint8Array, signature: Uint8Array, keyFingerprint: string): Promise<boolean>;
  /** The public key (PEM) of a fingerprint, when it is one of the platform's. */
  publicKeyPem(keyFingerprint: string): Promise<string | undefined>;
}

export interface Outbox {
  add(topic: string, payload: Readonly<Record<string, unknown>>): Promise<void>;
}

export interface IdempotencyStore {
  find(userId: string, scope: string, key: string): Promise<{ inputSha256: string; result: unknown } | undefined>;
  /** Takes the key for this input; false when it was taken already (a concurrent retry waits, then sees it taken). */
  claim(entry: { userId: string; scope: string; key: string; inputSha256: string }): Promise<boolean>;
  /** Stores the result a retry with the same key will get. */
  complete(entry: { userId: string; scope: string; key: string; result: unknown }): Promise<void>;
}

export interface OrganisationRepository {
  insert(
    organisation: Omit<OrganisationRecord, 'id' | 'ageRecipient' | 'verificationPhone' | 'verificationPhoneSource'> &
      Partial<Pick<OrganisationRecord, 'verificationPhone' | 'verificationPhoneSource'>>,
  ): Promise<OrganisationRecord>;
  find(id: string): Promise<OrganisationRecord | undefined>;
  findByName(name: string): Promise<OrganisationRecord | undefined>;
  platform(): Promise<OrganisationRecord | undefined>;
  listAgencies(): Promise<OrganisationRecord[]>;
  /** Every official email domain of every agency in the directory. */
  directoryDomains(): Promise<string[]>;
  setAgeRecipient(id: string, recipient: string | null): Promise<void>;
  /** Changes the fields given; a phone number always goes with its source. */
  updateDirectoryEntry(
    id: string,
    entry: {
      jurisdiction?: string | undefined;
      emailDomains?: readonly string[] | undefined;
      verificationPhone?: string | null | undefined;
      verificationPhoneSource?: string | null | undefined;
    },
  ): Promise<void>;
  /** Sets the status and records the change, in the caller's transaction. */
  changeStatus(change: {
    organisationId: string;
    from: string | null;
    to: string;
    reason: string;
    changedBy: string;
    at: Date;
  }): Promise<void>;
  statusHistory(id: string): Promise<StatusChangeRecord[]>;
}

export interface StatusChangeRecord {
  readonly from: string | null;
  readonly to: string;
  readonly reason: string;
  readonly changedBy: string;
  readonly changedAt: string;
}

export interface TokenRecord {
  readonly id: string;
  readonly name: string;
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
  readonly expiresAt: string;
  /** The roles it acts with; null for a token made before scopes: all of its person's roles. */
  readonly scope: readonly Role[] | null;
  /** The token it was minted with, if it was minted with one. */
  readonly parentTokenId: string | null;
}

export interface SessionRecord {
  readonly id: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly mfa: boolean;
  readonly tokenSha256: string;
}

export interface CallbackRepository {
  insert(callback: Omit<CallbackRecord, 'id' | 'calledAt'> & { calledAt: Date }): Promise<CallbackRecord>;
  list(requestId: string): Promise<CallbackRecord[]>;
}

export interface UserRepository {
  insert(user: {
    organisationId: string;
    email: string;
    displayName: string;
    roles: readonly string[];
    passwordHash: string | null;
    status?: UserStatus;
  }): Promise<{
    id: string;
  }>;
  findByEmail(email: string): Promise<UserRecord | undefined>;
  findActive(id: string): Promise<UserRecord | undefined>;
  recordLogin(id: string, at: Date): Promise<void>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
  /**
   * Notes that the person used this network (`core/networks.ts`) at `at`: first use is kept; with `touch`, last use
   * moves on (a login), without it a known network is left alone, unlocked (a submission, so they do not queue).
   */
  usedNetwork(id: string, network: string, at: Date, touch: boolean): Promise<void>;
  /** Any account by id, active or not (undefined when there is none). */
  find(id: string): Promise<UserRecord | undefined>;
  setStatus(id: string, status: UserRecord['status']): Promise<void>;
  /** A new name and password for an account that registered again before confirming its address. */
  updateRegistration(id: string, registration: { displayName: string; passwordHash: string }): Promise<void>;
  /** The SHA-256 of the one-time code sent to an unconfirmed account's address, and when it stops working. */
  setEmailCode(id: string, codeSha256: string, expiresAt: Date): Promise<void>;
  /** Proves an address: an unconfirmed account holding this code, unexpired, becomes pending. Its id, or undefined. */
  confirmEmail(codeSha256: string, at: Date): Promise<string | undefined>;
  /** Accounts, newest first, a page at a time (the cursor keeps the stored microsecond). */
  list(query: {
    organisationId?: string | undefined;
    status?: UserStatus | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<Page<UserRecord>>;
  /** A new TOTP secret, pending until a first code confirms it (replaces any earlier one). */
  setPendingTotp(id: string, secret: string): Promise<void>;
  enableTotp(id: string, at: Date): Promise<void>;
  /** Removes the person's authenticator and every passkey; returns how many passkeys there were. */
  clearSecondFactor(id: string): Promise<{ passkeys: number }>;
  /** Records that a code of this time step was used; false when it, or a later one, already was (a replay). */
  useTotpStep(id: string, step: number): Promise<boolean>;
  count(): Promise<number>;
  /** Marks an account as one the demo seeded (the demo sign-in aid works for these and no other). */
  markDemo(id: string, position: number): Promise<void>;
  /** The accounts the demo seeded, in the order it seeded them, as they are now. */
  demoAccounts(): Promise<UserRecord[]>;
}

export interface CredentialRepository {
  insertSession(session: { userId: string; tokenSha256: string; expiresAt: Date; mfa: boolean }): Promise<void>;
  /** Ends every session (but the one whose hash is `keepSession`) and every token of a person at once; returns how many. */
  revokeAll(userId: string, at: Date, keepSession?: string): Promise<{ sessions: number; tokens: number }>;
  /** The session was completed with a second factor. */
  markSessionMfa(tokenSha256: string): Promise<void>;
  addPasskey(passkey: NewPasskey & { userId: string; name: string }): Promise<{ id: string }>;
  /** A person's passkeys (credential ids and names), oldest first. */
  passkeysOf(
    userId: string,
  ): Promise<Array<{ id: string; credentialId: string; name: string; createdAt: string; lastUsedAt: string | null }>>;
  findPasskey(credentialId: string): Promise<(StoredPasskey & { userId: string }) | undefined>;
  usedPasskey(id: string, signCount: number, at: Date): Promise<void>;
  /** Keeps a challenge for a passkey ceremony until `expiresAt`. */
  putChallenge(challenge: { challenge: string; purpose: 'register' | 'login'; userId: string | null; expiresAt: Date }): Promise<void>;
  /** Uses up a challenge: true when it was handed out for this purpose (and person), and has not expired or been used. */
  takeChallenge(challenge: string, purpose: 'register' | 'login', userId: string | null, at: Date): Promise<boolean>;
  revokeSession(tokenSha256: string, at: Date): Promise<void>;
  insertToken(token: {
    userId: string;
    name: string;
    tokenSha256: string;
    expiresAt: Date;
    scope?: readonly Role[] | null;
    parentTokenId?: string | null;
  }): Promise<{ id: string }>;
  /** A person's live tokens (not revoked, not expired), newest first; never their secrets. */
  listTokens(userId: string, at: Date): Promise<TokenRecord[]>;
  /**
   * Revokes one of a person's live tokens (anyone's, with a null person: an admin's) and every token minted with it, at
   * any depth; returns how many ended (0: no such live token).
   */
  revokeToken(userId: string | null, id: string, at: Date): Promise<number>;
  /** Records that a token was used at `at`. */
  touchToken(id: string, at: Date): Promise<void>;
  /** The user behind a live session or token, by the token's hash. */
  /**
   * The user behind a live session or token, by the token's hash; a session unused since `idleSince` is not live.
   * For a session, also its id and when it was last used.
   */
  findUserBySecret(
    kind: 'session' | 'token',
    tokenSha256: string,
    at: Date,
    idleSince?: Date,
  ): Promise<
    | (UserRecord & {
        mfa: boolean;
        session?: { id: string; lastSeenAt: Date };
        token?: { id: string; expiresAt: Date; scope: readonly Role[] | null; lastUsedAt: Date | null };
      })
    | undefined
  >;
  /** Records that a session was used at `at`. */
  touchSession(id: string, at: Date): Promise<void>;
  /** A person's live sessions, newest first. */
  listSessions(userId: string, at: Date, idleSince: Date): Promise<SessionRecord[]>;
  /** Ends one of a person's sessions; false when they have no such live session. */
  revokeSessionById(userId: string, id: string, at: Date): Promise<boolean>;
  /** Login throttling: the state of each key (absent when it has none). */
  throttleStates(keys: readonly string[]): Promise<Map<string, ThrottleState>>;
  setThrottleState(key: string, state: ThrottleState): Promise<void>;
  /**
   * Counts one attempt against a key and decides, in one statement, whether it may go ahead: refused (false) while the
   * key is locked, and then not counted; admitted otherwise, and the key is locked when this attempt reaches
   * `threshold` (the rules of core/throttle.ts). Parallel attempts cannot all read the same old count.
   */
  chargeAttempt(key: string, threshold: number, at: Date): Promise<boolean>;
  /** Takes back one counted attempt that turned out to be right (and the lock it set, if it set one). */
  refundAttempt(key: string, threshold: number): Promise<void>;
  clearThrottle(key: string): Promise<void>;
}

export interface ProductionRepository {
  /**
   * Starts (or restarts) the production of a decision, or of one part of a prospective order; there is only ever one
   * per decision and part. A restart counts an attempt; only the latest attempt can complete.
   */
  claim(requestId: string, decisionId: string, part?: { number: number; from: Date; to: Date }): Promise<ProductionRecord>;
  complete(
    id: string,
    result: {
      tagManifestSha256: string;
      keyFingerprint: string;
      payloadBytes: number;
      outcomes: readonly ProductionOutcome[];
      availableUntil: Date;
      at: Date;
      /** The attempt (from claim) completing: an older attempt that is still running cannot complete. */
      attempt: number;
    },
  ): Promise<boolean>;
  /** Every production of a request (the parts of a prospective order), in order. */
  parts(requestId: string): Promise<ProductionRecord[]>;
  /** Marks a running production failed; with `attempt`, only if that attempt is still the latest. */
  fail(id: string, failure: string, attempt?: number): Promise<void>;
  latestForRequest(requestId: string): Promise<ProductionRecord | undefined>;
  /** How far a running attempt has got; ignored once it is not running or not the latest attempt. */
  setProgress(id: string, attempt: number, progress: ProductionProgress): Promise<void>;
  /** Keeps a delivery's receipt (`core/audit-log.ts`); a production keeps its first. */
  setReceipt(id: string, receipt: unknown): Promise<void>;
  receiptOf(id: string): Promise<unknown>;
  recordDownload(productionId: string, userId: string): Promise<void>;
}

/** A timed piece of work (a reminder, an expiry, a notice waiting for a gag to end) kept in the database. */
export interface ScheduledTask {
  readonly id: string;
  readonly key: string;
  readonly topic: string;
  readonly requestId: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly dueAt: string;
  readonly state: 'pending' | 'fired' | 'cancelled';
  readonly firedAt: string | null;
  readonly handledAt: string | null;
  readonly outcome: string | null;
}

/**
 * The durable schedule: tasks by key, each fired once when due by the scan (`services/schedule.ts`) and handled once
 * by its job. Times are whatever the caller's clock says, so tests move time instead of waiting for it.
 */
export interface Schedule {
  /**
   * Puts the task `key` at `dueAt`: a new key is added; a pending or cancelled one moves there (pending again); a fired
   * one is left alone. True when the task is pending at `dueAt` afterwards.
   */
  put(task: {
    readonly key: string;
    readonly topic: string;
    readonly dueAt: Date;
    readonly requestId?: string | undefined;
    readonly payload?: Readonly<Record<string, unknown>>;
  }): Promise<boolean>;
  /**
   * Adds a task under a key never used before (a plain insert, no upsert, nothing read back): what an agency's upload
   * may do under row-level security, for its own document's deletion (migration 0060).
   */
  add(task: {
    readonly key: string;
    readonly topic: string;
    readonly dueAt: Date;
    readonly payload: Readonly<Record<string, unknown>>;
  }): Promise<void>;
  /** Cancels pending tasks: by key, or a request's tasks whose key starts with a prefix. Returns how many. */
  cancel(filter: { readonly key: string } | { readonly requestId: string; readonly keyPrefix: string }): Promise<number>;
  /** Marks up to `limit` pending tasks due at `now` fired and returns them (locked rows are skipped, not waited for). */
  claimDue(now: Date, limit: number): Promise<ScheduledTask[]>;
  /** Locks a fired task not yet handled, for its job; undefined when it was handled already or is not fired. */
  takeForHandling(id: string): Promise<ScheduledTask | undefined>;
  markHandled(id: string, at: Date, outcome: string): Promise<void>;
  /** Records that a task's work was decided and is being carried out (outcome `sending`), before it is handled. */
  markSending(id: string): Promise<void>;
  /** A request's tasks, soonest first. */
  forRequest(requestId: string): Promise<ScheduledTask[]>;
  find(key: string): Promise<ScheduledTask | undefined>;
  get(id: string): Promise<ScheduledTask | undefined>;
}

export interface DeadLetter {
  readonly id: string;
  readonly topic: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly reason: string;
  readonly attempts: number;
  readonly failedAt: string;
  readonly retriedAt: string | null;
  readonly retriedBy: string | null;
}

export interface DeadLetterRepository {
  /** Newest first; by default only those not sent round again. */
  list(query: {
    readonly includeRetried: boolean;
    readonly limit: number;
    readonly cursor?: string | undefined;
  }): Promise<Page<DeadLetter>>;
  /** Marks one retried, once: false when it does not exist or was retried already. */
  markRetried(id: string, by: string, at: Date): Promise<DeadLetter | undefined>;
}

export interface PreservedItem {
  readonly id: string;
  readonly targetId: string;
  readonly category: DataCategory;
  readonly accountId: string | null;
  readonly accountLabel: string | null;
  readonly range: DateRange;
  /** sealed, or why there is nothing to seal (as a production says it). */
  readonly status: 'sealed' | ProductionOutcome['status'];
  readonly records: number;
  readonly columns: readonly string[];
  readonly sha256: string | null;
  readonly size: number | null;
  readonly detail: string;
}

export interface PreservationRecord {
  readonly id: string;
  readonly requestId: string;
  readonly decisionId: string;
  readonly expiresAt: string;
  readonly extensionHours: number;
  readonly basis: string;
  readonly extendedAt: string | null;
  readonly copyState: 'sealing' | 'sealed' | 'released';
  readonly manifestSha256: string | null;
  readonly sealedAt: string | null;
  readonly releasedAt: string | null;
  /** When it took effect. */
  readonly createdAt: string;
  readonly items: readonly PreservedItem[];
}

/** A sealed copy another request of the same agency may be produced from. */
export interface PreservedCopy extends PreservedItem {
  readonly preservationId: string;
  readonly trackingNumber: string;
}

export interface PreservationRepository {
  /** The request's preservation, made if it has none yet (once per request, whatever runs twice). */
  create(preservation: {
    requestId: string;
    decisionId: string;
    expiresAt: Date;
    extensionHours: number;
    basis: string;
  }): Promise<PreservationRecord>;
  find(requestId: string, options?: { lock?: boolean }): Promise<PreservationRecord | undefined>;
  /** Seals the copy with its items, once: false when it was sealed (or released) already. */
  seal(id: string, sealed: { items: ReadonlyArray<Omit<PreservedItem, 'id'>>; manifestSha256: string; at: Date }): Promise<boolean>;
  setExpiry(id: string, expiresAt: Date, extendedAt?: Date): Promise<void>;
  /** Marks the copy released; returns its items (to delete their files). */
  release(id: string, at: Date): Promise<PreservedItem[]>;
  /** Sealed copies of an account's category, kept for requests of this agency. */
  copiesFor(agencyId: string, accountId: string, category: DataCategory): Promise<PreservedCopy[]>;
  /** Whether any copy still sealed keeps this file. */
  fileInUse(sha256: string): Promise<boolean>;
}

export interface NoticeRecord {
  readonly id: string;
  readonly requestId: string;
  readonly targetId: string;
  readonly purpose: 'disclosure' | 'removal';
  readonly state: NoticeState;
  readonly basis: NoticeBasis;
  readonly basisDetail: string | null;
  readonly notBefore: string | null;
  readonly sentAt: string | null;
  readonly viewedAt: string | null;
  /** When the desk revoked the notice page's link; null while it opens (until it expires). */
  readonly linkRevokedAt: string | null;
  readonly createdAt: string;
}

export interface NoticeRepository {
  /** Adds the notice of a target, once: an existing one is returned as it is. */
  create(notice: {
    requestId: string;
    targetId: string;
    purpose: NoticeRecord['purpose'];
    plan: NoticePlan;
  }): Promise<{ notice: NoticeRecord; created: boolean }>;
  find(id: string, options?: { lock?: boolean }): Promise<NoticeRecord | undefined>;
  forRequest(requestId: string): Promise<NoticeRecord[]>;
  /** Plans a notice not yet sent again. */
  replan(id: string, plan: NoticePlan): Promise<void>;
  markSent(id: string, at: Date, tokenSha256: string): Promise<void>;
  markNoContact(id: string): Promise<void>;
  /** A sent notice by its token's SHA-256, sent after `sentAfter` and its link not revoked; first views are recorded. */
  findSent(tokenSha256: string, at: Date, sentAfter: Date): Promise<NoticeRecord | undefined>;
  /** Revokes a sent notice's link; false when it is not sent or already revoked. */
  revokeLink(id: string, at: Date): Promise<boolean>;
}

export interface RemovalActionRecord {
  readonly id: string;
  readonly requestId: string;
  readonly targetId: string;
  readonly action: 'removed' | 'restricted' | 'kept';
  readonly countries: readonly string[];
  readonly reasons: string;
  readonly decidedBy: string;
  readonly state: 'pending' | 'done' | 'not_found' | 'not_supported';
  readonly contentId: string | null;
  readonly authorAccount: string | null;
  readonly detail: string | null;
  readonly actedAt: string | null;
}

export interface RemovalRepository {
  insert(
    actions: ReadonlyArray<Pick<RemovalActionRecord, 'requestId' | 'targetId' | 'action' | 'countries' | 'reasons' | 'decidedBy'>>,
  ): Promise<void>;
  forRequest(requestId: string): Promise<RemovalActionRecord[]>;
  /** Records what the connector did for a pending action; false when it was recorded already. */
  record(
    id: string,
    outcome: Pick<RemovalActionRecord, 'state' | 'contentId' | 'authorAccount' | 'detail'> & { at: Date },
  ): Promise<boolean>;
}

export interface Repositories {
  readonly requests: RequestRepository;
  readonly documents: DocumentRepository;
  readonly messages: MessageRepository;
  readonly notes: NoteRepository;
  readonly decisions: DecisionRepository;
  readonly audit: AuditLog;
  readonly outbox: Outbox;
  readonly idempotency: IdempotencyStore;
  readonly organisations: OrganisationRepository;
  readonly users: UserRepository;
  readonly credentials: CredentialRepository;
  readonly productions: ProductionRepository;
  readonly callbacks: CallbackRepository;
  readonly intake: IntakeRepository;
  readonly schedule: Schedule;
  readonly deadLetters: DeadLetterRepository;
  readonly preservations: PreservationRepository;
  readonly notices: NoticeRepository;
  readonly removals: RemovalRepository;
  readonly auditTree: AuditTree;
  readonly transparency: TransparencyRepository;
}

/** Runs work in one database transaction: everything in it commits together or not at all. */
export interface Transactor<R = Repositories> {
  transaction<T>(work: (repositories: R) => Promise<T>): Promise<T>;
  /** The same repositories outside a transaction, for reads. */
  readonly read: R;
}

export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
  /** The first bytes, for type sniffing. */
  readonly head: Uint8Array;
}

export interface FileStore {
  /** Streams bytes into the store, hashing as it goes; rejects with PAYLOAD_TOO_LARGE past `maxBytes` and keeps nothing. */
  put(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StoredFile & { commit(): Promise<void>; discard(): Promise<void> }>;
  open(sha256: string): AsyncIterable<Uint8Array>;
  /** Deletes a stored file; nothing when there is none. */
  remove(sha256: string): Promise<void>;
}

/** One page as OCR read it. */
export interface OcrPage {
  /** 1-based. */
  readonly page: number;
  readonly text: string;
  /** Mean word confidence, 0..1; null when no word was recognised. */
  readonly confidence: number | null;
  /** Too little text, or confidence below the threshold, or the page could not be rendered or read in time. */
  readonly needsManualReading: boolean;
  readonly note: string | null;
}

/**
 * Optical character recognition of scans and images (Tesseract, `src/intake/ocr.ts`). Pages are read one image at a
 * time, a bounded number at once, each within a time limit; a page that cannot be read is returned marked, never
 * dropped. Never throws for bad input.
 */
export interface PageOcr {
  /** Whether OCR can run here; when not, why (a missing program, or OCR turned off). */
  availability(): Promise<{ readonly available: true } | { readonly available: false; readonly reason: string }>;
  /** The given pages (1-based) of a PDF, in page order. */
  pdfPages(pdf: Uint8Array, pages: readonly number[]): AsyncIterable<OcrPage>;
  /** An image (PNG, JPEG, TIFF, …): one page. */
  image(bytes: Uint8Array): Promise<OcrPage>;
}

/** The unguessable token of a notice page: derived from the notice's id with a key kept outside the database. */
export interface NoticeTokens {
  tokenFor(noticeId: string): string;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** With no hash, still spends the time of a verification (so an unknown account is not told apart) and answers false. */
  verify(hash: string | null, password: string): Promise<boolean>;
}

export interface NewPasskey {
  readonly credentialId: string;
  readonly publicKey: Uint8Array;
  readonly signCount: number;
  readonly transports: readonly string[];
}

export interface StoredPasskey extends NewPasskey {
  readonly id: string;
}

/**
 * Passkeys (WebAuthn) for this site: the options a browser needs for a ceremony, and the checks of what it answers.
 * A check answers undefined for anything that does not verify, malformed input included.
 */
export interface Passkeys {
  registrationOptions(
    user: { id: string; email: string; displayName: string },
    exclude: readonly string[],
  ): Promise<{ options: Record<string, unknown>; challenge: string }>;
  verifyRegistration(response: unknown, challengeIsGood: (challenge: string) => Promise<boolean>): Promise<NewPasskey | undefined>;
  authenticationOptions(): Promise<{ options: Record<string, unknown>; challenge: string }>;
  /** The credential id a login answer names, or undefined when it names none. */
  credentialIdOf(response: unknown): string | undefined;
  verifyAuthentication(
    response: unknown,
    passkey: StoredPasskey,
    challengeIsGood: (challenge: string) => Promise<boolean>,
  ): Promise<{ signCount: number } | undefined>;
}

/** A second factor: TOTP secrets and codes. */
export interface SecondFactor {
  /** A new secret (base32) and the otpauth:// URI an authenticator app reads from a QR code. */
  newSecret(label: string): { secret: string; uri: string };
  /** The time step the code belongs to when it is right at `now` (one step of drift either way), else undefined. */
  verify(secret: string, code: string, now: Date): number | undefined;
  /** The code at `now` (for the demo's own accounts and for tests). */
  code(secret: string, now: Date): string;
}

export interface Secrets {
  /** A new random bearer secret (session or API token). */
  newToken(prefix: string): string;
  sha256Hex(data: string | Uint8Array): string;
}

/**
 * One category of one target: either records the writer encodes as CSV and JSON Lines, or both files already encoded
 * by the platform's database (`COPY`), which the writer only hashes and stores; it counts the JSON lines.
 */
export type BagSectionInput =
  | {
      readonly folder: string;
      readonly name: string;
      readonly columns: readonly string[];
      readonly records: AsyncIterable<Readonly<Record<string, unknown>>>;
    }
  | {
      readonly folder: string;
      readonly name: string;
      readonly encoded: EncodedRecords;
      readonly counter?: { records: number };
    };

/** Records already encoded: CSV with a header line and JSON Lines, of the same rows in the same order. */
export interface EncodedRecords {
  readonly csv: AsyncIterable<Uint8Array>;
  readonly jsonl: AsyncIterable<Uint8Array>;
}

/** Where signed packages are built and kept, and how they leave. */
export interface EvidenceStore {
  /** Builds the signed bag for a production, replacing any left by an earlier attempt of the same production. */
  write(
    productionId: string,
    bag: {
      sections: Iterable<BagSectionInput> | AsyncIterable<BagSectionInput>;
      info: ReadonlyArray<readonly [string, string]>;
      /** Called after the payload is written, so tag files can say what it held. */
      tagFiles: () => ReadonlyArray<{ path: string; content: Buffer }>;
      /** Facts for the certificate of authenticity, which the store writes with the payload's digests. */
      certificate: { platform: string; system: string; trackingNumber: string; agency: string; legalProcess: string; decision: string };
    },
  ): Promise<{ tagManifestSha256: string; keyFingerprint: string; payloadBytes: number }>;
  /** The bag as a tar archive, streamed; `besideBag` files go next to the bag's folder, outside it. */
  archive(
    productionId: string,
    options?: { ageRecipient?: string; besideBag?: ReadonlyArray<{ name: string; content: Buffer }> },
  ): AsyncIterable<Uint8Array>;
  /** Every signing key, newest (the one that signs) first. */
  signingKeys(): Promise<ReadonlyArray<{ id: string; fingerprint: string }>>;
  /** Makes a new signing key the one that signs; the old ones stay published. */
  rotateSigningKey(): Promise<{ id: string; fingerprint: string }>;
}

/** Outgoing mail: an SMTP server, or a folder of .eml files when none is configured (src/notify/mailer.ts). */
export interface Mailer {
  /**
   * `key` names the message for good (its Message-ID, and its file name when mail goes to files): sending the same key
   * again after a crash gives the same message, which the folder keeps once and a mail client recognises.
   */
  send(message: {
    readonly to: string;
    readonly subject: string;
    readonly text: string;
    readonly key?: string | undefined;
    /** The message this one answers (its Message-ID), for the recipient's thread. */
    readonly inReplyTo?: string | undefined;
    readonly references?: readonly string[] | undefined;
    /** Further header fields (an automatic reply's marks, RFC 3834). */
    readonly headers?: Readonly<Record<string, string>> | undefined;
  }): Promise<void>;
}

/** A page to whoever is on call: no personal data, only what to look at and why. */
export interface OnCallPage {
  /** Names the page for good: a retried page carries the same key (as the webhook's Idempotency-Key). */
  readonly key: string;
  readonly reason: string;
  readonly trackingNumber: string;
  readonly kind: string;
  readonly due: string | null;
  readonly text: string;
}

/** On-call paging by webhook and by mail; throws when a configured channel refuses, so the job tries again. */
export interface Pager {
  page(page: OnCallPage): Promise<{ readonly channels: ReadonlyArray<'webhook' | 'email'> }>;
}
