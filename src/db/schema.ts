/** Kysely's view of Writ's tables (see migrations/). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, string, string>;

export interface OrganisationsTable {
  id: Generated<string>;
  kind: 'platform' | 'agency';
  name: string;
  jurisdiction: string | null;
  email_domains: ColumnType<string[], string[] | undefined, string[]>;
  verification_status: ColumnType<string, string | undefined, string>;
  verification_phone: ColumnType<string | null, string | null | undefined, string | null>;
  verification_phone_source: ColumnType<string | null, string | null | undefined, string | null>;
  age_recipient: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

export interface UsersTable {
  id: Generated<string>;
  organisation_id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  roles: string[];
  status: ColumnType<string, string | undefined, string>;
  created_at: Timestamp;
  last_login_at: Date | null;
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  totp_enabled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  totp_last_step: ColumnType<string | null, number | null | undefined, number | null>;
  email_code_sha256: ColumnType<string | null, string | null | undefined, string | null>;
  email_code_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  email_confirmed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  token_sha256: string;
  created_at: Timestamp;
  expires_at: Date;
  revoked_at: Date | null;
  mfa: ColumnType<boolean, boolean | undefined, boolean>;
  last_seen_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_sha256: string;
  created_at: Timestamp;
  expires_at: Date;
  revoked_at: Date | null;
  /** The roles the token acts with; null (tokens made before 0055): all of its person's roles. */
  scope: string[] | null;
  /** The token this one was minted with: it never outlives it and is revoked with it. */
  parent_token_id: string | null;
  last_used_at: Date | null;
}

export interface RequestsTable {
  id: Generated<string>;
  tracking_number: string;
  agency_id: string;
  officer_id: string;
  kind: string;
  state: string;
  version: Generated<number>;
  jurisdiction: string;
  case_reference: string | null;
  summary: string | null;
  instrument_type: string;
  issuing_authority: string | null;
  issuer_type: ColumnType<string | null, string | null | undefined, string | null>;
  process_reference: string | null;
  issued_on: ColumnType<string | null, string | null | undefined, string | null>;
  categories: string[];
  date_from: Date | null;
  date_to: Date | null;
  offence: Json | null;
  non_disclosure: boolean;
  non_disclosure_until: ColumnType<string | null, string | null | undefined, string | null>;
  /** Stated review facts (migration 0070). */
  facts: ColumnType<unknown, string | null | undefined, string | null>;
  /** The blocks of the last review, and when (migration 0071). */
  review_blocks: ColumnType<unknown, string | null | undefined, string | null>;
  reviewed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  deadline: Date | null;
  emergency: Json | null;
  follow_up_due: ColumnType<Date | null, never, Date | null>;
  follow_up_received_at: ColumnType<Date | null, never, Date | null>;
  payload_sha256: string;
  due_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  due_basis: ColumnType<string | null, string | null | undefined, string | null>;
  sender_network: ColumnType<string | null, string | null | undefined, string | null>;
  targets_count: ColumnType<number, number | undefined, number>;
  decided_as: ColumnType<string | null, never, never>;
  refused_unverified: ColumnType<boolean, never, never>;
  produced_records: ColumnType<string | null, never, never>;
  received_at: Timestamp;
  updated_at: Timestamp;
}

export interface TargetsTable {
  id: Generated<string>;
  request_id: string;
  position: number;
  kind: string;
  value: string;
  note: string | null;
}

export interface DocumentsTable {
  id: Generated<string>;
  organisation_id: string;
  uploaded_by: string;
  request_id: string | null;
  file_name: string;
  media_type: string;
  size: ColumnType<string, number, number>;
  sha256: string;
  created_at: Timestamp;
}

export interface MessagesTable {
  id: Generated<string>;
  request_id: string;
  author_id: string;
  side: 'agency' | 'desk';
  body: string;
  created_at: Timestamp;
}

export interface NotesTable {
  id: Generated<string>;
  request_id: string;
  author_id: string;
  body: string;
  created_at: Timestamp;
}

export interface OrganisationStatusChangesTable {
  id: Generated<string>;
  organisation_id: string;
  from_status: string | null;
  to_status: string;
  reason: string;
  changed_by: string;
  changed_at: Timestamp;
}

