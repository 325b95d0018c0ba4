/** Factories that build what a test needs, creating missing parents: organisations, people, actors, requests. */
import type { Actor, Role } from '../../src/core/actor.ts';
import type { SubmitRequestInput } from '../../src/core/schemas.ts';
import { actorOf } from '../../src/services/authenticate.ts';
import { submitRequest } from '../../src/services/submit-request.ts';
import { uploadDocument } from '../../src/services/upload-document.ts';
import type { AppContext } from '../../src/server/context.ts';

export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter += 1)}`;

export interface World {
  readonly platformId: string;
  readonly agencyA: string;
  readonly agencyB: string;
  readonly officerA: Actor;
  readonly officerA2: Actor;
  readonly officerB: Actor;
  readonly agencyAdminA: Actor;
  readonly reviewer: Actor;
  readonly counsel: Actor;
  /** A second counsel, for the two-person rules. */
  readonly counsel2: Actor;
  readonly admin: Actor;
  readonly auditor: Actor;
}

async function person(context: AppContext, organisationId: string, role: Role, domain = 'example.test'): Promise<Actor> {
  const email = `${role}.${unique()}@${domain}`;
  const passwordHash = null;
  await context.store.transaction((repositories) =>
    repositories.users.insert({ organisationId, email, displayName: `${role} ${unique()}`, roles: [role], passwordHash }),
  );
  const user = await context.store.read.users.findByEmail(email);
  if (!user) throw new Error('user not created');
  return actorOf(user, 'session');
}

/** A platform, two verified agencies (KR and US), and one person per role. */
export async function buildWorld(context: AppContext): Promise<World> {
  const organisations = context.store.read.organisations;
  const platform =
    (await organisations.platform()) ??
    (await context.store.transaction((r) =>
      r.organisations.insert({
        kind: 'platform',
        name: 'Test platform',
        jurisdiction: 'KR',
        emailDomains: [],
        verificationStatus: 'verified',
      }),
    ));
  const agency = (name: string, jurisdiction: string, verificationPhone: string | null) =>
    context.store.transaction((r) =>
      r.organisations.insert({
        kind: 'agency',
        name: `${name} ${unique()}`,
        jurisdiction,
        emailDomains: [`${unique()}.example.test`],
        verificationStatus: 'verified',
        verificationPhone,
        verificationPhoneSource: verificationPhone ? 'Test directory' : null,
      }),
    );
  // Agency A has a verification number in the directory; agency B has none yet.
  const a = await agency('Agency A', 'KR', '+82200000112');
  const b = await agency('Agency B', 'US', null);
  return {
    platformId: platform.id,
    agencyA: a.id,
    agencyB: b.id,
    // Agency people have addresses at their agency's official domain, as verification expects.
    officerA: await person(context, a.id, 'officer', a.emailDomains[0]),
    officerA2: await person(context, a.id, 'officer', a.emailDomains[0]),
    officerB: await person(context, b.id, 'officer', b.emailDomains[0]),
    agencyAdminA: await person(context, a.id, 'agency_admin', a.emailDomains[0]),
    reviewer: await person(context, platform.id, 'reviewer'),
    counsel: await person(context, platform.id, 'counsel'),
    counsel2: await person(context, platform.id, 'counsel'),
    admin: await person(context, platform.id, 'admin'),
    auditor: await person(context, platform.id, 'auditor'),
  };
}

export async function uploadPdf(
  context: AppContext,
  officer: Actor,
  bytes: Buffer = Buffer.concat([PDF_BYTES, Buffer.from(unique())]),
): Promise<string> {
  const document = await uploadDocument({ ...context, maxBytes: context.config.WRIT_MAX_UPLOAD_BYTES }, officer, {
    fileName: 'warrant.pdf',
    content: (async function* () {
      yield bytes;
    })(),
  });
  return document.id;
}

export function requestPayload(overrides: Partial<SubmitRequestInput> & { documentIds?: string[] } = {}): Record<string, unknown> {
  const { documentIds = [], ...rest } = overrides;
  return {
    kind: 'disclosure',
    jurisdiction: 'KR',
    caseReference: `CASE-${unique()}`,
    summary: 'Fraud investigation: the account was used to collect payments from victims.',
    legalProcess: {
      instrumentType: 'search_warrant',
      issuingAuthority: 'Seoul Central District Court',
      reference: '2026-A-1234',
      issuedOn: '2026-10-01',
      documentIds,
    },
    targets: [
      { kind: 'username', value: 'minjun.kim' },
      { kind: 'phone', value: '+82 10-1234-5678' },
    ],
    categories: ['subscriber', 'traffic'],
    dateRange: { from: '2026-09-01T00:00:00Z', to: '2026-10-01T00:00:00Z' },
    ...rest,
  };
}

/** Submits a disclosure request with a fresh PDF as `officer`; returns its tracking number. */
export async function submitted(context: AppContext, officer: Actor, overrides: Partial<SubmitRequestInput> = {}): Promise<string> {
  const documentId = await uploadPdf(context, officer);
  const receipt = await submitRequest(context, officer, { payload: requestPayload({ ...overrides, documentIds: [documentId] }) });
  return receipt.trackingNumber;
}

/** A live session for an actor, as a login with both factors would make (or, with `mfa` false, a password only); returns the cookie value. */
export async function sessionFor(context: AppContext, actor: Actor, mfa = true): Promise<string> {
  const token = context.secrets.newToken('writ_s');
  await context.store.transaction((repositories) =>
    repositories.credentials.insertSession({
      userId: actor.userId,
      tokenSha256: context.secrets.sha256Hex(token),
      expiresAt: new Date(Date.now() + 3_600_000),
      mfa,
    }),
  );
  return token;
}

/** A multipart/form-data body with one file, for inject(). */
export function multipartBody(
  bytes: Buffer,
  fileName = 'warrant.pdf',
  contentType = 'application/pdf',
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----writ${unique()}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    ),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
