/** Organisations, their people, and the sessions and tokens people act through. Secrets are stored only as SHA-256. */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Role } from '../core/actor.ts';
import type { OrganisationRecord, UserRecord } from '../core/model.ts';
import { decodeCursor, encodeCursor } from '../core/pagination.ts';
import type { CredentialRepository, OrganisationRepository, UserRepository } from '../core/ports.ts';
import { FORGET_AFTER_MS, LONGEST_LOCK_MS, type ThrottleState } from '../core/throttle.ts';
import type { Database } from './schema.ts';

const ORGANISATION_COLUMNS = [
  'id',
  'kind',
  'name',
  'jurisdiction',
  'email_domains',
  'verification_status',
  'verification_phone',
  'verification_phone_source',
  'age_recipient',
] as const;

type OrganisationRow = {
  id: string;
  kind: 'platform' | 'agency';
  name: string;
  jurisdiction: string | null;
  email_domains: string[];
  verification_status: string;
  verification_phone: string | null;
  verification_phone_source: string | null;
  age_recipient: string | null;
};
const toOrganisation = (row: OrganisationRow): OrganisationRecord => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  jurisdiction: row.jurisdiction,
  emailDomains: row.email_domains,
  verificationStatus: row.verification_status,
  verificationPhone: row.verification_phone,
  verificationPhoneSource: row.verification_phone_source,
  ageRecipient: row.age_recipient,
});

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

export function organisationRepository(db: Kysely<Database>): OrganisationRepository {
  const select = () => db.selectFrom('organisations').select(ORGANISATION_COLUMNS);
  return {
    async insert(organisation) {
      const row = await db
        .insertInto('organisations')
        .values({
          kind: organisation.kind,
          name: organisation.name,
          jurisdiction: organisation.jurisdiction,
          email_domains: [...organisation.emailDomains],
          verification_status: organisation.verificationStatus,
          verification_phone: organisation.verificationPhone ?? null,
          verification_phone_source: organisation.verificationPhoneSource ?? null,
        })
        .returning(ORGANISATION_COLUMNS)
        .executeTakeFirstOrThrow();
      return toOrganisation(row);
    },
    async find(id) {
      if (!isUuid(id)) return undefined;
      const row = await select().where('id', '=', id).executeTakeFirst();
      return row ? toOrganisation(row) : undefined;
    },
    async findByName(name) {
      const row = await select().where('name', '=', name).executeTakeFirst();
      return row ? toOrganisation(row) : undefined;
    },
    async platform() {
      const row = await select().where('kind', '=', 'platform').executeTakeFirst();
      return row ? toOrganisation(row) : undefined;
    },
    async directoryDomains() {
      const rows = await db.selectFrom('organisations').select('email_domains').where('kind', '=', 'agency').execute();
      return [...new Set(rows.flatMap((row) => row.email_domains))];
    },
    async listAgencies() {
      const rows = await select().where('kind', '=', 'agency').orderBy('name').orderBy('id').execute();
      return rows.map(toOrganisation);
    },
    async setAgeRecipient(id, recipient) {
      await db.updateTable('organisations').set({ age_recipient: recipient }).where('id', '=', id).execute();
    },
    async updateDirectoryEntry(id, entry) {
      const changes = {
        ...(entry.jurisdiction !== undefined ? { jurisdiction: entry.jurisdiction } : {}),
        ...(entry.emailDomains !== undefined ? { email_domains: [...entry.emailDomains] } : {}),
        ...(entry.verificationPhone !== undefined
          ? { verification_phone: entry.verificationPhone, verification_phone_source: entry.verificationPhoneSource ?? null }
          : {}),
      };
      if (Object.keys(changes).length === 0) return;
      await db.updateTable('organisations').set(changes).where('id', '=', id).execute();
    },
    async changeStatus(change) {
      await db.updateTable('organisations').set({ verification_status: change.to }).where('id', '=', change.organisationId).execute();
      await db
        .insertInto('organisation_status_changes')
        .values({
          organisation_id: change.organisationId,
          from_status: change.from,
          to_status: change.to,
          reason: change.reason,
          changed_by: change.changedBy,
          changed_at: change.at,
        })
        .execute();
    },
    async statusHistory(id) {
      if (!isUuid(id)) return [];
      const rows = await db
        .selectFrom('organisation_status_changes')
        .select(['from_status', 'to_status', 'reason', 'changed_by', 'changed_at'])
        .where('organisation_id', '=', id)
        .orderBy('changed_at')
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        from: row.from_status,
        to: row.to_status,
        reason: row.reason,
        changedBy: row.changed_by,
        changedAt: new Date(row.changed_at).toISOString(),
      }));
    },
  };
}

