/** The request model: kinds, data categories, instruments, identifiers and the lifecycle's states. */

export const REQUEST_KINDS = ['disclosure', 'preservation', 'emergency', 'removal', 'prospective', 'assistance'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const DATA_CATEGORIES = ['subscriber', 'traffic', 'content', 'location', 'device', 'payment'] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** What the agency says its legal process is; the checks weigh it per category and jurisdiction. */
export const INSTRUMENT_TYPES = [
  'subpoena',
  'court_order',
  'search_warrant',
  'interception_order',
  'communication_confirmation_permit',
  'production_order',
  'preservation_order',
  'removal_order',
  'emergency_request',
  'mlat_request',
  'letter',
  'other',
] as const;
export type InstrumentType = (typeof INSTRUMENT_TYPES)[number];

/** Who issued the legal process: some instruments bind only when a judge issued them. */
export const ISSUER_TYPES = ['court', 'prosecutor', 'police', 'administrative', 'other'] as const;
export type IssuerType = (typeof ISSUER_TYPES)[number];

/** `content_id`: an item of content (a post, a message) by the platform's own id, as removal orders may name it. */
export const IDENTIFIER_KINDS = ['username', 'email', 'phone', 'url', 'user_id', 'ip', 'content_id', 'other'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export const REQUEST_STATES = [
  'received',
  'verifying',
  'in_review',
  'needs_info',
  'approved',
  'partially_approved',
  'rejected',
  'producing',
  'delivered',
  'active',
  'extended',
  'expired',
  'released',
  'actioned',
  'closed',
  'withdrawn',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** States from which nothing more happens. */
export const TERMINAL_STATES: ReadonlySet<RequestState> = new Set(['closed', 'withdrawn']);

/** Open states: the request still asks something of someone; an officer may withdraw it. */
export const OPEN_STATES: ReadonlySet<RequestState> = new Set([
  'received',
  'verifying',
  'in_review',
  'needs_info',
  'approved',
  'partially_approved',
  'producing',
  'active',
  'extended',
]);

/** `WR-2026-000042`: the number an agency quotes in every later message. */
export const TRACKING_NUMBER_PATTERN = /^WR-\d{4}-\d{6,}$/;

export function formatTrackingNumber(year: number, sequence: number): string {
  return `WR-${year}-${String(sequence).padStart(6, '0')}`;
}

export const isTrackingNumber = (value: string): boolean => TRACKING_NUMBER_PATTERN.test(value);
