/**
 * Email intake on a real database: a message is stored once (by its bytes and its Message-ID) before anything else,
 * read into a draft with its fields, acknowledged once (a verified officer with a portal link, anyone else with how
 * to register and never data); a follow-up joins its draft, and after confirmation its request; machine-written mail
 * is never answered; a forged sender neither joins a thread nor gets a link; the desk corrects, confirms and discards.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { WritError } from '../../src/core/errors.ts';
import type { AppContext } from '../../src/server/context.ts';
import { startJobs } from '../../src/server/context.ts';
import { confirmDraft, correctDraft, discardDraft, getDraft, getIntakeMessage, listDrafts } from '../../src/services/intake-desk.ts';
import { receiveIntakeMessage } from '../../src/services/receive-intake-message.ts';
import { getRequest } from '../../src/services/get-request.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, submitted, type World } from '../support/factories.ts';
import { authenticationResults, buildMessage, newMessageId } from '../support/mail.ts';

const AUTHSERV = 'mx.platform.test';

const code = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WritError) return error.code;
    throw error;
  }
  return 'OK';
};

describeOnEachDatabase(
  'email intake',
  (db) => {
    let context: AppContext;
    let world: World;
    let agencyDomain: string;
    let officerEmail: string;

    beforeAll(async () => {
      context = db().context;
      world = await buildWorld(context);
      const agency = await context.store.read.organisations.find(world.agencyA);
      agencyDomain = agency!.emailDomains[0]!;
      officerEmail = (await context.store.read.users.find(world.officerA.userId))!.email;
      await startJobs(context);
    });

    const outgoing = () => {
      const folder = path.join(context.config.WRIT_DATA_DIR, 'mail', 'outgoing');
      try {
        return readdirSync(folder)
          .filter((name) => name.endsWith('.eml'))
          .map((name) => readFileSync(path.join(folder, name), 'utf8'));
      } catch {
        return [];
      }
    };
    const mailTo = (address: string) => outgoing().filter((mail) => mail.toLowerCase().includes(`to: ${address.toLowerCase()}`));
    const deliver = async (bytes: Buffer) => {
      const { message } = await receiveIntakeMessage(context, { bytes, source: 'imap', sourceRef: 'test' });
      await context.jobs!.drain();
      return (await context.store.read.intake.findMessage(message.id))!;
    };

    const notice = (extra = '') =>
      [
        'Dear Trust & Safety team,',
        '',
        'The Cyber Investigation Unit of the Seoul Metropolitan Police Agency is investigating a fraud (Case No. 2026-SMPA-4471).',
        'Under Article 215 of the Criminal Procedure Act we ask you to preserve and provide the subscriber information and IP logs',
        'of the account @minjun_fraud and the user with the email victim.helper@gmail.com, phone +82 10-2345-6789,',
        'for the period from September 1, 2026 to October 15, 2026.',
        'Please do not notify the user.',
        extra,
        '',
        'Best regards,',
        'Inspector Park Jisoo',
        'Cyber Investigation Unit',
        'Seoul Metropolitan Police Agency',
        `Tel: +82 2-700-1234`,
      ].join('\n');

    it('stores a message once by its bytes, and a new message with a Message-ID already stored as a duplicate', async () => {
      const id = newMessageId(agencyDomain);
      const bytes = buildMessage({ from: officerEmail, messageId: id, text: 'first' });
      const first = await receiveIntakeMessage(context, { bytes, source: 'import' });
      const again = await receiveIntakeMessage(context, { bytes, source: 'imap' });
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      expect(again.message.id).toBe(first.message.id);
      expect(first.message.sha256).toBe(context.secrets.sha256Hex(bytes));
      const other = await receiveIntakeMessage(context, {
        bytes: buildMessage({ from: officerEmail, messageId: id, text: 'other bytes' }),
        source: 'imap',
      });
      expect(other.created).toBe(true);
      expect(other.message.status).toBe('duplicate');
      expect(other.message.duplicateOf).toBe(first.message.id);
      expect(other.message.flags).toContain('DUPLICATE_MESSAGE_ID');
      // The bytes are in the file store under their hash, exactly.
      const chunks: Uint8Array[] = [];
      for await (const chunk of context.files.open(first.message.sha256)) chunks.push(chunk);
      expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
      await context.jobs!.drain();
    });

    it('reads a verified officer’s message into a draft with spans, and sends one receipt with the portal link', async () => {
      const messageId = newMessageId(agencyDomain);
      const message = await deliver(
        buildMessage({
          from: `Inspector Park <${officerEmail}>`,
          subject: 'Preservation and disclosure request',
          messageId,
          text: notice(),
          headers: [authenticationResults(AUTHSERV, agencyDomain, 'pass')],
        }),
      );
      expect(message.status).toBe('processed');
      expect(message.trust?.level).toBe('verified_officer');
      expect(message.trust?.officerId).toBe(world.officerA.userId);
      const draft = await getDraft(context, world.reviewer, { reference: message.draftId! });
      const field = (name: string) => draft.fields[name]!;
      expect(field('targets.usernames').value).toEqual(['minjun_fraud']);
      expect(field('targets.emails').value).toEqual(['victim.helper@gmail.com']);
      expect(field('targets.phone_numbers').value).toEqual(['+821023456789']);
      expect(field('caseNumber').value).toBe('2026-SMPA-4471');
      expect(field('jurisdictionCountry').value).toBe('KR');
      expect(field('nonDisclosure').value).toBe(true);
      expect(field('dateRange').value).toEqual({ start: '2026-09-01', end: '2026-10-15' });
      expect(field('dataCategories').value).toEqual(expect.arrayContaining(['subscriber', 'traffic']));
      // Every extracted value points at the words it was read from.
      const phone = (field('targets.phone_numbers').extracted as unknown as Array<{ excerpt: string; confidence: number }>)[0]!;
      expect(phone.excerpt).toBe('+82 10-2345-6789');
      expect(phone.confidence).toBeGreaterThan(0);
      const receipts = mailTo(officerEmail).filter((mail) => mail.includes(draft.draft.trackingNumber));
      expect(receipts).toHaveLength(1);
      expect(receipts[0]).toContain(`/requests/${draft.draft.trackingNumber}`);
      expect(receipts[0]).toMatch(/Auto-Submitted: auto-replied/i);
      expect(receipts[0]).toContain(`In-Reply-To: <${messageId}>`);
      // The job again sends nothing more.
      await context.store.transaction((r) => r.outbox.add('intake.acknowledge', { messageId: message.id }));
      await context.jobs!.drain();
      expect(mailTo(officerEmail).filter((mail) => mail.includes(draft.draft.trackingNumber))).toHaveLength(1);
      expect((await context.store.read.intake.findMessage(message.id))!.acknowledgement?.state).toBe('sent');
    });

    it('tells a forged sender (failed DMARC at an official domain) how to register, with no link and no data; a follow-up it quotes does not join', async () => {
      const genuine = await deliver(
        buildMessage({ from: officerEmail, text: notice(), headers: [authenticationResults(AUTHSERV, agencyDomain, 'pass')] }),
      );
      const draft = (await context.store.read.intake.findDraft(genuine.draftId!))!;
      const forgedFrom = `chief.${Date.now()}@${agencyDomain}`;
      const forged = await deliver(
        buildMessage({
          from: forgedFrom,
          subject: `Re: [${draft.trackingNumber}] urgent update`,
          text: `Following up ${draft.trackingNumber}: send everything you have on minjun_fraud to this address now.`,
          // The forger writes a passing verdict of its own below the receiving server's.
          headers: [authenticationResults(AUTHSERV, agencyDomain, 'fail'), authenticationResults(AUTHSERV, agencyDomain, 'pass')],
        }),
      );
      expect(forged.trust?.level).toBe('suspicious');
      expect(forged.flags).toContain('THREAD_SENDER_MISMATCH');
      expect(forged.draftId).not.toBe(draft.id);
      const [receipt, ...more] = mailTo(forgedFrom);
      expect(more).toHaveLength(0);
      expect(receipt).toContain('register');
      expect(receipt).not.toContain('/requests/');
      expect(receipt).not.toContain(draft.trackingNumber);
      expect(receipt).not.toContain('minjun_fraud');
    });

    it('joins a follow-up to its draft by In-Reply-To and adds the targets it names', async () => {
      const first = newMessageId(agencyDomain);
      const original = await deliver(
        buildMessage({
          from: officerEmail,
          messageId: first,
          text: notice(),
          headers: [authenticationResults(AUTHSERV, agencyDomain, 'pass')],
        }),
      );
      const followUp = await deliver(
        buildMessage({
          from: officerEmail,
          inReplyTo: first,
          references: [first],
          subject: 'Re: request',
          text: 'One more account: @second_mule. Thank you.',
          headers: [authenticationResults(AUTHSERV, agencyDomain, 'pass')],
        }),
      );
      expect(followUp.draftId).toBe(original.draftId);
      const draft = await getDraft(context, world.reviewer, { reference: original.draftId! });
      expect(draft.fields['targets.usernames']!.value).toEqual(['minjun_fraud', 'second_mule']);
      expect(draft.messages.map((message) => message.id).sort()).toEqual([original.id, followUp.id].sort());
    });

    it('never answers an auto-reply, a bounce or its own receipt, and marks each', async () => {
      const cases: Array<[string[], string]> = [
        [['Auto-Submitted: auto-replied'], 'AUTO_REPLY'],
        [['Return-Path: <>'], 'BOUNCE'],
        [['X-Writ-Acknowledgement: WR-2026-000001'], 'OWN_ACKNOWLEDGEMENT'],
        [[`X-Loop: ${context.config.WRIT_MAIL_FROM.replace(/.*<|>.*/g, '')}`], 'MAIL_LOOP'],
      ];
      for (const [headers, flag] of cases) {
        const from = `auto.${flag.toLowerCase()}.${Date.now()}@elsewhere.test`;
        const message = await deliver(buildMessage({ from, headers, text: 'I am out of the office until Monday.' }));
        expect(message.flags).toContain(flag);
        expect(message.draftId).toBeNull();
        expect(mailTo(from)).toHaveLength(0);
      }
    });

    it('confirms a corrected draft into a request held for the requester check; a later follow-up joins the request', async () => {
      const first = newMessageId(agencyDomain);
      const message = await deliver(
        buildMessage({
          from: officerEmail,
          messageId: first,
          text: notice(),
          headers: [authenticationResults(AUTHSERV, agencyDomain, 'pass')],
        }),
      );
      const draft = await getDraft(context, world.reviewer, { reference: message.draftId! });
      expect(await code(confirmDraft(context, world.auditor, { reference: draft.draft.id, body: {} }))).toBe('FORBIDDEN');
      const corrected = await correctDraft(context, world.reviewer, {
        reference: draft.draft.trackingNumber,
        body: { version: draft.draft.version, corrections: { kind: 'disclosure', dataCategories: ['subscriber', 'traffic'] } },
      });
      expect(corrected.fields.kind!.corrected).toBe(true);
      expect(
        await code(
          correctDraft(context, world.reviewer, { reference: draft.draft.id, body: { version: 1, corrections: { kind: 'removal' } } }),
        ),
      ).toBe('STALE_UPDATE');
      const confirmed = await confirmDraft(context, world.reviewer, {
        reference: draft.draft.id,
        body: { version: corrected.draft.version },
      });
      expect(confirmed.trackingNumber).toBe(draft.draft.trackingNumber);
      const view = await getRequest(context, world.reviewer, { reference: confirmed.trackingNumber });
      expect(view.request.state).toBe('verifying');
      expect(view.request.officerId).toBe(world.officerA.userId);
      expect(view.request.agencyId).toBe(world.agencyA);
      expect(view.holds?.map((hold) => hold.code)).toEqual(['EMAIL_INTAKE']);
      expect(view.targets.map((target) => target.value)).toEqual(
        expect.arrayContaining(['minjun_fraud', 'victim.helper@gmail.com', '+821023456789']),
      );
      expect(await code(confirmDraft(context, world.reviewer, { reference: draft.draft.id, body: {} }))).toBe('DRAFT_CLOSED');

      const later = await deliver(
        buildMessage({
          from: officerEmail,
          subject: `Re: [${confirmed.trackingNumber}] Received`,
          text: 'Any news?',
          headers: [authenticationResults(AUTHSERV, agencyDomain, 'pass')],
        }),
      );
      expect(later.requestId).toBe(confirmed.requestId);
      const timeline = (await getRequest(context, world.reviewer, { reference: confirmed.trackingNumber })).timeline.map(
        (entry) => entry.type,
      );
      expect(timeline).toEqual(expect.arrayContaining(['intake.draft_confirmed', 'intake.follow_up_attached']));
    });

    it('files an unknown sender’s draft under the agency the desk names, with an unconfirmed account for the address', async () => {
      const from = `detective.${Date.now()}@gmail.test`;
      const message = await deliver(buildMessage({ from, text: notice() }));
      expect(message.trust?.level).toBe('unverified');
      expect(await code(confirmDraft(context, world.reviewer, { reference: message.draftId!, body: {} }))).toBe('DRAFT_INCOMPLETE');
      const confirmed = await confirmDraft(context, world.reviewer, {
        reference: message.draftId!,
        body: { corrections: { agencyId: world.agencyA, kind: 'preservation' } },
      });
      const account = await context.store.read.users.findByEmail(from);
      expect(account?.status).toBe('unconfirmed');
      expect(account?.organisationId).toBe(world.agencyA);
      const view = await getRequest(context, world.reviewer, { reference: confirmed.trackingNumber });
      expect(view.request.kind).toBe('preservation');
    });

    it('discards a draft with a reason, and a follow-up to a request sent through the portal joins it', async () => {
      const spam = await deliver(buildMessage({ from: `promo.${Date.now()}@shop.test`, text: 'Buy cheap followers now!' }));
      const discarded = await discardDraft(context, world.counsel, { reference: spam.draftId!, body: { reason: 'Spam, not a request.' } });
      expect(discarded.draft.status).toBe('discarded');
      expect(discarded.draft.discardReason).toBe('Spam, not a request.');
      const open = await listDrafts(context, world.reviewer, { status: 'open', limit: 200 });
      expect(open.items.some((draft) => draft.id === spam.draftId)).toBe(false);

      const tracking = await submitted(context, world.officerA);
      const followUp = await deliver(
        buildMessage({
          from: officerEmail,
          subject: `About ${tracking}`,
          text: `Regarding ${tracking}: the warrant was extended.`,
          headers: [authenticationResults(AUTHSERV, agencyDomain, 'pass')],
        }),
      );
      const request = await context.store.read.requests.find({ kind: 'desk' }, tracking);
      expect(followUp.requestId).toBe(request!.id);
      const viewed = await getIntakeMessage(context, world.auditor, { id: followUp.id });
      expect(viewed.reading).toContain('the warrant was extended');
    });
  },
  { WRIT_IMAP_AUTHSERV_ID: AUTHSERV },
);
