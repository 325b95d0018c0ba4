/** Errors as application/problem+json (RFC 9457) with a stable `code`. One exhaustive map from code to HTTP status. */
import type { ErrorCode } from '../core/errors.ts';

export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  // A signed-in person's current password, when they change it: not a failed login, so not 401 (which means signed out).
  WRONG_PASSWORD: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  REQUEST_NOT_FOUND: 404,
  DOCUMENT_NOT_FOUND: 404,
  DOCUMENT_TYPE_NOT_ALLOWED: 415,
  DOCUMENT_REQUIRED: 422,
  UNKNOWN_TRANSITION: 404,
  INVALID_TRANSITION: 409,
  STALE_UPDATE: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  IDEMPOTENCY_KEY_INVALID: 400,
  INVALID_CURSOR: 400,
  DECISION_SCOPE_INVALID: 422,
  USER_EXISTS: 409,
  ORGANISATION_NOT_FOUND: 404,
  PRODUCTION_NOT_FOUND: 404,
  PRODUCTION_EXPIRED: 410,
  ENCRYPTION_KEY_MISSING: 409,
  FINDINGS_BLOCK: 409,
  CALLBACK_REQUIRED: 409,
  SECOND_PERSON_REQUIRED: 409,
  DIRECTORY_PHONE_MISSING: 409,
  RATE_LIMITED: 429,
  MFA_REQUIRED: 401,
  MFA_ENROLMENT_REQUIRED: 403,
  MFA_CODE_INVALID: 422,
  PASSKEY_INVALID: 422,
  MFA_ALREADY_ENROLLED: 409,
  CONFIRMATION_CODE_INVALID: 400,
  APPROVAL_PENDING: 403,
  ADDRESS_NOT_CONFIRMED: 409,
  INTAKE_MESSAGE_NOT_FOUND: 404,
  DRAFT_NOT_FOUND: 404,
  DRAFT_CLOSED: 409,
  DRAFT_INCOMPLETE: 422,
  PRESERVATION_NOT_FOUND: 404,
  NOTICE_NOT_FOUND: 404,
  DEAD_LETTER_NOT_FOUND: 404,
  AUDIT_EVENT_NOT_FOUND: 404,
  TREE_HEAD_NOT_FOUND: 404,
  AUDIT_LOG_BROKEN: 503,
  REPORT_RANGE_INVALID: 400,
  REPORT_PERIOD_NOT_PUBLISHED: 400,
  REPORT_RANGE_NOT_PUBLIC: 400,
  INTERNAL: 500,
};

const TITLES: Readonly<Partial<Record<ErrorCode, string>>> = {
  VALIDATION_FAILED: 'The input is not valid',
  MALFORMED_JSON: 'The body is not valid JSON',
  UNAUTHENTICATED: 'Log in or send a bearer token',
  INVALID_CREDENTIALS: 'Login failed',
  WRONG_PASSWORD: 'The current password is not right',
  FORBIDDEN: 'Not allowed',
  INVALID_TRANSITION: 'Not possible in this state',
  STALE_UPDATE: 'Changed meanwhile',
  INTERNAL: 'Something went wrong on our side',
};

export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly code: ErrorCode;
  readonly detail: string;
  readonly [extension: string]: unknown;
}

export function problem(code: ErrorCode, detail: string, extra: Readonly<Record<string, unknown>> = {}): Problem {
  // Extensions never replace the members RFC 9457 defines: a `status` among them once became the HTTP status (a 500).
  return {
    ...extra,
    type: `https://writ.invalid/problems/${code.toLowerCase().replaceAll('_', '-')}`,
    title: TITLES[code] ?? code.toLowerCase().replaceAll('_', ' '),
    status: HTTP_STATUS[code],
    code,
    detail,
  };
}
