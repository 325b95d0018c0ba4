/**
 * Every error Writ reports is one of these codes. The server maps each to an HTTP status in one exhaustive table, so a
 * new code that is not mapped fails compilation. Messages are safe to show: they never carry personal data, tokens or
 * query parameters.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'MALFORMED_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'WRONG_PASSWORD',
  'FORBIDDEN',
  'NOT_FOUND',
  'REQUEST_NOT_FOUND',
  'DOCUMENT_NOT_FOUND',
  'DOCUMENT_TYPE_NOT_ALLOWED',
  'DOCUMENT_REQUIRED',
  'UNKNOWN_TRANSITION',
  'INVALID_TRANSITION',
  'STALE_UPDATE',
  'IDEMPOTENCY_KEY_REUSED',
  'IDEMPOTENCY_KEY_INVALID',
  'INVALID_CURSOR',
  'DECISION_SCOPE_INVALID',
  'USER_EXISTS',
  'ORGANISATION_NOT_FOUND',
  'PRODUCTION_NOT_FOUND',
  'PRODUCTION_EXPIRED',
  'ENCRYPTION_KEY_MISSING',
  'FINDINGS_BLOCK',
  'CALLBACK_REQUIRED',
  'SECOND_PERSON_REQUIRED',
  'DIRECTORY_PHONE_MISSING',
  'RATE_LIMITED',
  'MFA_REQUIRED',
  'MFA_ENROLMENT_REQUIRED',
  'MFA_CODE_INVALID',
  'PASSKEY_INVALID',
  'MFA_ALREADY_ENROLLED',
  'CONFIRMATION_CODE_INVALID',
  'APPROVAL_PENDING',
  'ADDRESS_NOT_CONFIRMED',
  'INTAKE_MESSAGE_NOT_FOUND',
  'DRAFT_NOT_FOUND',
  'DRAFT_CLOSED',
  'DRAFT_INCOMPLETE',
  'PRESERVATION_NOT_FOUND',
  'NOTICE_NOT_FOUND',
  'DEAD_LETTER_NOT_FOUND',
  'AUDIT_EVENT_NOT_FOUND',
  'TREE_HEAD_NOT_FOUND',
  'AUDIT_LOG_BROKEN',
  'REPORT_RANGE_INVALID',
  'REPORT_PERIOD_NOT_PUBLISHED',
  'REPORT_RANGE_NOT_PUBLIC',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** A failure a caller can act on. `detail` must be safe to show to the caller. */
export class WritError extends Error {
  override readonly name = 'WritError';
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extra: Readonly<Record<string, unknown>> = {},
  ) {
    super(`${code}: ${detail}`);
  }
}

export const isWritError = (value: unknown): value is WritError => value instanceof WritError;
