/** All repositories over one Kysely handle, and the transactor that hands them out inside a transaction. */
import type { Kysely } from 'kysely';
import { WritError } from '../core/errors.ts';
import type { Repositories, Transactor } from '../core/ports.ts';
import { credentialRepository, organisationRepository, userRepository } from './account.repository.ts';
import { auditLog, idempotencyStore, outbox } from './audit.repository.ts';
import { auditTreeRepository } from './audit-tree.repository.ts';
import { transparencyRepository } from './transparency.repository.ts';
import { callbackRepository } from './callback.repository.ts';
import { decisionRepository } from './decision.repository.ts';
import { documentRepository } from './document.repository.ts';
import { intakeRepository } from './intake.repository.ts';
import { noticeRepository, preservationRepository, removalRepository } from './preservation.repository.ts';
import { productionRepository } from './production.repository.ts';
import { requestRepository } from './request.repository.ts';
import { deadLetterRepository, scheduleRepository } from './schedule.repository.ts';
import type { Database } from './schema.ts';
import { messageRepository, noteRepository } from './thread.repository.ts';

export function createRepositories(db: Kysely<Database>): Repositories {
  return {
    requests: requestRepository(db),
    documents: documentRepository(db),
    messages: messageRepository(db),
    notes: noteRepository(db),
    decisions: decisionRepository(db),
    audit: auditLog(db),
    outbox: outbox(db),
    idempotency: idempotencyStore(db),
    organisations: organisationRepository(db),
    users: userRepository(db),
    credentials: credentialRepository(db),
    productions: productionRepository(db),
    callbacks: callbackRepository(db),
    intake: intakeRepository(db),
    schedule: scheduleRepository(db),
    deadLetters: deadLetterRepository(db),
    preservations: preservationRepository(db),
    notices: noticeRepository(db),
    removals: removalRepository(db),
    auditTree: auditTreeRepository(db),
    transparency: transparencyRepository(db),
  };
}

/** PostgreSQL's SQLSTATEs that mean "someone else changed this at the same time": answered as a stale update. */
const CONFLICT_STATES = new Set(['40001', '40P01']);

export function createTransactor(db: Kysely<Database>): Transactor {
  return {
    read: createRepositories(db),
    async transaction(work) {
      try {
        return await db.transaction().execute((trx) => work(createRepositories(trx)));
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && CONFLICT_STATES.has(code)) {
          throw new WritError('STALE_UPDATE', 'The request changed while this was being done; try again.');
        }
        throw error;
      }
    },
  };
}
