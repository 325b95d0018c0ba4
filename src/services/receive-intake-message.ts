/**
 * A message arrives (from the mailbox or an import): its bytes go into the file store under their SHA-256 and a row
 * records it, in one transaction with its audit event and the outbox row that has it read. Nothing else happens
 * first, so nothing that reached Writ is lost to a later failure. The same bytes again are the same message.
 */
import { SYSTEM_ACTOR } from '../core/actor.ts';
import { addressIn, firstHeader, messageIdsIn, parseHeaderBlock, type IntakeMessageRecord, type IntakeSource } from '../core/intake.ts';
import type { FileStore, Repositories, Transactor } from '../core/ports.ts';

export interface ReceiveIntakeMessageDeps {
  readonly store: Transactor<Pick<Repositories, 'intake' | 'audit' | 'outbox'>>;
  readonly files: FileStore;
  /** The largest message stored, in bytes; a larger one is refused by the store (and left in the mailbox). */
  readonly maxStoredBytes: number;
}

const HEADER_BYTES = 262_144;

export async function receiveIntakeMessage(
  deps: ReceiveIntakeMessageDeps,
  input: { readonly bytes: AsyncIterable<Uint8Array> | Uint8Array; readonly source: IntakeSource; readonly sourceRef?: string | undefined },
): Promise<{ readonly message: IntakeMessageRecord; readonly created: boolean }> {
  // The header block is read on the way in: the Message-ID decides whether this is a message seen before.
  const head: Buffer[] = [];
  let headLength = 0;
  async function* tee(source: AsyncIterable<Uint8Array> | Uint8Array): AsyncIterable<Uint8Array> {
    const chunks = source instanceof Uint8Array ? [source] : source;
    for await (const chunk of chunks) {
      if (headLength < HEADER_BYTES) {
        head.push(Buffer.from(chunk.subarray(0, HEADER_BYTES - headLength)));
        headLength += Math.min(chunk.length, HEADER_BYTES - headLength);
      }
      yield chunk;
    }
  }
  const stored = await deps.files.put(tee(input.bytes), deps.maxStoredBytes);
  try {
    await stored.commit();
  } catch (error) {
    await stored.discard();
    throw error;
  }
  const headers = parseHeaderBlock(Buffer.concat(head));
  const [messageId] = messageIdsIn(firstHeader(headers, 'message-id'));
  const inReplyTo = messageIdsIn(firstHeader(headers, 'in-reply-to'))[0] ?? null;
  const subject = firstHeader(headers, 'subject');
  return deps.store.transaction(async (repositories) => {
    const { record, created } = await repositories.intake.insertMessage({
      sha256: stored.sha256,
      size: stored.size,
      messageId: messageId ?? null,
      source: input.source,
      sourceRef: input.sourceRef ?? null,
      fromAddress: addressIn(firstHeader(headers, 'from')) ?? null,
      // The raw (possibly encoded) subject until the message is read; never logged.
      subject: subject ? subject.slice(0, 998) : null,
      inReplyTo,
      referenceIds: messageIdsIn(firstHeader(headers, 'references')).slice(0, 100),
    });
    if (created) {
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'intake.message_stored',
        data: { messageId: record.id, sha256: record.sha256, size: record.size, source: record.source, duplicateOf: record.duplicateOf },
      });
      if (record.status === 'received') await repositories.outbox.add('intake.process', { messageId: record.id });
    }
    return { message: record, created };
  });
}
