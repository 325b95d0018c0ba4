/** A person's own login sessions: where they are signed in, and ending any of them. */
import type { Actor } from '../core/actor.ts';
import { WritError } from '../core/errors.ts';
import type { Clock, Repositories, Secrets, Transactor } from '../core/ports.ts';

export interface SessionsDeps {
  readonly store: Transactor<Pick<Repositories, 'credentials' | 'audit'>>;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
  readonly clock: Clock;
  readonly sessionIdleMinutes: number;
}

export interface SessionView {
  readonly id: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly expiresAt: string;
  readonly secondFactor: boolean;
  /** The session this call was made with. */
  readonly current: boolean;
}

export async function listOwnSessions(
  deps: SessionsDeps,
  actor: Actor,
  input: { currentToken?: string | undefined },
): Promise<SessionView[]> {
  const now = deps.clock.now();
  const sessions = await deps.store.read.credentials.listSessions(
    actor.userId,
    now,
    new Date(now.getTime() - deps.sessionIdleMinutes * 60_000),
  );
  const current = input.currentToken ? deps.secrets.sha256Hex(input.currentToken) : undefined;
  return sessions.map((session) => ({
    id: session.id,
    createdAt: session.createdAt,
    lastSeenAt: session.lastSeenAt,
    expiresAt: session.expiresAt,
    secondFactor: session.mfa,
    current: session.tokenSha256 === current,
  }));
}

export async function revokeOwnSession(deps: SessionsDeps, actor: Actor, input: { id: string }): Promise<void> {
  await deps.store.transaction(async (repositories) => {
    if (!(await repositories.credentials.revokeSessionById(actor.userId, input.id, deps.clock.now()))) {
      throw new WritError('NOT_FOUND', 'No such session.');
    }
    await repositories.audit.append(actor, { type: 'auth.session_revoked', data: { sessionId: input.id } });
  });
}
