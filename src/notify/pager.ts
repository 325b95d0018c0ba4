/**
 * Paging whoever is on call: a JSON POST to a webhook (a pager or chat integration) and a mail to the on-call address,
 * whichever are configured. The page carries what to look at and why, never personal data. A webhook that does not
 * answer 2xx within ten seconds is an error, so the job is tried again; the page's key goes as `Idempotency-Key` and
 * the mail's Message-ID, so a page sent again is recognisable as the same one.
 */
import type { Mailer, OnCallPage, Pager } from '../core/ports.ts';

export interface PagerOptions {
  readonly webhookUrl?: string | undefined;
  readonly email?: string | undefined;
  readonly mailer: Mailer;
  /** The address the desk opens Writ at, for the link in a page. */
  readonly publicUrl: string;
}

export function createPager(options: PagerOptions): Pager {
  return {
    async page(page: OnCallPage) {
      const channels: Array<'webhook' | 'email'> = [];
      if (options.webhookUrl) {
        const response = await fetch(options.webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': page.key },
          body: JSON.stringify({
            source: 'writ',
            key: page.key,
            reason: page.reason,
            trackingNumber: page.trackingNumber,
            kind: page.kind,
            due: page.due,
            text: page.text,
            link: `${options.publicUrl}/requests/${page.trackingNumber}`,
          }),
          signal: AbortSignal.timeout(10_000),
        });
        // The body is not read for anything but to free the connection.
        await response.arrayBuffer().catch(() => undefined);
        if (!response.ok) throw new Error(`The on-call webhook answered ${response.status}.`);
        channels.push('webhook');
      }
      if (options.email) {
        await options.mailer.send({
          to: options.email,
          subject: `[Writ] ${page.reason}: ${page.trackingNumber}`,
          text: `${page.text}\n\n${options.publicUrl}/requests/${page.trackingNumber}\n`,
          key: page.key,
        });
        channels.push('email');
      }
      return { channels };
    },
  };
}
