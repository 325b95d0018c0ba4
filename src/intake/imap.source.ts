/**
 * The mailbox agencies write to, read with imapflow: every message past the last UID stored is downloaded and handed
 * on, then the position moves on. New mail is seen at once with IDLE where the server offers it, and by a check every
 * few seconds in any case. A dropped connection or a restarted server is retried (1 s, doubling to 30 s); nothing that
 * happens to one connection stops the watcher. Messages are left in the mailbox.
 */
import { ImapFlow } from 'imapflow';
import type { Readable } from 'node:stream';

export interface MailboxSettings {
  readonly host: string;
  readonly port: number;
  readonly secure: boolean;
  readonly user: string;
  readonly password: string;
  readonly mailbox: string;
  readonly pollSeconds: number;
  readonly idle: boolean;
}

export interface MailboxWatcherHooks {
  /** The last UID stored for this mailbox and UIDVALIDITY (0 when none). */
  position(mailbox: string, uidValidity: string): Promise<number>;
  /** Stores one message; resolves once it is safely stored (or throws, and the message is tried again later). */
  store(bytes: Readable, sourceRef: string): Promise<void>;
  setPosition(mailbox: string, uidValidity: string, uid: number): Promise<void>;
  /** A message that cannot be stored (too large) is skipped, left in the mailbox: true to skip it. */
  skippable(error: unknown): boolean;
  /** Problems worth a line in the log: never a message's content or an address. */
  warn(event: string, detail: Record<string, unknown>): void;
}

export interface MailboxWatcher {
  /** Resolves after the next complete check of the mailbox (tests, benchmarks). */
  checked(): Promise<void>;
  readonly connected: boolean;
  stop(): Promise<void>;
}

/** A wait that `cancel` ends early; a cancel that comes while nobody waits ends the next wait at once. */
interface Wake {
  cancel(): void;
  wait(ms: number): Promise<void>;
}
function wakeable(): Wake {
  let pending = false;
  let current: (() => void) | undefined;
  return {
    cancel() {
      if (current) current();
      else pending = true;
    },
    wait(ms) {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          current = undefined;
          resolve();
        }
        current = done;
      });
    },
  };
}

export function watchMailbox(settings: MailboxSettings, hooks: MailboxWatcherHooks): MailboxWatcher {
  let stopped = false;
  let connected = false;
  let client: ImapFlow | undefined;
  let waiters: Array<() => void> = [];
  const wake = wakeable();
  const backoff = wakeable();

  async function fetchNew(imap: ImapFlow): Promise<void> {
    const mailbox = imap.mailbox;
    if (!mailbox) return;
    const uidValidity = String(mailbox.uidValidity);
    let last = await hooks.position(settings.mailbox, uidValidity);
    // A server may leave mail that came in since the last sync out of a SEARCH until it has announced it: NOOP syncs.
    await imap.noop();
    // `n:*` always names the newest message, even when it is older than n: keep only what is new.
    const uids = ((await imap.search({ uid: `${last + 1}:*` }, { uid: true })) || []).filter((uid) => uid > last).sort((a, b) => a - b);
    for (const uid of uids) {
      if (stopped) return;
      const download = await imap.download(String(uid), undefined, { uid: true });
      if (download.content) {
        try {
          await hooks.store(download.content, `${settings.mailbox}:${uidValidity}:${uid}`);
        } catch (error) {
          download.content.destroy();
          if (!hooks.skippable(error)) throw error;
          hooks.warn('message left in the mailbox, too large to store', { uid });
        }
      }
      last = uid;
      await hooks.setPosition(settings.mailbox, uidValidity, uid);
    }
  }

  async function session(): Promise<void> {
    const imap = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: { user: settings.user, pass: settings.password },
      logger: false,
      disableAutoIdle: !settings.idle,
      // Back into IDLE a second after each check, so new mail is announced at once.
      autoIdleDelay: 1000,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 5 * 60_000,
      // A server without IDLE is asked with NOOP, which also reports new mail.
      missingIdleCommand: 'NOOP',
    });
    client = imap;
    // imapflow reports a broken connection as an error event and a close; neither may escape and end the process.
    imap.on('error', () => undefined);
    imap.on('close', () => {
      connected = false;
      wake.cancel();
    });
    imap.on('exists', () => wake.cancel());
    await imap.connect();
    connected = true;
    try {
      while (!stopped && imap.usable) {
        // Those who asked before this check began are answered when it ends.
        const answered = waiters;
        waiters = [];
        // The lock is held for the check only: imapflow goes back into IDLE only when no lock is held.
        const lock = await imap.getMailboxLock(settings.mailbox);
        try {
          await fetchNew(imap);
        } finally {
          lock.release();
        }
        for (const resolve of answered) resolve();
        if (stopped) break;
        await wake.wait(settings.pollSeconds * 1000);
      }
    } finally {
      connected = false;
      await imap.logout().catch(() => imap.close());
    }
  }

  const loop = (async () => {
    let delay = 1000;
    while (!stopped) {
      try {
        await session();
        delay = 1000;
      } catch (error) {
        hooks.warn('mailbox connection failed; retrying', {
          code: (error as { code?: string }).code ?? (error as Error).name,
          retryInMs: delay,
        });
      }
      if (stopped) break;
      await backoff.wait(delay);
      delay = Math.min(delay * 2, 30_000);
    }
  })();

  return {
    get connected() {
      return connected;
    },
    checked: () =>
      new Promise<void>((resolve) => {
        waiters.push(resolve);
        wake.cancel();
      }),
    async stop() {
      stopped = true;
      wake.cancel();
      backoff.cancel();
      client?.close();
      await loop;
      for (const resolve of waiters) resolve();
      waiters = [];
    },
  };
}
