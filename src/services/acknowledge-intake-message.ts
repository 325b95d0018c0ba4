/**
 * The acknowledgement of a message, sent by a job as soon as the message is read: at most once per message (claimed
 * in the database before it is sent), to the From address only (never a Reply-To, which a forger sets), marked as an
 * automatic reply (RFC 3834) so that no auto-responder answers it. A verified officer is told the tracking number
 * and where to follow it in the portal; anyone else is told the number, how to register and what a valid request
 * needs. Nobody is sent data: the receipt names nothing about any request or user.
 */
import { SYSTEM_ACTOR } from '../core/actor.ts';
import { ACKNOWLEDGEMENT_HEADER, LOOP_HEADER, type IntakeMessageRecord } from '../core/intake.ts';
import type { Clock, Mailer, Repositories, Transactor } from '../core/ports.ts';

export interface AcknowledgeDeps {
  readonly store: Transactor<Pick<Repositories, 'intake' | 'requests' | 'organisations' | 'audit'>>;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly acknowledgement: {
    /** Where people open Writ: the portal link in a verified officer's receipt, and where to register. */
    readonly portalUrl: string;
    /** The address Writ reads mail at, for the loop mark. */
    readonly mailbox: string;
    /** Receipts to one address in an hour, past which Writ stops (a loop with a responder that marks nothing). */
    readonly perSenderPerHour: number;
  };
}

const VALID_REQUEST = [
  'A request we can act on names:',
  '- the requesting agency, the officer, and official contact details;',
  '- the legal basis and the legal process itself (court order, warrant, subpoena, production or preservation order), attached;',
  '- the jurisdiction it comes from;',
  '- the exact identifiers concerned: usernames, profile URLs, email addresses, phone numbers with country code, user IDs, IP addresses with the date, time and time zone of use;',
  '- the data asked for (subscriber, traffic, content, ...) and the date range;',
  '- any deadline and any non-disclosure order;',
  '- for an emergency: the facts showing an imminent danger of death or serious physical injury.',
].join('\n');

export function acknowledgementText(
  kind: 'receipt_verified' | 'receipt_unverified',
  facts: { trackingNumber: string; receivedAt: string; sha256: string; portalUrl: string; platformName: string },
): string {
  const url = facts.portalUrl.replace(/\/+$/, '');
  const common = [
    `Your message reached ${facts.platformName} on ${facts.receivedAt} and is tracked as ${facts.trackingNumber}.`,
    'Quote this number in any message about it.',
    '',
  ];
  const receipt = [
    '',
    `What we received has the SHA-256 ${facts.sha256}.`,
    '',
    'This is an automatic receipt; replies to it are read by people.',
  ];
  if (kind === 'receipt_verified') {
    return [
      ...common,
      'The desk will review it; once it is registered as a request, follow it, answer questions and receive any response in the portal, signed in with your account:',
      `${url}/requests/${facts.trackingNumber}`,
      'Nothing about a request is sent by email.',
      ...receipt,
    ].join('\n');
  }
  return [
    ...common,
    `Requests are answered only through ${facts.platformName}'s portal for law enforcement, never by email, and nothing about any request or user is sent by email.`,
    `To use it, register with an address at your agency's official domain at ${url} (your agency must be in our directory; we verify it through its official channels), then submit the request there.`,
    '',
    VALID_REQUEST,
    ...receipt,
  ].join('\n');
}

/** Safe to run twice: a message acknowledged (or being acknowledged) once is never acknowledged again. */
export async function acknowledgeIntakeMessage(deps: AcknowledgeDeps, input: { readonly messageId: string }): Promise<void> {
  const message = await deps.store.read.intake.findMessage(input.messageId);
  if (!message || message.status !== 'processed' || !message.fromAddress) return;
  const trackingNumber = await trackingNumberOf(deps, message);
  if (!trackingNumber) return;
  const kind = message.trust?.level === 'verified_officer' ? 'receipt_verified' : 'receipt_unverified';
  const now = deps.clock.now();
  const claim = await deps.store.transaction((repositories) =>
    repositories.intake.claimAcknowledgement({
      messageId: message.id,
      recipient: message.fromAddress!,
      kind,
      at: now,
      since: new Date(now.getTime() - 3_600_000),
    }),
  );
  if (!claim.claimed) return;
  if (claim.recentToRecipient >= deps.acknowledgement.perSenderPerHour) {
    // Claimed and never sent: this message stays unacknowledged, on purpose.
    await deps.store.transaction(async (repositories) => {
      await repositories.intake.addFlag(message.id, 'ACKNOWLEDGEMENT_LIMIT');
      await repositories.audit.append(SYSTEM_ACTOR, {
        type: 'intake.acknowledgement_withheld',
        data: { messageId: message.id, reason: 'ACKNOWLEDGEMENT_LIMIT' },
      });
    });
    return;
  }
  const platformName = (await deps.store.read.organisations.platform())?.name ?? 'the platform';
  // The sender's subject, without any other tracking number it quotes: a receipt confirms nothing about another request.
  const echoed = (message.subject ?? '(no subject)')
    .replace(/[\r\n]+/g, ' ')
    .replace(/\bWR-\d{4}-\d{6,}\b/g, (number) => (number === trackingNumber ? number : '…'));
  const subject = `[${trackingNumber}] Received: ${echoed.slice(0, 150)}`;
  try {
    await deps.mailer.send({
      to: message.fromAddress,
      subject,
      text: acknowledgementText(kind, {
        trackingNumber,
        receivedAt: message.receivedAt,
        sha256: message.sha256,
        portalUrl: deps.acknowledgement.portalUrl,
        platformName,
      }),
      inReplyTo: message.messageId ?? undefined,
      references: message.messageId ? [...message.referenceIds, message.messageId].slice(-20) : undefined,
      headers: {
        'Auto-Submitted': 'auto-replied',
        'X-Auto-Response-Suppress': 'All',
        Precedence: 'auto_reply',
        [ACKNOWLEDGEMENT_HEADER]: trackingNumber,
        [LOOP_HEADER]: deps.acknowledgement.mailbox,
      },
    });
  } catch (error) {
    // The server did not take it: give the claim back so the job's retry may send it.
    await deps.store.read.intake.releaseAcknowledgement(message.id);
    throw error;
  }
  await deps.store.transaction(async (repositories) => {
    await repositories.intake.acknowledgementSent(message.id, deps.clock.now());
    await repositories.audit.append(SYSTEM_ACTOR, { type: 'intake.acknowledged', data: { messageId: message.id, kind } });
  });
}

async function trackingNumberOf(deps: AcknowledgeDeps, message: IntakeMessageRecord): Promise<string | undefined> {
  if (message.draftId) return (await deps.store.read.intake.findDraft(message.draftId))?.trackingNumber;
  if (message.requestId) return (await deps.store.read.requests.find({ kind: 'desk' }, message.requestId))?.trackingNumber;
  return undefined;
}
