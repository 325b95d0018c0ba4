/**
 * `writ intake import`: .eml files, mbox files (with mboxrd ">From " quoting undone) and folders of them are stored
 * and read like mail from the mailbox, each message once however often it is imported.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { importMail } from '../../src/cli/intake.command.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildMessage } from '../support/mail.ts';

describeOnEachDatabase('importing exported mail', (db) => {
  it('stores every message of .eml and mbox files in a folder once, and makes their drafts', async () => {
    const { context } = db();
    const folder = mkdtempSync(path.join(tmpdir(), 'writ-import-'));
    mkdirSync(path.join(folder, 'nested'));
    const single = buildMessage({ from: 'single@police.test', text: 'Please remove https://import.example.test/a' });
    writeFileSync(path.join(folder, 'one.eml'), single);
    const first = buildMessage({ from: 'mbox1@police.test', text: 'Please preserve @mbox_first.\r\nFrom here on, more.' }).toString(
      'latin1',
    );
    const second = buildMessage({ from: 'mbox2@police.test', text: 'Please remove https://import.example.test/b' }).toString('latin1');
    // An mbox quotes a body line starting "From " as ">From ".
    const quoted = first.replace(/\r\n/g, '\n').replace(/^From here/m, '>From here');
    writeFileSync(
      path.join(folder, 'nested', 'export.mbox'),
      `From mbox1@police.test Mon Jan  6 10:00:00 2025\n${quoted}\nFrom mbox2@police.test Mon Jan  6 11:00:00 2025\n${second.replace(/\r\n/g, '\n')}\n`,
    );
    const result = await importMail(context, [folder], false);
    expect(result).toMatchObject({ messages: 3, stored: 3, alreadyStored: 0, drafts: 3 });
    const page = await context.store.read.intake.listMessages({ limit: 10 });
    const fromMbox = page.items.find((message) => message.fromAddress === 'mbox1@police.test')!;
    expect(fromMbox.source).toBe('import');
    expect(fromMbox.sourceRef).toBe('export.mbox#1');
    const read = await context.store.read.intake.findMessage(fromMbox.id);
    expect(read!.reading).toContain('From here on, more.');
    expect(read!.fields!.targets.usernames.map((entry) => entry.value)).toEqual(['mbox_first']);
    // Imported without receipts: each one's acknowledgement is withheld, on the record.
    expect(read!.acknowledgement).toBeNull();
    const again = await importMail(context, [folder], false);
    expect(again).toMatchObject({ messages: 3, stored: 0, alreadyStored: 3 });
  });
});
