/**
 * A confirmed email draft hands the legal review what its notice states: the offence, a renewal, who issued the
 * process, the legal basis; and the review's findings and verdicts follow from them as for a request sent through
 * the portal. What the notice does not state (a target's role) stays unknown.
 */
import { beforeAll, expect, it } from 'vitest';
import type { AppContext } from '../../src/server/context.ts';
import { startJobs } from '../../src/server/context.ts';
import { confirmDraft, getDraft } from '../../src/services/intake-desk.ts';
import { receiveIntakeMessage } from '../../src/services/receive-intake-message.ts';
import { getFindings } from '../../src/services/review-request.ts';
import { requestFacts } from '../../src/core/review/facts.ts';
import { describeOnEachDatabase } from '../support/databases.ts';
import { buildWorld, type World } from '../support/factories.ts';
import { authenticationResults, buildMessage, newMessageId } from '../support/mail.ts';

const AUTHSERV = 'mx.platform.test';

describeOnEachDatabase(
  'facts from an emailed notice',
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

    const notice = (offence: boolean) =>
      [
        'Dear Trust & Safety team,',
        '',
        offence
          ? 'The Cyber Investigation Unit of the Seoul Metropolitan Police Agency is investigating a fraud (Case No. 2026-SMPA-5510).'
          : 'The Cyber Investigation Unit of the Seoul Metropolitan Police Agency has a case (Case No. 2026-SMPA-5511).',
        'This is a renewal of our earlier request.',
        'Under Article 83(3) of the Telecommunications Business Act we ask you to provide the subscriber information',
        'of the account @seoyeon_case.',
        '',
        'Best regards,',
        'Inspector Park Jisoo',
        'Cyber Investigation Unit',
        'Seoul Metropolitan Police Agency',
      ].join('\n');

    const confirmNotice = async (offence: boolean, corrections: Record<string, unknown>) => {
      const { message } = await receiveIntakeMessage(context, {
        bytes: buildMessage({
          from: officerEmail,
          subject: 'Request for subscriber information',
          messageId: newMessageId(agencyDomain),
          text: notice(offence),
          headers: [authenticationResults(AUTHSERV, agencyDomain, 'pass')],
        }),
        source: 'imap',
      });
      await context.jobs!.drain();
      const stored = (await context.store.read.intake.findMessage(message.id))!;
      const draft = await getDraft(context, world.reviewer, { reference: stored.draftId! });
      const confirmed = await confirmDraft(context, world.reviewer, {
        reference: draft.draft.id,
        body: { corrections: { kind: 'disclosure', dataCategories: ['subscriber'], ...corrections } },
      });
      const request = (await context.store.read.requests.find({ kind: 'desk' }, confirmed.trackingNumber))!;
      const review = await getFindings(context, world.reviewer, { reference: confirmed.trackingNumber });
      const rulesOf = (category: string) =>
        review.verdicts
          .filter((verdict) => verdict.category === category)
          .flatMap((verdict) => [...verdict.basis, ...verdict.overruled].map((reason) => reason.ruleId));
      return { request, review, rulesOf };
    };

    it('carries the offence, the renewal and the issuer into the request, and the verdicts follow them', async () => {
      const { request, rulesOf } = await confirmNotice(true, {});
      expect(request.offence?.description).toMatch(/fraud/i);
      expect(request.legalProcess.issuerType).toBe('police');
      expect(request.facts?.instrument?.renewal).toBe(1);
      expect(request.facts?.instrument?.issuerRole).toBe('police');
      // Target roles are never read from an email.
      expect(request.facts?.targets).toBeUndefined();

      // The review sees them: a renewal, an offence described, police as the issuer.
      const targets = await context.store.read.requests.targets(request.id);
      const facts = requestFacts(
        {
          kind: request.kind,
          jurisdiction: request.jurisdiction,
          legalProcess: { instrumentType: request.legalProcess.instrumentType, issuerType: request.legalProcess.issuerType, documents: 0 },
          categories: request.categories,
          targets: targets.map((target) => ({ kind: target.kind, value: target.value })),
          offence: request.offence,
          receivedAt: request.receivedAt,
          facts: request.facts,
        },
        { platform: { home: ['KR'], holds: {}, neverProduces: [] }, now: new Date() },
      );
      expect(facts.instrument.renewal).toBe(1);
      expect(facts.instrument.issuer).toBe('police');
      expect(facts.offence.described).toBe(true);
      expect(facts.targets.every((target) => target.role === 'unknown')).toBe(true);

      // Korean law: subscriber data by written request of the police; the issuer is no longer unknown.
      expect(rulesOf('subscriber')).toContain('kr.subscriber.written-request');
      expect(rulesOf('subscriber')).not.toContain('kr.subscriber.requester-unknown');
    });

    it('judges subscriber data under German law by whether the notice states an offence', async () => {
      const stated = await confirmNotice(true, { jurisdictionCountry: 'DE' });
      expect(stated.rulesOf('subscriber')).toContain('de.100j.subscriber');
      expect(stated.rulesOf('subscriber')).not.toContain('de.100j.suspicion');

      const silent = await confirmNotice(false, { jurisdictionCountry: 'DE' });
      expect(silent.request.offence).toBeNull();
      expect(silent.rulesOf('subscriber')).toContain('de.100j.suspicion');
      expect(silent.rulesOf('subscriber')).not.toContain('de.100j.subscriber');
    });
  },
  { WRIT_IMAP_AUTHSERV_ID: AUTHSERV },
);