export interface CallbacksTable {
  id: Generated<string>;
  request_id: string;
  called_by: string;
  phone: string;
  outcome: string;
  spoke_with: string | null;
  note: string | null;
  called_at: Timestamp;
}

/** The first of two approvals, when the policy asks a second person for every approval that releases data. */
export interface ApprovalStepsTable {
  request_id: string;
  approved_by: string;
  is_counsel: boolean;
  decision_sha256: string;
  request_version: number;
  created_at: Timestamp;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  locked_until: Date | null;
  updated_at: Date;
}

export interface DecisionsTable {
  id: Generated<string>;
  request_id: string;
  decided_by: string;
  outcome: 'approved' | 'partially_approved' | 'rejected';
  reason: string | null;
  items: Json;
  created_at: Timestamp;
}

/** Columns read from the entry are read-only: an event is written as its `entry` alone (migration 0020). */
type Derived<T> = ColumnType<T, never, never>;

/** The table under the view `audit_events`. */
export interface AuditEntriesTable {
  id: Generated<string>;
  entry: ColumnType<string, string, never>;
  fields: Derived<unknown>;
}

export interface AuditUnplacedTable {
  id: ColumnType<string, string, never>;
}

export interface AuditLeavesTable {
  position: ColumnType<string, number, never>;
  entry_id: ColumnType<string, string, never>;
}

export interface AuditEventsTable {
  id: Generated<string>;
  /** The canonical JSON the event's leaf hash is taken over. */
  entry: ColumnType<string, string, never>;
  version: Derived<number>;
  type: Derived<string>;
  occurred_at: Derived<Date>;
  actor_user_id: Derived<string | null>;
  actor_organisation_id: Derived<string | null>;
  via: Derived<string>;
  request_id: Derived<string | null>;
  data: Derived<unknown>;
}

export interface AuditTreeNodesTable {
  level: number;
  position: ColumnType<string, number, never>;
  hash: Uint8Array;
}

export interface AuditTreeHeadsTable {
  tree_size: ColumnType<string, number, never>;
  root_hash: Uint8Array;
  signed_at: Timestamp;
  checkpoint: string;
  signature: Uint8Array;
  key_fingerprint: string;
}

export interface OutboxTable {
  id: Generated<string>;
  topic: string;
  payload: Json;
  created_at: Timestamp;
  dispatched_at: Date | null;
}

export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  scope: string;
  input_sha256: string;
  result: Json;
  created_at: Timestamp;
}

export interface RequestStateEdgesTable {
  from_state: string;
  to_state: string;
}

export interface ProductionsTable {
  id: Generated<string>;
  request_id: string;
  decision_id: string;
  state: 'running' | 'completed' | 'failed';
  attempts: Generated<number>;
  tag_manifest_sha256: string | null;
  key_fingerprint: string | null;
  payload_bytes: ColumnType<string | null, number | null | undefined, number | null>;
  outcomes: Json;
  failure: string | null;
  available_until: Date | null;
  created_at: Timestamp;
  completed_at: Date | null;
  part: ColumnType<number, number | undefined, number>;
  window_from: ColumnType<Date | null, Date | null | undefined, Date | null>;
  window_to: ColumnType<Date | null, Date | null | undefined, Date | null>;
  receipt: ColumnType<unknown, string | null | undefined, string | null>;
  progress: ColumnType<unknown, string | null | undefined, string | null>;
}

export interface ProductionDownloadsTable {
  id: Generated<string>;
  production_id: string;
  user_id: string;
  downloaded_at: Timestamp;
}

export interface UserNetworksTable {
  user_id: string;
  network: string;
  first_seen_at: Date;
  last_seen_at: Date;
}

export interface PasskeysTable {
  id: Generated<string>;
  user_id: string;
  credential_id: string;
  public_key: Uint8Array;
  sign_count: ColumnType<string, number | undefined, number>;
  transports: ColumnType<string[], string[] | undefined, string[]>;
  name: string;
  created_at: Timestamp;
  last_used_at: Date | null;
}

export interface WebauthnChallengesTable {
  challenge: string;
  purpose: string;
  user_id: string | null;
  expires_at: Date;
}

