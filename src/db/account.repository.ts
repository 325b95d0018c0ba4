/** Organisations, their people, and the sessions and tokens people act through. Secrets are stored only as SHA-256. */
import type { Kysely } from 'kysely';
import type { Role } from '../core/actor.ts';
import type { OrganisationRecord, UserRecord } from '../core/model.ts';
import type { CredentialRepository, OrganisationRepository, UserRepository } from '../core/ports.ts';
import type { Database } from './schema.ts';

type OrganisationRow = {
  id: string;
  kind: 'platform' | 'agency';
  name: string;
  jurisdiction: string | null;
  email_domains: string[];
  verification_status: string;
  age_recipient: string | null;
};
const toOrganisation = (row: OrganisationRow): OrganisationRecord => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  jurisdiction: row.jurisdiction,
  emailDomains: row.email_domains,
  verificationStatus: row.verification_status,
  ageRecipient: row.age_recipient,
});

export function organisationRepository(db: Kysely<Database>): OrganisationRepository {
  const select = () =>
    db.selectFrom('organisations').select(['id', 'kind', 'name', 'jurisdiction', 'email_domains', 'verification_status', 'age_recipient']);
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
        })
        .returning(['id', 'kind', 'name', 'jurisdiction', 'email_domains', 'verification_status', 'age_recipient'])
        .executeTakeFirstOrThrow();
      return toOrganisation(row);
    },
    async find(id) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
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
    async setAgeRecipient(id, recipient) {
      await db.updateTable('organisations').set({ age_recipient: recipient }).where('id', '=', id).execute();
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
  email: row.email,
  displayName: row.display_name,
  roles: row.roles as Role[],
  status: row.status as UserRecord['status'],
  passwordHash: row.password_hash,
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
    async recordLogin(id, at) {
      await db.updateTable('users').set({ last_login_at: at }).where('id', '=', id).execute();
    },
    async count() {
      const row = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}

export function credentialRepository(db: Kysely<Database>): CredentialRepository {
  return {
    async insertSession(session) {
      await db
        .insertInto('sessions')
        .values({ user_id: session.userId, token_sha256: session.tokenSha256, expires_at: session.expiresAt })
        .execute();
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
        .values({ user_id: token.userId, name: token.name, token_sha256: token.tokenSha256, expires_at: token.expiresAt })
        .returning('id')
        .executeTakeFirstOrThrow();
    },
    async findUserBySecret(kind, tokenSha256, at) {
      const row =
        kind === 'session'
          ? await selectUsers(db)
              .innerJoin('sessions', 'sessions.user_id', 'users.id')
              .where('sessions.token_sha256', '=', tokenSha256)
              .where('sessions.revoked_at', 'is', null)
              .where('sessions.expires_at', '>', at)
              .executeTakeFirst()
          : await selectUsers(db)
              .innerJoin('api_tokens', 'api_tokens.user_id', 'users.id')
              .where('api_tokens.token_sha256', '=', tokenSha256)
              .where('api_tokens.revoked_at', 'is', null)
              .where('api_tokens.expires_at', '>', at)
              .executeTakeFirst();
      return row ? toUser(row) : undefined;
    },
  };
}
