/** Who is acting: Writ's own type, built from a session or token, never from a web framework's request. */
import type { Side } from './transitions.ts';

export const ROLES = ['officer', 'agency_admin', 'reviewer', 'counsel', 'admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const AGENCY_ROLES: ReadonlySet<Role> = new Set(['officer', 'agency_admin']);
export const DESK_ROLES: ReadonlySet<Role> = new Set(['reviewer', 'counsel', 'admin', 'auditor']);

export type OrganisationKind = 'platform' | 'agency';

export interface Actor {
  readonly userId: string;
  readonly organisationId: string;
  readonly organisationKind: OrganisationKind;
  readonly roles: readonly Role[];
  /** How the actor authenticated; audit events record it. */
  readonly via: 'session' | 'token' | 'cli' | 'system';
  /** A session opened with both factors (password and a TOTP code). Tokens count as such: only such a session issues them. */
  readonly mfa?: boolean;
  /** A registered person whose address is confirmed but who is not yet approved: holds no role until then. */
  readonly awaitingApproval?: boolean;
  /**
   * The bearer token acted through: what a token may mint is bounded by it (no later expiry, no wider scope). Its
   * `roles` above are already narrowed to its scope.
   */
  readonly token?: { readonly id: string; readonly expiresAt: string; readonly scope: readonly Role[] };
  /** Request metadata for the audit log (never logged elsewhere). */
  readonly ip?: string;
}

/** Writ itself, for jobs and start-up work. */
export const SYSTEM_ACTOR: Actor = {
  userId: '00000000-0000-0000-0000-000000000000',
  organisationId: '00000000-0000-0000-0000-000000000000',
  organisationKind: 'platform',
  roles: [],
  via: 'system',
};

export const isSystem = (actor: Actor): boolean => actor.via === 'system';

export function sideOf(actor: Actor): Side {
  if (isSystem(actor)) return 'system';
  return actor.organisationKind === 'agency' ? 'agency' : 'desk';
}

/** One table of what each role may do; every route and use case names the permission it needs. */
export const PERMISSIONS = {
  'request.submit': ['officer'],
  'request.read': ['officer', 'agency_admin', 'reviewer', 'counsel', 'admin', 'auditor'],
  'request.message': ['officer', 'reviewer', 'counsel'],
  'request.answer': ['officer'],
  'request.withdraw': ['officer'],
  'request.note': ['reviewer', 'counsel'],
  'request.read_notes': ['reviewer', 'counsel', 'admin', 'auditor'],
  'request.ask_info': ['reviewer', 'counsel'],
  'request.decide': ['reviewer', 'counsel'],
  'request.close': ['reviewer', 'counsel'],
  'request.produce': ['counsel'],
  'production.download': ['officer', 'agency_admin', 'counsel', 'admin', 'auditor'],
  'document.upload': ['officer'],
  'document.read': ['officer', 'agency_admin', 'reviewer', 'counsel', 'admin', 'auditor'],
  'token.create': ['officer', 'agency_admin', 'admin'],
  'user.manage': ['admin'],
  /** Suspend or reinstate a person: the platform's admins anyone, an agency admin the people of their own agency. */
  'user.suspend': ['admin', 'agency_admin'],
  'agency.manage': ['admin'],
  'agency.read': ['reviewer', 'counsel', 'admin', 'auditor'],
  'request.callback': ['reviewer', 'counsel'],
  /** Look a request's targets up on the platform: a view of user data, so audited, and only for those who review. */
  'request.resolve': ['reviewer', 'counsel'],
  /** The policy, rule packs and connector the desk works with (read only). */
  'settings.read': ['reviewer', 'counsel', 'admin', 'auditor'],
  'agency.own': ['officer', 'agency_admin'],
  'agency.encryption_key': ['officer', 'agency_admin'],
  'key.rotate': ['admin'],
  'audit.security': ['admin', 'auditor'],
  /** Read the mail that came in and the draft requests made of it. */
  'intake.read': ['reviewer', 'counsel', 'admin', 'auditor'],
  /** Correct a draft request made of an email, confirm it into a request, or discard it. */
  'intake.manage': ['reviewer', 'counsel'],
  /** What is due, overdue and escalated: the desk's deadline view. */
  'deadline.read': ['reviewer', 'counsel', 'admin', 'auditor'],
  'jobs.read': ['admin', 'auditor'],
  'jobs.retry': ['admin'],
  /** Start, extend and release a preservation; act on a removal order. */
  'request.preserve': ['reviewer', 'counsel'],
  'request.act': ['reviewer', 'counsel'],
  /** Read and plan user notices; record a gag order's end. Releasing a notice the law withholds is counsel's. */
  'notice.read': ['reviewer', 'counsel', 'admin', 'auditor'],
  'notice.manage': ['reviewer', 'counsel'],
  'notice.release': ['counsel'],
  /** Read events of the audit log as it holds them, with their proofs. */
  'audit.read': ['admin', 'auditor'],
  /** Export removal decisions as DSA statements of reasons. */
  'report.export': ['admin', 'auditor', 'counsel'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(actor: Actor, permission: Permission): boolean {
  if (isSystem(actor)) return true;
  const allowed: readonly Role[] = PERMISSIONS[permission];
  return actor.roles.some((role) => allowed.includes(role));
}

/** The operator at the server's shell (`writ user add`, ...): acts as an admin of the platform. */
export const CLI_ACTOR: Actor = { ...SYSTEM_ACTOR, via: 'cli', roles: ['admin'] };