export interface DemoAccountsTable {
  user_id: string;
  position: number;
}

export interface ScheduledTasksTable {
  id: Generated<string>;
  key: string;
  topic: string;
  request_id: string | null;
  payload: Json;
  due_at: Date;
  state: ColumnType<'pending' | 'fired' | 'cancelled', 'pending' | 'fired' | 'cancelled' | undefined, 'pending' | 'fired' | 'cancelled'>;
  fired_at: Date | null;
  handled_at: Date | null;
  outcome: string | null;
  created_at: Timestamp;
}

export interface DeadLettersTable {
  id: Generated<string>;
  outbox_id: string | null;
  topic: string;
  payload: Json;
  reason: string;
  attempts: number;
  failed_at: Timestamp;
  retried_at: Date | null;
  retried_by: string | null;
}

export interface PreservationsTable {
  id: Generated<string>;
  request_id: string;
  decision_id: string;
  expires_at: Date;
  extension_hours: number;
  basis: string;
  extended_at: Date | null;
  copy_state: ColumnType<
    'sealing' | 'sealed' | 'released',
    'sealing' | 'sealed' | 'released' | undefined,
    'sealing' | 'sealed' | 'released'
  >;
  attempts: Generated<number>;
  manifest_sha256: string | null;
  sealed_at: Date | null;
  released_at: Date | null;
  created_at: Timestamp;
}

export interface PreservedItemsTable {
  id: Generated<string>;
  preservation_id: string;
  target_id: string;
  category: string;
  account_id: string | null;
  account_label: string | null;
  range_from: Date;
  range_to: Date;
  status: string;
  records: number;
  columns: string[];
  sha256: string | null;
  size: ColumnType<string | null, number | null, number | null>;
  detail: string;
}

export interface NoticesTable {
  id: Generated<string>;
  request_id: string;
  target_id: string;
  purpose: 'disclosure' | 'removal';
  state: 'scheduled' | 'withheld' | 'sent' | 'no_contact' | 'cancelled';
  basis: string;
  basis_detail: string | null;
  not_before: Date | null;
  token_sha256: string | null;
  sent_at: Date | null;
  viewed_at: Date | null;
  /** Migration 0050: the desk revoked the notice page's link. */
  link_revoked_at: Date | null;
  created_at: Timestamp;
}

export interface RemovalActionsTable {
  id: Generated<string>;
  request_id: string;
  target_id: string;
  action: 'removed' | 'restricted' | 'kept';
  countries: ColumnType<string[], string[] | undefined, string[]>;
  reasons: string;
  decided_by: string;
  state: ColumnType<
    'pending' | 'done' | 'not_found' | 'not_supported',
    'pending' | 'done' | 'not_found' | 'not_supported' | undefined,
    'pending' | 'done' | 'not_found' | 'not_supported'
  >;
  content_id: string | null;
  author_account: string | null;
  detail: string | null;
  acted_at: Date | null;
  created_at: Timestamp;
}

export interface Database {
  organisations: OrganisationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  requests: RequestsTable;
  targets: TargetsTable;
  documents: DocumentsTable;
  messages: MessagesTable;
  notes: NotesTable;
  decisions: DecisionsTable;
  organisation_status_changes: OrganisationStatusChangesTable;
  callbacks: CallbacksTable;
  approval_steps: ApprovalStepsTable;
  login_throttle: LoginThrottleTable;
  audit_events: AuditEventsTable;
  audit_entries: AuditEntriesTable;
  audit_unplaced: AuditUnplacedTable;
  audit_leaves: AuditLeavesTable;
  audit_tree_nodes: AuditTreeNodesTable;
  audit_tree_heads: AuditTreeHeadsTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyKeysTable;
  request_state_edges: RequestStateEdgesTable;
  productions: ProductionsTable;
  production_downloads: ProductionDownloadsTable;
  user_networks: UserNetworksTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  demo_accounts: DemoAccountsTable;
  scheduled_tasks: ScheduledTasksTable;
  dead_letters: DeadLettersTable;
  preservations: PreservationsTable;
  preserved_items: PreservedItemsTable;
  notices: NoticesTable;
  removal_actions: RemovalActionsTable;
}
