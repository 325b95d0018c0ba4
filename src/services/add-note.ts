/** A desk-internal note on a request; agencies never see notes. */
import type { Actor } from '../core/actor.ts';
import type { NoteRecord } from '../core/model.ts';
import type { Repositories, Secrets, Transactor } from '../core/ports.ts';
import { noteInputSchema } from '../core/schemas.ts';
import { loadRequest, parseInput, requirePermission } from './common.ts';
import { once } from './idempotency.ts';

export interface AddNoteDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'notes' | 'audit' | 'idempotency'>>;
  readonly secrets: Pick<Secrets, 'sha256Hex'>;
}

export async function addNote(
  deps: AddNoteDeps,
  actor: Actor,
  input: { reference: string; body: unknown; idempotencyKey?: string | undefined },
): Promise<NoteRecord> {
  requirePermission(actor, 'request.note');
  const { body } = parseInput(noteInputSchema, input.body);
  const call = { scope: `note:${input.reference}`, key: input.idempotencyKey, input: input.body };
  const { result } = await once(deps, actor, call, async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    const note = await repositories.notes.insert({ requestId: request.id, authorId: actor.userId, body });
    await repositories.audit.append(actor, { type: 'request.note_added', requestId: request.id, data: { noteId: note.id } });
    return note;
  });
  return result;
}
