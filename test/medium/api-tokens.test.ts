/**
 * API tokens as the services keep them, on both databases: the admin's view and revocation that `writ user tokens` and
 * `writ user revoke-token` call, the atomic throttle statement, and tokens made before scopes.
 */
import { beforeAll, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/core/actor.ts';
import { WritError } from '../../src/core/errors.ts';
import { listTokensOf, revokeAnyToken } from '../../src/services/api-tokens.ts';
import { authenticate } from '../../src/services/authenticate.ts';
import { createApiToken } from '../../src/services/create-api-token.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, type World } from '../support/factories.ts';

const codeOf = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof WritError) return error.code;
    throw error;
  }
};

describeOnEachDatabase('api tokens', (db) => {
  let world: World;
  beforeAll(async () => {
    world = await buildWorld(db().context);
  });

  it("lets an admin list anyone's live tokens by email and revoke one with those minted from it; no one else", async () => {
    const { context } = db();
    const officer = { ...world.officerA, mfa: true };
    const parent = await createApiToken(context, officer, { name: 'case system', expiresInDays: 3 });
    const asToken = (await authenticate(context, { kind: 'token', secret: parent.token }))!;
    expect(asToken.token?.id).toBe(parent.id);
    const child = await createApiToken(context, asToken, { name: 'nightly export' });
    const email = (await context.store.read.users.find(world.officerA.userId))!.email;

    const listed = await listTokensOf(context, CLI_ACTOR, { email });
    expect(listed.map((token) => token.id).sort()).toEqual([parent.id, child.id].sort());
    expect(listed.find((token) => token.id === child.id)).toMatchObject({ parentTokenId: parent.id, scope: ['officer'] });
    expect(JSON.stringify(listed)).not.toContain(parent.token);

    expect(await codeOf(listTokensOf(context, world.reviewer, { email }))).toBe('FORBIDDEN');
    expect(await codeOf(revokeAnyToken(context, world.agencyAdminA, { id: parent.id }))).toBe('FORBIDDEN');
    expect(await codeOf(listTokensOf(context, CLI_ACTOR, { email: 'nobody@example.test' }))).toBe('NOT_FOUND');

    expect(await revokeAnyToken(context, CLI_ACTOR, { id: parent.id })).toEqual({ ended: 2 });
    expect(await authenticate(context, { kind: 'token', secret: parent.token })).toBeUndefined();
    expect(await authenticate(context, { kind: 'token', secret: child.token })).toBeUndefined();
    expect(await listTokensOf(context, CLI_ACTOR, { email })).toEqual([]);
    expect(await codeOf(revokeAnyToken(context, CLI_ACTOR, { id: parent.id }))).toBe('NOT_FOUND');
    expect(await codeOf(revokeAnyToken(context, CLI_ACTOR, { id: 'not-a-uuid' }))).toBe('NOT_FOUND');
  });

  it('lets a token made before scopes act with all of its person’s roles, and mint only within them', async () => {
    const { context } = db();
    const secret = context.secrets.newToken('writ_t');
    await context.store.read.credentials.insertToken({
      userId: world.agencyAdminA.userId,
      name: 'old',
      tokenSha256: context.secrets.sha256Hex(secret),
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const actor = (await authenticate(context, { kind: 'token', secret }))!;
    expect(actor.roles).toEqual(world.agencyAdminA.roles);
    expect(await codeOf(createApiToken(context, actor, { name: 'wider', scope: ['admin'] }))).toBe('FORBIDDEN');
    expect(await codeOf(createApiToken(context, actor, { name: 'longer', expiresInDays: 2 }))).toBe('VALIDATION_FAILED');
  });

  it('counts and decides attempts in one statement: a locked key admits nothing and counts nothing more', async () => {
    const { context } = db();
    const key = `test:${Date.now()}`;
    const at = new Date();
    const admitted = await Promise.all(Array.from({ length: 30 }, () => context.store.read.credentials.chargeAttempt(key, 3, at)));
    expect(admitted.filter(Boolean)).toHaveLength(3);
    const state = (await context.store.read.credentials.throttleStates([key])).get(key);
    expect(state?.failures).toBe(3);
    expect(state?.lockedUntil?.getTime()).toBe(at.getTime() + 60_000);
    // After the lock, the next failure locks for twice as long; a refund takes back one and the lock it set.
    const later = new Date(at.getTime() + 61_000);
    expect(await context.store.read.credentials.chargeAttempt(key, 3, later)).toBe(true);
    expect((await context.store.read.credentials.throttleStates([key])).get(key)?.lockedUntil?.getTime()).toBe(later.getTime() + 120_000);
    await context.store.read.credentials.refundAttempt(key, 3);
    await context.store.read.credentials.refundAttempt(key, 3);
    const refunded = (await context.store.read.credentials.throttleStates([key])).get(key);
    expect(refunded).toMatchObject({ failures: 2, lockedUntil: null });
  });
});
