/**
 * The audit log covers what it must: every view of user data (a request, its findings, its production's outcomes,
 * the list of people, the failed and suspicious attempts), key changes, and the settings, policy and rule packs a
 * server starts with. The removal and notice events of the notice workflow are typed members of the union.
 */
import { sql } from 'kysely';
import { beforeAll, expect, it } from 'vitest';
import { configurationFingerprints } from '../../src/server/context.ts';
import { sequenceAuditLog } from '../../src/services/audit-log.ts';
import { getProduction } from '../../src/services/production.ts';
import { recordStartup } from '../../src/services/record-startup.ts';
import { getFindings } from '../../src/services/review-request.ts';
import { listSecurityEvents } from '../../src/services/security-events.ts';
import { listUsers } from '../../src/services/suspend-user.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, submitted, type World } from '../support/factories.ts';

describeOnEachDatabase('what the audit log records', (db) => {
  let world: World;
  const events = async (type: string) =>
    (
      await sql<{ data: Record<string, unknown>; actor_user_id: string | null }>`
        SELECT data, actor_user_id FROM audit_events WHERE type = ${type} ORDER BY id`.execute(db().context.database.db)
    ).rows;

  beforeAll(async () => {
    world = await buildWorld(db().context);
  });

  it('records every view of user data, by whom', async () => {
    const { context } = db();
    const tracking = await submitted(context, world.officerA);
    await getFindings(context, world.reviewer, { reference: tracking });
    await expect(getProduction(context, world.officerA, { reference: tracking })).rejects.toMatchObject({ code: 'PRODUCTION_NOT_FOUND' });
    await listUsers(context, world.admin, {});
    await listSecurityEvents(context, world.auditor, {});
    expect((await events('request.viewed')).map((event) => [event.data.part, event.actor_user_id])).toEqual([
      ['findings', world.reviewer.userId],
    ]);
    expect(await events('user.list_viewed')).toMatchObject([{ actor_user_id: world.admin.userId }]);
    expect(await events('audit.security_events_viewed')).toMatchObject([{ actor_user_id: world.auditor.userId }]);
  });

  it('records the first signing key and what a server starts with, and a change of it', async () => {
    const { context } = db();
    // No key yet in this data directory: the first tree head makes one, and says so.
    await sequenceAuditLog(context, { wait: true });
    await sequenceAuditLog(context, { wait: true });
    expect(await events('key.created')).toHaveLength(1);
    const facts = configurationFingerprints(context);
    expect((await recordStartup(context, facts)).changed).toEqual(['settings', 'policy', 'rules']);
    expect((await recordStartup(context, facts)).changed).toEqual([]);
    const changed = configurationFingerprints({
      ...context,
      review: { ...context.review, policy: { ...context.review.policy, name: { en: 'Other', ko: '다른' } } },
    });
    expect(changed.policySha256).not.toBe(facts.policySha256);
    expect((await recordStartup(context, changed)).changed).toEqual(['policy']);
    const recorded = await events('configuration.changed');
    expect(recorded.map((event) => event.data.changed)).toEqual([['settings', 'policy', 'rules'], ['policy']]);
    // Secrets are not part of what is hashed: a different database password gives the same settings hash.
    const other = configurationFingerprints({ ...context, config: { ...context.config, DATABASE_URL: 'postgres://writ:other@db/writ' } });
    const same = configurationFingerprints({ ...context, config: { ...context.config, DATABASE_URL: 'postgres://writ:secret@db/writ' } });
    expect(other.settingsSha256).toBe(same.settingsSha256);
  });
});
