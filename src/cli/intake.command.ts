/**
 * `writ intake import <file.eml | file.mbox | dir>...`: mail exported from a mailbox, stored and read as if it had
 * arrived by IMAP — each message once (the same bytes again are skipped), a draft request made of each new one.
 * Receipts are queued for the worker to send unless --no-acknowledge (for old mail nobody waits on).
 */
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { looksLikeMbox, mboxMessages } from '../intake/mbox.ts';
import { processIntakeMessage } from '../services/process-intake-message.ts';
import { receiveIntakeMessage } from '../services/receive-intake-message.ts';
import { createContext, type AppContext } from '../server/context.ts';

const USAGE = 'Usage: writ intake import <file.eml | file.mbox | dir>... [--no-acknowledge]';

async function* filesUnder(target: string): AsyncIterable<string> {
  const info = await stat(target);
  if (!info.isDirectory()) {
    yield target;
    return;
  }
  for (const entry of (await readdir(target, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(target, entry.name);
    if (entry.isDirectory()) yield* filesUnder(full);
    else if (/\.(eml|mbox|mbx|msg)$/i.test(entry.name) || !path.extname(entry.name)) yield full;
  }
}

async function* messagesIn(file: string): AsyncIterable<{ bytes: Buffer; ref: string }> {
  const handle = await open(file, 'r');
  const head = Buffer.alloc(5);
  await handle.read(head, 0, 5, 0);
  await handle.close();
  if (looksLikeMbox(head) || /\.mbox$/i.test(file)) {
    let index = 0;
    for await (const bytes of mboxMessages(file)) yield { bytes, ref: `${path.basename(file)}#${(index += 1)}` };
    return;
  }
  yield { bytes: await readFile(file), ref: path.basename(file) };
}

export async function importMail(context: AppContext, targets: readonly string[], acknowledge: boolean) {
  const counts = { messages: 0, stored: 0, alreadyStored: 0, drafts: new Set<string>(), flagged: 0 };
  for (const target of targets) {
    for await (const file of filesUnder(target)) {
      for await (const { bytes, ref } of messagesIn(file)) {
        counts.messages += 1;
        const { message, created } = await receiveIntakeMessage(context, { bytes, source: 'import', sourceRef: ref });
        if (!created) {
          counts.alreadyStored += 1;
          continue;
        }
        counts.stored += 1;
        await processIntakeMessage(context, { messageId: message.id, acknowledge });
        const read = await context.store.read.intake.findMessage(message.id);
        if (read?.draftId) counts.drafts.add(read.draftId);
        if ((read?.flags.length ?? 0) > 0) counts.flagged += 1;
      }
    }
  }
  return { ...counts, drafts: counts.drafts.size };
}

export async function intakeCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'import') {
    console.error(USAGE);
    return 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: { 'no-acknowledge': { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  if (positionals.length === 0) {
    console.error(USAGE);
    return 2;
  }
  const context = await createContext(loadConfig());
  try {
    const result = await importMail(context, positionals, !values['no-acknowledge']);
    console.log(
      `${result.messages} message(s): ${result.stored} stored, ${result.alreadyStored} already stored; ${result.drafts} draft(s) made or followed up; ${result.flagged} marked (see GET /api/v1/intake/messages).`,
    );
    if (!values['no-acknowledge'] && result.stored > 0) console.log('Receipts are sent by the worker (`writ serve`) when it next runs.');
    return 0;
  } finally {
    await context.close();
  }
}