const userColumns = [
  'users.id',
  'users.organisation_id',
  'users.email',
  'users.display_name',
  'users.roles',
  'users.status',
  'users.password_hash',
  'organisations.kind',
  'organisations.name',
  'organisations.verification_status',
  'users.totp_secret',
  'users.totp_enabled_at',
  'users.totp_last_step',
  'users.email_confirmed_at',
  'users.created_at',
] as const;

function selectUsers(db: Kysely<Database>) {
  return db.selectFrom('users').innerJoin('organisations', 'organisations.id', 'users.organisation_id').select(userColumns);
}

type UserRow = Awaited<ReturnType<ReturnType<typeof selectUsers>['executeTakeFirstOrThrow']>>;
const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  organisationId: row.organisation_id,
  organisationKind: row.kind,
  organisationName: row.name,
  organisationStatus: row.verification_status,
  email: row.email,
  displayName: row.display_name,
  roles: row.roles as Role[],
  status: row.status as UserRecord['status'],
  passwordHash: row.password_hash,
  createdAt: new Date(row.created_at).toISOString(),
  totp: {
    secret: row.totp_secret,
    enabled: row.totp_enabled_at !== null,
    lastStep: row.totp_last_step === null ? null : Number(row.totp_last_step),
  },
  emailConfirmedAt: row.email_confirmed_at === null ? null : new Date(row.email_confirmed_at).toISOString(),
});

