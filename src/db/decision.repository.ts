/** Decisions on requests: outcome, reason, and every target × category pair approved or not. */
import type { Kysely } from 'kysely';
import type { DecisionItem, DecisionRecord } from '../core/model.ts';
import type { DecisionRepository } from '../core/ports.ts';
import type { Database } from './schema.ts';

export function decisionRepository(db: Kysely<Database>): DecisionRepository {
  const select = () =>
    db
      .selectFrom('decisions')
      .innerJoin('users', 'users.id', 'decisions.decided_by')
      .select([
        'decisions.id',
        'decisions.request_id',
        'decisions.outcome',
        'decisions.reason',
        'decisions.items',
        'decisions.created_at',
        'decisions.decided_by',
        'users.display_name',
      ]);
  type Row = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>;
  const toRecord = (row: Row): DecisionRecord => ({
    id: row.id,
    requestId: row.request_id,
    outcome: row.outcome,
    reason: row.reason,
    items: row.items as DecisionItem[],
    decidedBy: row.decided_by,
    decidedByName: row.display_name,
    createdAt: row.created_at.toISOString(),
  });
  return {
    async insert(decision) {
      const { id } = await db
        .insertInto('decisions')
        .values({
          request_id: decision.requestId,
          decided_by: decision.decidedBy,
          outcome: decision.outcome,
          reason: decision.reason,
          items: JSON.stringify(decision.items),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return toRecord(await select().where('decisions.id', '=', id).executeTakeFirstOrThrow());
    },
    async list(requestId) {
      const rows = await select().where('decisions.request_id', '=', requestId).orderBy('decisions.created_at').execute();
      return rows.map(toRecord);
    },
    async approvalStep(requestId) {
      const row = await db.selectFrom('approval_steps').selectAll().where('request_id', '=', requestId).executeTakeFirst();
      return row
        ? {
            approvedBy: row.approved_by,
            isCounsel: row.is_counsel,
            decisionSha256: row.decision_sha256,
            requestVersion: row.request_version,
          }
        : undefined;
    },
    async recordApprovalStep(requestId, step) {
      const values = {
        approved_by: step.approvedBy,
        is_counsel: step.isCounsel,
        decision_sha256: step.decisionSha256,
        request_version: step.requestVersion,
        created_at: new Date(),
      };
      await db
        .insertInto('approval_steps')
        .values({ request_id: requestId, ...values })
        .onConflict((conflict) => conflict.column('request_id').doUpdateSet(values))
        .execute();
    },
    async clearApprovalStep(requestId) {
      await db.deleteFrom('approval_steps').where('request_id', '=', requestId).execute();
    },
  };
}
