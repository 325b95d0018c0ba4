/**
 * The audit event union, typed and versioned. Every event is written in the same transaction as the change it records.
 * `data` never holds passwords, tokens or message bodies; it holds identifiers and hashes.
 */
import type { HoldReason } from './anomalies.ts';
import type { RequestEvent } from './transitions.ts';
import type { RequestState } from './request.ts';

export const AUDIT_EVENT_VERSION = 1;

export type AuditEvent =
  /** An agency's request was accepted and a receipt issued. */
  | { type: 'request.submitted'; requestId: string; data: { trackingNumber: string; payloadSha256: string; kind: string } }
  /** A request moved from one state to another. */
  | { type: 'request.transitioned'; requestId: string; data: { event: RequestEvent; from: RequestState; to: RequestState } }
  /** The desk looked a request's targets up on the platform (a view of user data): how many, and how many matched. */
  | { type: 'request.targets_resolved'; requestId: string; data: { targets: number; found: number } }
  /**
   * Someone read a request's data: the request in full (no `part`), its findings, what its production found per target
   * and category, where it stands (`status`), its callbacks, notices, removal actions, preservation or delivery receipt.
   * A repeat of the same read by the same person within a minute, with nothing else in between, is covered by the
   * first (src/core/read-trail.ts).
   */
  | {
      type: 'request.viewed';
      requestId: string;
      data: { part?: 'findings' | 'production' | 'status' | 'callbacks' | 'notices' | 'removal' | 'preservation' | 'receipt' };
    }
  /**
   * Someone read a page of a list of requests (the queue, a search, the deadlines): which requests it showed, by id,
   * and whether it was filtered. One event per page.
   */
  | {
      type: 'request.list_viewed';
      requestId?: undefined;
      data: { list: 'requests' | 'deadlines'; requestIds: readonly string[]; filtered: boolean; next: boolean };
    }
  /** A message was posted on a request's thread (the body is in the messages table, not here). */
  | { type: 'request.message_posted'; requestId: string; data: { messageId: string; side: 'agency' | 'desk' } }
  /** A desk-internal note was added. */
  | { type: 'request.note_added'; requestId: string; data: { noteId: string } }
  /** A decision was recorded (approve, partial approval or rejection). */
  | {
      type: 'request.decided';
      requestId: string;
      data: { decisionId: string; outcome: string; approvedItems: number; refusedItems: number; overriddenFindings?: readonly string[] };
    }
  /** A production finished: its package is built and signed. */
  | {
      type: 'production.completed';
      requestId: string;
      data: { productionId: string; tagManifestSha256: string; keyFingerprint: string; records: number };
    }
  /** A production attempt failed; it is retried with the same production id. */
  | { type: 'production.failed'; requestId: string; data: { productionId: string; reason: string } }
  /** A package was downloaded. */
  | { type: 'production.downloaded'; requestId: string; data: { productionId: string; encrypted: boolean } }
  /** A legal process document was stored. */
  | { type: 'document.uploaded'; requestId?: undefined; data: { documentId: string; sha256: string; size: number; mediaType: string } }
  /** An uploaded document that no request named within the configured time was deleted (WRIT_ORPHAN_UPLOAD_HOURS). */
  | {
      type: 'document.orphan_deleted';
      requestId?: undefined;
      data: { documentId: string; sha256: string; size: number; uploadedAt: string; fileRemoved: boolean };
    }
  /** A stored document was downloaded. */
  | { type: 'document.downloaded'; requestId?: string; data: { documentId: string } }
  /** A person logged in. */
  | { type: 'auth.login_succeeded'; requestId?: undefined; data: { method?: 'password' | 'passkey' | 'demo' } }
  /** A login failed; the subject is the account if one matched, or none. */
  | {
      type: 'auth.login_failed';
      requestId?: undefined;
      data: {
        reason: 'unknown_account' | 'wrong_password' | 'disabled' | 'wrong_code' | 'code_reused' | 'passkey_not_verified' | 'invalid_input';
      };
    }
  /** A session ended by logout. */
  /** A login refused unchecked because the account or the address is locked after failures. */
  | { type: 'auth.login_throttled'; requestId?: undefined; data: { retryAfterSeconds: number } }
  | { type: 'auth.totp_enrolment_started'; requestId?: undefined; data: Record<string, never> }
  | { type: 'auth.totp_confirmation_failed'; requestId?: undefined; data: Record<string, never> }
  | { type: 'auth.totp_enabled'; requestId?: undefined; data: Record<string, never> }
  /** A person added a passkey (by its name); a failed attempt is `auth.passkey_enrolment_failed`. */
  | { type: 'auth.passkey_added'; requestId?: undefined; data: { passkeyId: string; name: string } }
  | { type: 'auth.passkey_enrolment_failed'; requestId?: undefined; data: Record<string, never> }
  /** A session or token was presented that is unknown, expired, revoked, or its person or agency shut out. */
  | { type: 'auth.credential_rejected'; requestId?: undefined; data: { kind: 'session' | 'token' } }
  /** A signed-in caller was refused a route: their role does not allow it, or their session lacks a second factor. */
  | {
      type: 'access.denied';
      requestId?: undefined;
      data: { method: string; route: string; reason: 'permission' | 'second_factor' | 'cross_site' | 'approval' };
    }
  | { type: 'auth.session_revoked'; requestId?: undefined; data: { sessionId: string } }
  | { type: 'auth.logout'; requestId?: undefined; data: Record<string, never> }
  /**
   * An API token was issued (never the token itself): its expiry, the roles it acts with, and the token it was minted
   * with, if any (those three since 0055).
   */
  | {
      type: 'token.created';
      requestId?: undefined;
      data: { tokenId: string; name: string; expiresAt?: string; scope?: readonly string[]; parentTokenId?: string | null };
    }
  /** An API token was revoked by its person or, for them, by an admin; `ended` counts it and the tokens minted with it. */
  | { type: 'token.revoked'; requestId?: undefined; data: { tokenId: string; ended: number; by: 'owner' | 'admin' } }
  /** A person signed out everywhere: every session and token of theirs ended. */
  | { type: 'auth.signed_out_everywhere'; requestId?: undefined; data: { sessionsEnded: number; tokensEnded: number } }
  /** A person changed their password; every other session and every token of theirs ended. */
  | { type: 'auth.password_changed'; requestId?: undefined; data: { sessionsEnded: number; tokensEnded: number } }
  /** A password change was refused: the current password was wrong. */
  | { type: 'auth.password_change_failed'; requestId?: undefined; data: Record<string, never> }
  /** An account was created. */
  /** A person suspended (every session and token ended) or reinstated. */
  | {
      type: 'user.status_changed';
      requestId?: undefined;
      data: { userId: string; status: string; reason: string; sessionsEnded: number; tokensEnded: number };
    }
  | { type: 'user.created'; requestId?: undefined; data: { userId: string; roles: readonly string[] } }
  /** The demo platform and accounts were seeded. */
  | { type: 'agency.encryption_key_set'; requestId?: undefined; data: { organisationId: string; recipient: string | null } }
  | {
      type: 'agency.directory_updated';
      requestId?: undefined;
      data: { organisationId: string; fields: readonly string[]; statusFrom?: string; statusTo?: string };
    }
  /** Verification held the request for the desk to confirm its requester, and why. */
  | { type: 'request.held'; requestId: string; data: { reasons: readonly HoldReason[] } }
  /** Someone at the desk phoned the agency's directory number about a request. */
  | { type: 'request.callback_recorded'; requestId: string; data: { callbackId: string; outcome: string } }
  /** The legal process an emergency request promised has come. */
  | { type: 'request.follow_up_received'; requestId: string; data: { due: string | null; late: boolean } }
  /**
   * Someone asked to register. `outcome` says what happened (the caller is told the same thing in every case):
   * a code was sent, the address is at no agency that may register, or it already has an account.
   */
  | {
      type: 'auth.registration_requested';
      requestId?: undefined;
      data: { outcome: 'code_sent' | 'not_in_directory' | 'account_exists'; userId?: string; domain: string };
    }
  /** A submission refused because its sender is over the hourly limit of requests. */
  | { type: 'request.submission_throttled'; requestId?: undefined; data: { sentInLastHour: number; retryAfterSeconds: number } }
  /** Registrations or confirmations refused unchecked because the network address is over its hourly limit. */
  | { type: 'auth.registration_throttled'; requestId?: undefined; data: { retryAfterSeconds: number } }
  /** A confirmation code that is unknown, used or expired. */
  | { type: 'auth.confirmation_failed'; requestId?: undefined; data: Record<string, never> }
  /** A registered person proved control of their address; they wait for approval. */
  | { type: 'user.email_confirmed'; requestId?: undefined; data: { userId: string } }
  /**
   * A person's second factor was taken away by an admin (a lost phone or key): their authenticator and passkeys are
   * gone and every session and token ended; they log in with their password and must enrol again.
   */
  | {
      type: 'user.second_factor_reset';
      requestId?: undefined;
      data: { userId: string; reason: string; passkeysRemoved: number; sessionsEnded: number; tokensEnded: number };
    }
  /** A pending person was approved by their agency's admin or the platform's admin, and may act. */
  | { type: 'user.approved'; requestId?: undefined; data: { userId: string; reason: string } }
  /** An admin sent a job that had failed every attempt round again. */
  | { type: 'job.retried'; requestId?: undefined; data: { deadLetterId: string; topic: string } }
  /** A deadline reminder went out (stage: half-way, close, passed) and to whom (desk mail, on-call webhook or mail). */
  | { type: 'deadline.reminded'; requestId: string; data: { stage: string; due: string; channels: readonly string[] } }
  /** The review ran again (a clock passed, a fact changed): how many blocks it has, and those that are new. */
  | { type: 'review.rerun'; requestId: string; data: { trigger: string; blocks: number; newBlocks: readonly string[] } }
  /** On-call was paged about a request (an emergency arriving). */
  | { type: 'oncall.paged'; requestId: string; data: { reason: string; channels: readonly string[] } }
  /** The copy a preservation secures was sealed: its items, records and the SHA-256 over their hashes. */
  | {
      type: 'preservation.sealed';
      requestId: string;
      data: { preservationId: string; items: number; records: number; manifestSha256: string };
    }
  /** A preservation's expiry moved: extended once, or held while a production request for its data is open. */
  | {
      type: 'preservation.expiry_changed';
      requestId: string;
      data: { preservationId: string; expiresAt: string; why: 'extended' | 'production_pending' };
    }
  /** The officer and the desk were reminded that a preservation expires soon. */
  | {
      type: 'preservation.expiry_reminded';
      requestId: string;
      data: { preservationId: string; expiresAt: string; channels: readonly string[] };
    }
  /** A preservation's sealed copy was deleted when it expired or was released. */
  | { type: 'preservation.copy_released'; requestId: string; data: { preservationId: string; files: number } }
  /** A production read a target's records from the copy a preservation sealed. */
  | { type: 'preservation.copy_used'; requestId: string; data: { preservationId: string; productionId: string } }
  /** It was worked out whether and when the user behind a target may be told (basis: policy, gag, law, emergency, desk). */
  | {
      type: 'notice.planned';
      requestId: string;
      data: { noticeId: string; targetId: string; state: string; basis: string; notBefore: string | null };
    }
  /** A user was notified. */
  | { type: 'notice.sent'; requestId: string; data: { noticeId: string; targetId: string } }
  /** Someone opened a notice page with its link (no sign-in: the notified user, or whoever holds the link). */
  | { type: 'notice.viewed'; requestId: string; data: { noticeId: string; targetId: string } }
  /** The desk revoked a notice page's link: it now answers as a wrong link does. */
  | { type: 'notice.link_revoked'; requestId: string; data: { noticeId: string; targetId: string; reason: string } }
  /** The platform has no address to notify the user behind a target at. */
  | { type: 'notice.no_contact'; requestId: string; data: { noticeId: string; targetId: string } }
  /** The desk recorded a non-disclosure order's end (or that it has none), and the notices were planned again. */
  | { type: 'request.non_disclosure_changed'; requestId: string; data: { until: string | null; reason: string } }
  /** A removal order was acted on. */
  | { type: 'removal.actioned'; requestId: string; data: { action: 'removed' | 'restricted' | 'kept'; items: number } }
  /** A prospective order delivered one part: the records that appeared in a window of its period. */
  | {
      type: 'prospective.delivered';
      requestId: string;
      data: { productionId: string; part: number; windowFrom: string; windowTo: string; records: number };
    }
  /**
   * Under the two-person policy: an approval of a decision (the SHA-256 of its items and reason) was recorded — step 1
   * changes nothing and waits for a second person; step 2, by someone else, lets the decision take effect.
   */
  | {
      type: 'request.approval_recorded';
      requestId: string;
      data: { step: 1 | 2; decisionSha256: string; approvedItems: number; refusedItems: number };
    }
  | { type: 'key.rotated'; requestId?: undefined; data: { keyId: string; fingerprint: string; previous: string | null } }
  | { type: 'demo.seeded'; requestId?: undefined; data: { accounts: number } }
  /** A message came in by email (or an import) and was stored, its bytes under their SHA-256, before anything else. */
  | {
      type: 'intake.message_stored';
      requestId?: undefined;
      data: { messageId: string; sha256: string; size: number; source: string; duplicateOf: string | null };
    }
  /** A stored message was read: its sender judged, its fields extracted, and a draft made or a thread joined. */
  | {
      type: 'intake.message_read';
      requestId?: undefined;
      data: { messageId: string; trust: string; flags: readonly string[]; draftId: string | null; followUp: boolean };
    }
  /** A draft request was made of a message; its tracking number is the one the sender's receipt quotes. */
  | { type: 'intake.draft_created'; requestId?: undefined; data: { draftId: string; trackingNumber: string; messageId: string } }
  /**
   * A follow-up joined a draft or a request (by its thread, its references or a quoted tracking number); `heldApart`
   * when it was trusted less than its thread (THREAD_TRUST_DOWNGRADE) and changed nothing.
   */
  | {
      type: 'intake.follow_up_attached';
      requestId?: string;
      data: { messageId: string; draftId: string | null; heldApart?: boolean };
    }
  /** A message's acknowledgement went out (`kind`: what the sender was told), or was held back and why. */
  | { type: 'intake.acknowledged'; requestId?: undefined; data: { messageId: string; kind: string } }
  | { type: 'intake.acknowledgement_withheld'; requestId?: undefined; data: { messageId: string; reason: string } }
  /** Someone at the desk read a stored message (its text or its raw bytes) or a draft. */
  | { type: 'intake.message_viewed'; requestId?: undefined; data: { messageId: string; raw: boolean } }
  | { type: 'intake.draft_viewed'; requestId?: undefined; data: { draftId: string } }
  /** The desk corrected fields of a draft (the names of the fields, not their values). */
  | { type: 'intake.draft_corrected'; requestId?: undefined; data: { draftId: string; fields: readonly string[] } }
  /** The desk confirmed a draft into a request, which waits for its requester to be confirmed. */
  | {
      type: 'intake.draft_confirmed';
      requestId: string;
      data: { draftId: string; trackingNumber: string; officerCreated: boolean; payloadSha256: string };
    }
  /**
   * The desk accepted one field of a draft from a follow-up that had been held apart (THREAD_TRUST_DOWNGRADE): which
   * field, from which message, and how far that message's sender was trusted (never the value).
   */
  | {
      type: 'intake.field_accepted';
      requestId?: undefined;
      data: { draftId: string; messageId: string; field: string; trust: string };
    }
  /**
   * The sender of a confirmed draft was mailed its tracking number and the portal link (once), or was not, because
   * the trust rules hold the sender (`reason`: its trust level, or the agency's status).
   */
  | { type: 'intake.confirmation_mailed'; requestId: string; data: { draftId: string; trackingNumber: string } }
  | { type: 'intake.confirmation_withheld'; requestId: string; data: { draftId: string; reason: string } }
  /** The desk discarded a draft, with why. */
  | { type: 'intake.draft_discarded'; requestId?: undefined; data: { draftId: string; reason: string } }
  /** The platform's first signing key was made (it signs productions and the audit log's tree heads). */
  | { type: 'key.created'; requestId?: undefined; data: { keyId: string; fingerprint: string } }
  /**
   * Writ started with settings, a policy or rule packs other than those last recorded: which changed, and the SHA-256
   * of each as loaded (settings without secrets), so any later reading can be matched to what was in force.
   */
  | {
      type: 'configuration.changed';
      requestId?: undefined;
      data: { changed: readonly string[]; settingsSha256: string; policySha256: string; rulesSha256: string };
    }
  /** An admin or auditor read the list of people (names and addresses). */
  | { type: 'user.list_viewed'; requestId?: undefined; data: { count: number; status?: string } }
  /** An admin or auditor read failed and suspicious attempts (with the addresses they came from). */
  | { type: 'audit.security_events_viewed'; requestId?: undefined; data: { count: number; filter?: string } }
  /** An admin or auditor read one event of the audit log as it is held, with its proof. */
  | { type: 'audit.event_viewed'; requestId?: undefined; data: { leafIndex: number } }
  /** A transparency report was written out (`writ report`) under the tree head it names. */
  | { type: 'report.generated'; requestId?: undefined; data: { from: string; to: string; treeSize: number; jsonSha256: string } }
  /** Removal decisions were exported as DSA statements of reasons. */
  | { type: 'dsa.statements_exported'; requestId?: undefined; data: { from: string; to: string; statements: number } };

export type AuditEventType = AuditEvent['type'];

/** Failed and suspicious attempts: what an auditor reviews (`GET /api/v1/security-events`). */
export const SECURITY_EVENT_TYPES = [
  'auth.login_failed',
  'auth.login_throttled',
  'auth.credential_rejected',
  'auth.totp_confirmation_failed',
  'auth.passkey_enrolment_failed',
  'access.denied',
  'request.held',
  'agency.directory_updated',
  'user.status_changed',
  'auth.registration_requested',
  'auth.registration_throttled',
  'auth.confirmation_failed',
  'user.approved',
  'request.submission_throttled',
  'user.second_factor_reset',
  'intake.acknowledgement_withheld',
  'token.revoked',
  'auth.signed_out_everywhere',
  'auth.password_changed',
  'auth.password_change_failed',
] as const satisfies ReadonlyArray<AuditEvent['type']>;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];
