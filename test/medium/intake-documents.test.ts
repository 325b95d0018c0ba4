/**
 * Scans and documents in email intake, on a real database with the real tesseract and pdftoppm: a scanned warrant
 * (a PDF rasterised in the test and wrapped back as image-only pages) becomes a draft with its targets read by OCR,
 * its document kept page by page (a page of noise marked NEEDS_MANUAL_READING, not dropped), each value pointing at
 * its page; confirming it gives the request the document and mails the trusted sender its tracking number once; an
 * unverified or forged-looking sender is never mailed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/server/context.ts';
import { startJobs } from '../../src/server/context.ts';
import { confirmDraft, getDraft, type ValueSource } from '../../src/services/intake-desk.ts';
import { getRequest } from '../../src/services/get-request.ts';
import { receiveIntakeMessage } from '../../src/services/receive-intake-message.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, type World } from '../support/factories.ts';
import { authenticationResults, buildMessage } from '../support/mail.ts';
import { WARRANT_LINES, scannedWarrant } from '../support/scans.ts';

const AUTHSERV = 'mx.platform.test';

describeOnEachDatabase(
  'scanned documents in email intake',
  (db) => {
    let context: AppContext;
    let world: World;
    let domain: string;
    let officer: string;
    let warrant: Buffer;

    beforeAll(async () => {
      context = db().context;
      world = await buildWorld(context);
      domain = (await context.store.read.organisations.find(world.agencyA))!.emailDomains[0]!;
      officer = (await context.store.read.users.find(world.officerA.userId))!.email;
      warrant = await scannedWarrant(WARRANT_LINES, { noisePage: true });
      await startJobs(context);
    }, 60_000);

    const outgoing = () => {
      const folder = path.join(context.config.WRIT_DATA_DIR, 'mail', 'outgoing');
      try {
        return readdirSync(folder)
          .filter((name) => name.endsWith('.eml'))
          .map((name) => readFileSync(path.join(folder, name), 'utf8').replace(/=\r?\n/g, ''));
      } catch {
        return [];
      }
    };
    const confirmations = (address: string) =>
      outgoing().filter((mail) => mail.toLowerCase().includes(`to: ${address.toLowerCase()}`) && mail.includes('Registered as a request'));
    const deliver = async (from: string, headers: string[] = []) => {
      const bytes = buildMessage({
        from,
        subject: 'Search warrant',
        text: 'Please find the search warrant attached.',
        headers,
        attachments: [{ fileName: 'warrant.pdf', contentType: 'application/pdf', content: warrant }],
      });
      const { message } = await receiveIntakeMessage(context, { bytes, source: 'import' });
      await context.jobs!.drain(180_000);
      return (await context.store.read.intake.findMessage(message.id))!;
    };

    it('makes a draft of a scanned warrant: targets read by OCR, the document kept page by page, each value on its page', async () => {
      const message = await deliver(officer, [authenticationResults(AUTHSERV, domain, 'pass')]);
      expect(message.flags).toEqual(expect.arrayContaining(['OCR_READ', 'NEEDS_MANUAL_READING']));
      expect(message.flags).not.toContain('OCR_UNAVAILABLE');
      const [attachment] = message.attachments;
      expect(attachment!.document).toBe(true);
      expect(attachment!.pages!.map((page) => [page.page, page.source, page.needsManualReading])).toEqual([
        [1, 'ocr', false],
        [2, 'none', true],
      ]);
      expect(attachment!.pages![0]!.confidence).toBeGreaterThan(0.6);
      // The document's bytes are in the file store under their SHA-256.
      const chunks: Uint8Array[] = [];
      for await (const chunk of context.files.open(attachment!.sha256)) chunks.push(chunk);
      expect(Buffer.concat(chunks).equals(warrant)).toBe(true);

      const draft = await getDraft(context, world.reviewer, { reference: message.draftId! });
      expect(draft.fields['targets.usernames']!.value).toContain('scan_target_one');
      expect(draft.fields.caseNumber!.value).toBe('2026-77812');
      const [username] = draft.fields['targets.usernames']!.extracted as ReadonlyArray<{ place: ValueSource }>;
      expect(username!.place.document).toEqual({ index: 0, fileName: 'warrant.pdf', sha256: attachment!.sha256 });
      expect(username!.place.page).toBe(1);
      expect(username!.place.text).toContain('scan_target_one');
      expect(username!.place.before).toContain('Instagram account');
      expect(username!.place.before).not.toContain('--- attachment');
      expect(draft.documents).toHaveLength(1);
      expect(draft.documents[0]!.pages.map((page) => page.needsManualReading)).toEqual([false, true]);

      // Confirmed: the request has the document as its legal process, and the sender is told the number, once.
      const confirmed = await confirmDraft(context, world.reviewer, {
        reference: draft.draft.id,
        body: { corrections: { kind: 'disclosure', dataCategories: ['subscriber', 'traffic'] } },
      });
      await context.jobs!.drain(180_000);
      const request = await getRequest(context, world.reviewer, { reference: confirmed.trackingNumber });
      expect(request.documents.map((document) => [document.fileName, document.sha256, document.mediaType])).toEqual([
        ['warrant.pdf', attachment!.sha256, 'application/pdf'],
      ]);
      const mails = confirmations(officer).filter((mail) => mail.includes(confirmed.trackingNumber));
      expect(mails).toHaveLength(1);
      expect(mails[0]).toContain(`/requests/${confirmed.trackingNumber}`);
      expect(mails[0]).not.toContain('scan_target_one');
      await context.store.transaction((r) => r.outbox.add('intake.confirmation_mail', { draftId: draft.draft.id }));
      await context.jobs!.drain(180_000);
      expect(confirmations(officer).filter((mail) => mail.includes(confirmed.trackingNumber))).toHaveLength(1);
      expect((await context.store.read.intake.confirmationMail(draft.draft.id))?.state).toBe('sent');
    }, 180_000);

    it('never mails the tracking number to an unverified or forged-looking sender', async () => {
      const cases: Array<[string, string[], string]> = [
        [`detective.${Date.now()}@gmail.test`, [], 'SENDER_UNVERIFIED'],
        [`chief.${Date.now()}@${domain}`, [authenticationResults(AUTHSERV, domain, 'fail')], 'SENDER_SUSPICIOUS'],
      ];
      for (const [from, headers, reason] of cases) {
        const message = await deliver(from, headers);
        const confirmed = await confirmDraft(context, world.reviewer, {
          reference: message.draftId!,
          body: { corrections: { agencyId: world.agencyA, kind: 'disclosure', dataCategories: ['subscriber'] } },
        });
        await context.jobs!.drain(180_000);
        expect(confirmations(from)).toHaveLength(0);
        expect(await context.store.read.intake.confirmationMail(message.draftId!)).toMatchObject({ state: 'withheld', reason });
        const timeline = (await getRequest(context, world.reviewer, { reference: confirmed.trackingNumber })).timeline;
        expect(timeline.map((entry) => entry.type)).toContain('intake.confirmation_withheld');
        expect(timeline.map((entry) => entry.type)).not.toContain('intake.confirmation_mailed');
      }
    }, 240_000);
  },
  { WRIT_IMAP_AUTHSERV_ID: AUTHSERV, WRIT_OCR_LANGUAGES: 'eng' },
);
