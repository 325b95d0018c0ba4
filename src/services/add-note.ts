/** A desk-internal note on a request; agencies never see notes. */
import type { Actor } from '../core/actor.ts';
import type { NoteRecord } from '../core/model.ts';
import type { Repositories, Transactor } from '../core/ports.ts';
import { noteInputSchema } from '../core/schemas.ts';
import { loadRequest, parseInput, requirePermission } from './common.ts';

export interface AddNoteDeps {
  readonly store: Transactor<Pick<Repositories, 'requests' | 'notes' | 'audit'>>;
}

export async function addNote(deps: AddNoteDeps, actor: Actor, input: { reference: string; body: unknown }): Promise<NoteRecord> {
  requirePermission(actor, 'request.note');
  const { body } = parseInput(noteInputSchema, input.body);
  return deps.store.transaction(async (repositories) => {
    const request = await loadRequest(repositories.requests, actor, input.reference);
    const note = await repositories.notes.insert({ requestId: request.id, authorId: actor.userId, body });
    await repositories.audit.append(actor, { type: 'request.note_added', requestId: request.id, data: { noteId: note.id } });
    return note;
  });
}