export function userRepository(db: Kysely<Database>): UserRepository {
  return {
    async insert(user) {
      return db
        .insertInto('users')
        .values({
          organisation_id: user.organisationId,
          email: user.email,
          display_name: user.displayName,
          roles: [...user.roles],
          password_hash: user.passwordHash,
          ...(user.status ? { status: user.status } : {}),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    },
    async findByEmail(email) {
      const row = await selectUsers(db)
        .where((eb) => eb(eb.fn('lower', ['users.email']), '=', email.toLowerCase()))
        .executeTakeFirst();
      return row ? toUser(row) : undefined;
    },
    async findActive(id) {
      const row = await selectUsers(db).where('users.id', '=', id).where('users.status', '=', 'active').executeTakeFirst();
      return row ? toUser(row) : undefined;
    },
    async setPasswordHash(id, passwordHash) {
      await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
    },
    async recordLogin(id, at) {
      await db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
    },
    async usedNetwork(id, network, at, touch) {
      await db
        .insertInto('user_networks')
        .values({ user_id: id, network, first_seen_at: at, last_seen_at: at })
        .onConflict((conflict) =>
          touch
            ? conflict
                .columns(['user_id', 'network'])
                .doUpdateSet({ last_seen_at: sql`greatest(user_networks.last_seen_at, excluded.last_seen_at)` })
            : conflict.columns(['user_id', 'network']).doNothing(),
        )
        .execute();
    },
    async find(id) {
      if (!isUuid(id)) return undefined;
      const row = await selectUsers(db).where('users.id', '=', id).executeTakeFirst();
      return row ? toUser(row) : undefined;
    },
    async setStatus(id, status) {
      await db.updateTable('users').set({ status }).where('id', '=', id).execute();
    },
    async updateRegistration(id, registration) {
      await db
        .updateTable('users')
        .set({ display_name: registration.displayName, password_hash: registration.passwordHash })
        .where('id', '=', id)
        .where('status', '=', 'unconfirmed')
        .execute();
    },
    async setEmailCode(id, codeSha256, expiresAt) {
      await db
        .updateTable('users')
        .set({ email_code_sha256: codeSha256, email_code_expires_at: expiresAt })
        .where('id', '=', id)
        .where('status', '=', 'unconfirmed')
        .execute();
    },
    async confirmEmail(codeSha256, at) {
      // Conditional, so a code works once and only before it expires.
      const row = await db
        .updateTable('users')
        .set({ status: 'pending', email_code_sha256: null, email_code_expires_at: null, email_confirmed_at: at })
        .where('email_code_sha256', '=', codeSha256)
        .where('email_code_expires_at', '>', at)
        .where('status', '=', 'unconfirmed')
        .returning('id')
        .executeTakeFirst();
      return row?.id;
    },
    async list(query) {
      // The instant to the microsecond, as stored: a cursor at millisecond precision would skip rows.
      const instant = sql<string>`to_char(users.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
      let select = selectUsers(db)
        .select(instant.as('created_exact'))
        .orderBy('users.created_at', 'desc')
        .orderBy('users.id', 'desc')
        .limit(query.limit + 1);
      if (query.organisationId) select = select.where('users.organisation_id', '=', query.organisationId);
      if (query.status) select = select.where('users.status', '=', query.status);
      if (query.cursor) {
        const cursor = decodeCursor(query.cursor);
        const at = sql<Date>`${cursor.at}::timestamptz`;
        select = select.where((eb) =>
          eb.or([eb('users.created_at', '<', at), eb.and([eb('users.created_at', '=', at), eb('users.id', '<', cursor.id)])]),
        );
      }
      const rows = await select.execute();
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return {
        items: page.map(toUser),
        nextCursor: rows.length > query.limit && last ? encodeCursor({ at: last.created_exact, id: last.id }) : null,
      };
    },
    async setPendingTotp(id, secret) {
      await db
        .updateTable('users')
        .set({ totp_secret: secret, totp_enabled_at: null, totp_last_step: null })
        .where('id', '=', id)
        .execute();
    },
    async enableTotp(id, at) {
      await db.updateTable('users').set({ totp_enabled_at: at }).where('id', '=', id).execute();
    },
    async clearSecondFactor(id) {
      await db.updateTable('users').set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null }).where('id', '=', id).execute();
      const removed = await db.deleteFrom('passkeys').where('user_id', '=', id).executeTakeFirst();
      return { passkeys: Number(removed.numDeletedRows) };
    },
    async useTotpStep(id, step) {
      // Conditional: of two logins racing with one code, one wins.
      const result = await db
        .updateTable('users')
        .set({ totp_last_step: step })
        .where('id', '=', id)
        .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step) as never)]))
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
    async count() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async markDemo(id, position) {
      await db
        .insertInto('demo_accounts')
        .values({ user_id: id, position })
        .onConflict((oc) => oc.doNothing())
        .execute();
    },
    async demoAccounts() {
      const rows = await selectUsers(db)
        .innerJoin('demo_accounts', 'demo_accounts.user_id', 'users.id')
        .orderBy('demo_accounts.position')
        .execute();
      return rows.map(toUser);
    },
  };
}

export function credentialRepository(db: Kysely<Database>): CredentialRepository {
  return {
    async insertSession(session) {
      await db
        .insertInto('sessions')
        .values({ user_id: session.userId, token_sha256: session.tokenSha256, expires_at: session.expiresAt, mfa: session.mfa })
        .execute();
    },
    async revokeAll(userId, at, keepSession) {
      let ending = db.updateTable('sessions').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null);
      if (keepSession) ending = ending.where('token_sha256', '<>', keepSession);
      const sessions = await ending.executeTakeFirst();
      const tokens = await db
        .updateTable('api_tokens')
        .set({ revoked_at: at })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return { sessions: Number(sessions.numUpdatedRows), tokens: Number(tokens.numUpdatedRows) };
    },
    async touchSession(id, at) {
      await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
    },
    async listSessions(userId, at, idleSince) {
      const rows = await db
        .selectFrom('sessions')
        .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'mfa', 'token_sha256'])
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .where((eb) => eb(eb.fn.coalesce('last_seen_at', 'created_at'), '>', idleSince))
        .orderBy('created_at', 'desc')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        createdAt: new Date(row.created_at).toISOString(),
        lastSeenAt: new Date(row.last_seen_at ?? row.created_at).toISOString(),
        expiresAt: new Date(row.expires_at).toISOString(),
        mfa: row.mfa,
        tokenSha256: row.token_sha256,
      }));
    },
    async revokeSessionById(userId, id, at) {
      if (!isUuid(id)) return false;
      const result = await db
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
    async markSessionMfa(tokenSha256) {
      await db.updateTable('sessions').set({ mfa: true }).where('token_sha256', '=', tokenSha256).execute();
    },
    async addPasskey(passkey) {
      return db
        .insertInto('passkeys')
        .values({
          user_id: passkey.userId,
          credential_id: passkey.credentialId,
          public_key: passkey.publicKey,
          sign_count: passkey.signCount,
          transports: [...passkey.transports],
          name: passkey.name,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    },
    async passkeysOf(userId) {
      const rows = await db
        .selectFrom('passkeys')
        .select(['id', 'credential_id', 'name', 'created_at', 'last_used_at'])
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        credentialId: row.credential_id,
        name: row.name,
        createdAt: new Date(row.created_at).toISOString(),
        lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
      }));
    },
    async findPasskey(credentialId) {
      const row = await db.selectFrom('passkeys').selectAll().where('credential_id', '=', credentialId).executeTakeFirst();
      return row
        ? {
            id: row.id,
            userId: row.user_id,
            credentialId: row.credential_id,
            publicKey: new Uint8Array(row.public_key),
            signCount: Number(row.sign_count),
            transports: row.transports,
          }
        : undefined;
    },
    async usedPasskey(id, signCount, at) {
      await db.updateTable('passkeys').set({ sign_count: signCount, last_used_at: at }).where('id', '=', id).execute();
    },
    async putChallenge(challenge) {
      await db.deleteFrom('webauthn_challenges').where('expires_at', '<', new Date()).execute();
      await db
        .insertInto('webauthn_challenges')
        .values({ challenge: challenge.challenge, purpose: challenge.purpose, user_id: challenge.userId, expires_at: challenge.expiresAt })
        .execute();
    },
    async takeChallenge(challenge, purpose, userId, at) {
      const taken = await db
        .deleteFrom('webauthn_challenges')
        .where('challenge', '=', challenge)
        .where('purpose', '=', purpose)
        .where((eb) => (userId === null ? eb('user_id', 'is', null) : eb('user_id', '=', userId)))
        .where('expires_at', '>', at)
        .executeTakeFirst();
      return Number(taken.numDeletedRows) === 1;
    },
    async revokeSession(tokenSha256, at) {
      await db
        .updateTable('sessions')
        .set({ revoked_at: at })
        .where('token_sha256', '=', tokenSha256)
        .where('revoked_at', 'is', null)
        .execute();
    },
    async insertToken(token) {
      return db
        .insertInto('api_tokens')
        .values({
          user_id: token.userId,
          name: token.name,
          token_sha256: token.tokenSha256,
          expires_at: token.expiresAt,
          scope: token.scope ? [...token.scope] : null,
          parent_token_id: token.parentTokenId ?? null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    },
    async listTokens(userId, at) {
      const rows = await db
        .selectFrom('api_tokens')
        .select(['id', 'name', 'created_at', 'last_used_at', 'expires_at', 'scope', 'parent_token_id'])
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', at)
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        createdAt: new Date(row.created_at).toISOString(),
        lastUsedAt: row.last_used_at ? new Date(row.last_used_at).toISOString() : null,
        expiresAt: new Date(row.expires_at).toISOString(),
        scope: row.scope ? (row.scope as Role[]) : null,
        parentTokenId: row.parent_token_id,
      }));
    },
    async revokeToken(userId, id, at) {
      if (!isUuid(id)) return 0;
      // The token and all it minted, at any depth: a child must not outlive the parent it was made with.
      const ended = await sql<{ id: string }>`
        WITH RECURSIVE family AS (
          SELECT id FROM api_tokens
          WHERE id = ${id} AND (${userId}::uuid IS NULL OR user_id = ${userId}::uuid) AND revoked_at IS NULL AND expires_at > ${at}
          UNION
          SELECT child.id FROM api_tokens child JOIN family ON child.parent_token_id = family.id
        )
        UPDATE api_tokens SET revoked_at = ${at}
        WHERE id IN (SELECT id FROM family) AND revoked_at IS NULL
        RETURNING id`.execute(db);
      return ended.rows.length;
    },
    async touchToken(id, at) {
      await db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    async findUserBySecret(kind, tokenSha256, at, idleSince) {
      if (kind === 'session') {
        let query = selectUsers(db)
          .innerJoin('sessions', 'sessions.user_id', 'users.id')
          .select(['sessions.mfa', 'sessions.id as session_id', 'sessions.created_at as session_created_at', 'sessions.last_seen_at'])
          .where('sessions.token_sha256', '=', tokenSha256)
          .where('sessions.revoked_at', 'is', null)
          .where('sessions.expires_at', '>', at);
        if (idleSince) {
          query = query.where((eb) => eb(eb.fn.coalesce('sessions.last_seen_at', 'sessions.created_at'), '>', idleSince));
        }
        const row = await query.executeTakeFirst();
        if (!row) return undefined;
        const lastSeenAt = new Date(row.last_seen_at ?? row.session_created_at);
        return { ...toUser(row), mfa: row.mfa, session: { id: row.session_id, lastSeenAt } };
      }
      // Tokens are issued only from a session with both factors (where a second factor is required).
      const row = await selectUsers(db)
        .innerJoin('api_tokens', 'api_tokens.user_id', 'users.id')
        .select([
          'api_tokens.id as token_id',
          'api_tokens.expires_at as token_expires_at',
          'api_tokens.scope as token_scope',
          'api_tokens.last_used_at as token_last_used_at',
        ])
        .where('api_tokens.token_sha256', '=', tokenSha256)
        .where('api_tokens.revoked_at', 'is', null)
        .where('api_tokens.expires_at', '>', at)
        .executeTakeFirst();
      return row
        ? {
            ...toUser(row),
            mfa: true,
            token: {
              id: row.token_id,
              expiresAt: new Date(row.token_expires_at),
              scope: row.token_scope ? (row.token_scope as Role[]) : null,
              lastUsedAt: row.token_last_used_at ? new Date(row.token_last_used_at) : null,
            },
          }
        : undefined;
    },
    async throttleStates(keys) {
      const states = new Map<string, ThrottleState>();
      if (keys.length === 0) return states;
      const rows = await db
        .selectFrom('login_throttle')
        .selectAll()
        .where('key', 'in', [...keys])
        .execute();
      for (const row of rows) {
        states.set(row.key, {
          failures: row.failures,
          lockedUntil: row.locked_until ? new Date(row.locked_until) : null,
          updatedAt: new Date(row.updated_at),
        });
      }
      return states;
    },
    async setThrottleState(key, state) {
      const values = { failures: state.failures, locked_until: state.lockedUntil, updated_at: state.updatedAt };
      await db
        .insertInto('login_throttle')
        .values({ key, ...values })
        .onConflict((conflict) => conflict.column('key').doUpdateSet(values))
        .execute();
    },
    async chargeAttempt(key, threshold, at) {
      // core/throttle.ts's afterFailure, in SQL: the row is locked by ON CONFLICT, so parallel attempts queue here, each
      // sees the count the one before it left, and the update is skipped (no row returned) while the key is locked.
      const now = sql`${at}::timestamptz`;
      const failures = sql`CASE WHEN t.updated_at < ${now} - make_interval(secs => ${FORGET_AFTER_MS / 1000}) THEN 1 ELSE t.failures + 1 END`;
      const lockFor = (count: RawBuilder<unknown>) =>
        sql`CASE WHEN ${count} >= ${threshold}::int
          THEN ${now} + make_interval(secs => least(60 * power(2, least(${count} - ${threshold}::int, 6)), ${LONGEST_LOCK_MS / 1000}))
          END`;
      const charged = await sql<{ key: string }>`
        INSERT INTO login_throttle AS t (key, failures, locked_until, updated_at)
        VALUES (${key}, 1, ${lockFor(sql`1`)}, ${now})
        ON CONFLICT (key) DO UPDATE SET failures = ${failures}, locked_until = ${lockFor(failures)}, updated_at = ${now}
        WHERE t.locked_until IS NULL OR t.locked_until <= ${now}
        RETURNING t.key`.execute(db);
      return charged.rows.length === 1;
    },
    async refundAttempt(key, threshold) {
      await sql`UPDATE login_throttle SET failures = greatest(failures - 1, 0),
          locked_until = CASE WHEN failures - 1 >= ${threshold}::int THEN locked_until END
        WHERE key = ${key}`.execute(db);
    },
    async clearThrottle(key) {
      await db.deleteFrom('login_throttle').where('key', '=', key).execute();
    },
  };
}
