/**
 * When the desk confirms a draft into a request, its sender is mailed the tracking number and the link to follow it
 * in the portal — once (claimed in the database before it is sent, so a retried job never mails twice), to the From
 * address of the draft's first message only, and only to a sender the trust rules let through: authenticated at an
 * official domain of an agency that is still verified (`verified_officer` or `agency_domain`). An unverified,
 * forged-looking or held sender gets nothing; why is an audit event. Nothing about the request beyond its number goes
 * by mail.
 */
import { SYSTEM_ACTOR } from '../core/actor.ts';
import { ACKNOWLEDGEMENT_HEADER, LOOP_HEADER } from '../core/intake.ts';
import type { Clock, Mailer, Repositories, Transactor } from '../core/ports.ts';

export interface MailDraftConfirmationDeps {
  readonly store: Transactor<Pick<Repositories, 'intake' | 'requests' | 'organisations' | 'users' | 'audit'>>;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly acknowledgement: { readonly portalUrl: string; readonly mailbox: string };
}

export function confirmationText(facts: { trackingNumber: string; portalUrl: string; platformName: string }): string {
  const url = facts.portalUrl.replace(/\/+$/, '');
  return [
    `Your request to ${facts.platformName} is registered as ${facts.trackingNumber}.`,
    'Quote this number in any message about it.',
    '',
    'Follow it, answer questions and receive the response in the portal,',
    'signed in with an account at this address (register with it if you have none):',
    `${url}/requests/${facts.trackingNumber}`,
    '',
    'Nothing about a request is sent by email.',
    'This is an automatic message; replies to it are read by people.',
  ].join('\n');
}

/** Why the trust rules hold this sender, or undefined when it may be mailed. */
function heldBecause(level: string | undefined, agencyStatus: string | undefined, accountStatus: string | undefined): string | undefined {
  if (level !== 'verified_officer' && level !== 'agency_domain') return `SENDER_${(level ?? 'unknown').toUpperCase()}`;
  if (agencyStatus !== 'verified') return `AGENCY_${(agencyStatus ?? 'unknown').toUpperCase()}`;
  if (accountStatus === 'suspended') return 'ACCOUNT_SUSPENDED';
  return undefined;
}

/** Safe to run any number of times: the mail is claimed once per draft and never sent again. */
export async function mailDraftConfirmation(deps: MailDraftConfirmationDeps, input: { readonly draftId: string }): Promise<void> {
  const draft = await deps.store.read.intake.findDraft(input.draftId);
  if (!draft || draft.status !== 'confirmed' || !draft.requestId) return;
  const requestId = draft.requestId;
  const message = await deps.store.read.intake.findMessage(draft.firstMessageId);
  const recipient = message?.fromAddress;
  if (!message || !recipient) return;
  const request = await deps.store.read.requests.find({ kind: 'desk' }, requestId);
  if (!request) return;
  const [agency, account] = await Promise.all([
    deps.store.read.organisations.find(request.agencyId),
    deps.store.read.users.findByEmail(recipient),
  ]);
  const held = heldBecause(message.trust?.level, agency?.verificationStatus, account?.status);
  const now = deps.clock.now();
  const claimed = await deps.store.transaction((repositories) =>
    repositories.intake.claimConfirmationMail({ draftId: draft.id, recipient, at: now }),
  );
  if (!claimed) return;
  if (held) {
    await deps.store.transaction(async (repositories) => {
      await repositories.intake.finishConfirmationMail(draft.id, { state: 'withheld', reason: held, at: now });
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'intake.confirmation_withheld',
        requestId,
        data: { draftId: draft.id, reason: held },
      });
    });
    return;
  }
  const platformName = (await deps.store.read.organisations.platform())?.name ?? 'the platform';
  try {
    await deps.mailer.send({
      to: recipient,
      subject: `[${draft.trackingNumber}] Registered as a request`,
      text: confirmationText({ trackingNumber: draft.trackingNumber, portalUrl: deps.acknowledgement.portalUrl, platformName }),
      key: `intake-confirmation-${draft.id}`,
      inReplyTo: message.messageId ?? undefined,
      references: message.messageId ? [...message.referenceIds, message.messageId].slice(-20) : undefined,
      headers: {
        'Auto-Submitted': 'auto-generated',
        'X-Auto-Response-Suppress': 'All',
        [ACKNOWLEDGEMENT_HEADER]: draft.trackingNumber,
        [LOOP_HEADER]: deps.acknowledgement.mailbox,
      },
    });
  } catch (error) {
    // The server did not take it: give the claim back so the job's retry may send it.
    await deps.store.read.intake.releaseConfirmationMail(draft.id);
    throw error;
  }
  await deps.store.transaction(async (repositories) => {
    await repositories.intake.finishConfirmationMail(draft.id, { state: 'sent', at: deps.clock.now() });
    await repositories.audit.append(SYSTEM_ACTOR, {
      type: 'intake.confirmation_mailed',
      requestId,
      data: { draftId: draft.id, trackingNumber: draft.trackingNumber },
    });
  });
}
