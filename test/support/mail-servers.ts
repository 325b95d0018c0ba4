/**
 * Real mail servers for tests, on loopback, from Debian's packages (`.ci/run` installs them): Dovecot for IMAP and
 * LMTP, and OpenSMTPD for SMTP, delivering every recipient over LMTP into Dovecot. Each runs in the foreground from
 * a configuration in a temporary folder — no systemd, nothing of the machine's own mail set-up touched — on ports
 * between 14300 and 14399.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface MailServers {
  readonly imapPort: number;
  readonly smtpPort: number;
  /** Adds mailboxes (address → password); Dovecot reads its user file afresh when it changes. */
  addUsers(users: Readonly<Record<string, string>>): void;
  stopImap(): Promise<void>;
  startImap(): Promise<void>;
  stop(): Promise<void>;
}

const NOBODY = 65534;

const has = (binary: string) => spawnSync('sh', ['-c', `command -v ${binary}`]).status === 0;

async function listening(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function closed(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!open) return;
    if (Date.now() > deadline) throw new Error(`127.0.0.1:${port} is still open`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** `base` picks the ports: IMAP base, LMTP base+1, SMTP base+2 (keep base within 14300–14397). */
export async function startMailServers(base: number): Promise<MailServers> {
  if (!has('dovecot') || !has('smtpd')) {
    throw new Error('Dovecot and OpenSMTPD are needed: apt-get install dovecot-imapd dovecot-lmtpd opensmtpd (.ci/run does).');
  }
  if (process.getuid?.() !== 0) throw new Error('The mail servers are started as root (Dovecot and OpenSMTPD drop privileges themselves).');
  const [imapPort, lmtpPort, smtpPort] = [base, base + 1, base + 2];
  const root = mkdtempSync(path.join(tmpdir(), 'writ-mail-'));
  chmodSync(root, 0o755);
  for (const folder of ['run', 'state', 'mail']) mkdirSync(path.join(root, folder), { recursive: true });
  chownSync(path.join(root, 'mail'), NOBODY, NOBODY);
  const usersFile = path.join(root, 'users');
  const users = new Map<string, string>();
  const writeUsers = () =>
    writeFileSync(usersFile, [...users].map(([address, password]) => `${address}:{PLAIN}${password}\n`).join(''), { mode: 0o644 });
  writeUsers();
  const dovecotConf = path.join(root, 'dovecot.conf');
  writeFileSync(
    dovecotConf,
    `protocols = imap lmtp
listen = 127.0.0.1
base_dir = ${root}/run
state_dir = ${root}/state
instance_name = writ-test-${base}
log_path = ${root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${root}/mail/%u
mail_uid = ${NOBODY}
mail_gid = ${NOBODY}
first_valid_uid = 1
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${usersFile}
}
userdb {
  driver = static
  args = uid=${NOBODY} gid=${NOBODY} home=${root}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${imapPort}
  }
  inet_listener imaps {
    port = 0
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = ${lmtpPort}
  }
  unix_listener lmtp {
    mode = 0600
  }
}
protocol lmtp {
  postmaster_address = postmaster@localhost
}
`,
  );
  const smtpdConf = path.join(root, 'smtpd.conf');
  // Every recipient is delivered over LMTP into Dovecot; the catch-all table makes any address a valid one.
  writeFileSync(
    smtpdConf,
    `table catchall { "@" = "nobody" }
listen on 127.0.0.1 port ${smtpPort}
action "deliver" lmtp "127.0.0.1:${lmtpPort}" rcpt-to virtual <catchall>
match from any for any action "deliver"
`,
    { mode: 0o644 },
  );
  let dovecot: ChildProcess | undefined;
  const startImap = async () => {
    dovecot = spawn('dovecot', ['-F', '-c', dovecotConf], { stdio: 'ignore' });
    await listening(imapPort);
    await listening(lmtpPort);
  };
  await startImap();
  const smtpd = spawn('smtpd', ['-d', '-f', smtpdConf], { stdio: 'ignore' });
  await listening(smtpPort);
  return {
    imapPort,
    smtpPort,
    addUsers(added) {
      for (const [address, password] of Object.entries(added)) users.set(address, password);
      writeUsers();
    },
    async stopImap() {
      await stopProcess(dovecot);
      await closed(imapPort);
    },
    startImap,
    async stop() {
      await stopProcess(smtpd);
      await stopProcess(dovecot);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
