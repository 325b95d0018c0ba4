/**
 * Crash safety, tested: `writ serve --roles api` and `writ serve --roles worker` on PostgreSQL, as an operator runs
 * them, take 1,000 requests and the desk's work on them while both are killed with SIGKILL at random moments, again
 * and again, and started again. Afterwards every acknowledged request is there once, and every job that came due was
 * done once in effect: each request verified once, each production built once, each user notified once (one mail),
 * each preservation sealed once, each removal acted on once, and every reminder that came due handled once (the last,
 * "passed", for every deadline missed). Clients retry as real ones do: with the same Idempotency-Key.
 *
 * The kill moments come from a seeded generator (the seed is printed): a failure can be replayed with WRIT_CRASH_SEED.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { createDemoSchema, generateDemoDataset } from '../../src/connectors/demo/demo-messenger.dataset.ts';
import type { Actor } from '../../src/core/actor.ts';
import { currentSigningKey } from '../../src/evidence/signing-key.ts';
import { createContext, createLogger, type AppContext } from '../../src/server/context.ts';
import { createDatabase } from '../support/databases.ts';
import { buildWorld, uploadPdf, type World } from '../support/factories.ts';

const postgres = process.env.TEST_DATABASE_URL;
const REQUESTS = 1000;
const PRODUCED = 80;
/** Prospective orders whose authorised period ends during the test: each delivers in parts and stops by itself. */
const PROSPECTIVE = 10;
const PRESERVED = 30;
const REMOVED = 30;
/** Requests with a deadline of their own, close enough to pass during the test. */
const WITH_DEADLINE = 150;
const KILLS = 6;
const root = path.resolve(import.meta.dirname, '../..');

/** A small seeded generator (mulberry32), so a run's kill moments can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A JSON answer, read loosely: the fields a step needs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers of many routes, each read for a field or two
type Answer = any;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

(postgres ? describe : describe.skip)('crash safety [postgres]', () => {
  const seed = Number(process.env.WRIT_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const next = random(seed);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'writ-crash-'));
  let drop: () => Promise<void>;
  let context: AppContext;
  let world: World;
  let port: number;
  let env: NodeJS.ProcessEnv;
  const processes: Record<'api' | 'worker', ChildProcess | undefined> = { api: undefined, worker: undefined };
  const tokens: Record<string, string> = {};
  let starts = 0;
  /** How often a client found the server gone, and how often a retried submission was answered with its first receipt. */
  const seen = { refused: 0, replayed: 0 };

  const spawnRole = (role: 'api' | 'worker') => {
    starts += 1;
    const log = openSync(path.join(dataDir, `${role}-${starts}.log`), 'a');
    processes[role] = spawn(process.execPath, ['bin/writ.js', 'serve', '--roles', role, '--no-demo'], {
      cwd: root,
      env,
      stdio: ['ignore', log, log],
    });
  };
  const kill = async (role: 'api' | 'worker') => {
    const child = processes[role];
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };

  /** One call, retried through refused connections and restarts until the server answers. */
  async function call(method: string, url: string, token: string, body?: unknown, key?: string): Promise<{ status: number; json: Answer }> {
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}${url}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(key ? { 'idempotency-key': key } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(15_000),
        });
        const text = await response.text();
        if (response.status >= 500) throw new Error(`server error ${response.status}`);
        return { status: response.status, json: text ? JSON.parse(text) : undefined };
      } catch (error) {
        if (Date.now() > deadline) throw error;
        seen.refused += 1;
        await sleep(150);
      }
    }
  }

  const stateOf = async (tracking: string, token: string) =>
    (await call('GET', `/api/v1/requests/${tracking}/status`, token)).json.state as string;
  async function waitForState(tracking: string, token: string, states: readonly string[]): Promise<string> {
    for (let attempt = 0; attempt < 600; attempt += 1) {
      const state = await stateOf(tracking, token);
      if (states.includes(state)) return state;
      await sleep(200);
    }
    throw new Error(`${tracking} never reached ${states.join('/')}`);
  }
  /** A desk action, which is not idempotent: a retry after a crash may find it done already (409), which is checked. */
  async function act(tracking: string, action: string, body: unknown, done: readonly string[], token = tokens.counsel!) {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const answer = await call('POST', `/api/v1/requests/${tracking}/${action}`, token, body);
      if (answer.status === 200) return;
      if (answer.status !== 409) throw new Error(`${action} ${tracking}: ${answer.status} ${JSON.stringify(answer.json)}`);
      if (done.includes(await stateOf(tracking, token))) return;
      await sleep(200);
    }
    throw new Error(`${action} ${tracking} did not go through`);
  }

  beforeAll(async () => {
    const database = await createDatabase();
    drop = database.drop;
    port = await freePort();
    const settings = {
      DATABASE_URL: database.url,
      WRIT_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      WRIT_HOLD_NEW_ACCOUNT_DAYS: '0',
      WRIT_HOLD_BURST_PER_HOUR: '10000',
      WRIT_SUBMISSIONS_PER_HOUR: '100000',
      WRIT_OUTBOX_POLL_MS: '100',
      // A killed worker's jobs are tried again after ten seconds; none goes to the dead-letter list meanwhile.
      WRIT_JOB_EXPIRE_SECONDS: '10',
      WRIT_JOB_RETRY_DELAY_SECONDS: '1',
      WRIT_JOB_RETRY_LIMIT: '30',
      WRIT_DESK_EMAIL: 'desk@platform.example',
    };
    env = { ...process.env, ...settings };
    delete env.TEST_DATABASE_URL;
    const config = loadConfig({ ...settings, LOG_LEVEL: 'silent' });
    context = await createContext(config, { log: createLogger(config) });
    await createDemoSchema(context.database.db);
    await generateDemoDataset(context.database.db, { users: 200, loginsPerUser: 5, messagesPerUser: 3, seed: 11 });
    world = await buildWorld(context);
    const token = async (actor: Actor) => {
      const value = context.secrets.newToken('writ_t');
      await context.store.transaction((r) =>
        r.credentials.insertToken({
          userId: actor.userId,
          name: 'crash test',
          tokenSha256: context.secrets.sha256Hex(value),
          expiresAt: new Date(Date.now() + 86_400_000),
        }),
      );
      return value;
    };
    tokens.us = await token(world.officerB);
    tokens.kr = await token(world.officerA);
    tokens.counsel = await token(world.counsel);
    tokens.reviewer = await token(world.reviewer);
    // The keys both processes would otherwise race to make on their first start.
    await currentSigningKey(context.keysDir, new Date());
    context.noticeTokens.tokenFor('warm-up');
    spawnRole('api');
    spawnRole('worker');
  });

  afterAll(async () => {
    await kill('api');
    await kill('worker');
    await context?.close();
    await drop?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged request once and does every due job once, through ${KILLS + 1} SIGKILLs`, { timeout: 600_000 }, async () => {
    console.log(`crash test seed ${seed} (replay with WRIT_CRASH_SEED=${seed})`);
    const { db } = context.database;
    // The officers' documents, uploaded beforehand (a request names its legal process document).
    const documentsUs = await Promise.all(Array.from({ length: REQUESTS - REMOVED }, () => uploadPdf(context, world.officerB)));
    const documentsKr = await Promise.all(Array.from({ length: REMOVED }, () => uploadPdf(context, world.officerA)));
    const message = (await sql<{ id: string }>`SELECT id::text FROM demo.messages WHERE body IS NOT NULL ORDER BY id LIMIT 1`.execute(db))
      .rows[0]!.id;

    type Planned = {
      key: string;
      token: string;
      role: 'disclosure' | 'produced' | 'prospective' | 'preserved' | 'removed';
      payload: object;
    };
    // The prospective orders' period: from an hour ago to a while after the desk has started them (so they deliver in
    // parts, under the kills); a new login appears in it.
    const period = { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 80_000).toISOString() };
    await sql`INSERT INTO demo.logins (account_id, ip, port, at, user_agent, kind)
              VALUES (4, '192.0.2.44', 4444, ${new Date(Date.now() - 1_800_000)}, 'DemoMessenger/5.2 (iOS 18.1)', 'login')`.execute(db);
    const planned: Planned[] = Array.from({ length: REQUESTS }, (_, index): Planned => {
      const key = `crash-${seed}-${index}`;
      if (index < REMOVED) {
        return {
          key,
          token: tokens.kr!,
          role: 'removed',
          payload: {
            kind: 'removal',
            jurisdiction: 'KR',
            summary: 'Defamation of a private person; KCSC correction request.',
            legalProcess: { instrumentType: 'removal_order', issuingAuthority: 'KCSC', documentIds: [documentsKr[index]!] },
            targets: [{ kind: 'url', value: `https://demo-messenger.example/messages/${message}` }],
            categories: ['content'],
          },
        };
      }
      const role =
        index < REMOVED + PRESERVED
          ? 'preserved'
          : index < REMOVED + PRESERVED + PRODUCED
            ? 'produced'
            : index < REMOVED + PRESERVED + PRODUCED + PROSPECTIVE
              ? 'prospective'
              : 'disclosure';
      const withDeadline = role === 'disclosure' && index < REMOVED + PRESERVED + PRODUCED + PROSPECTIVE + WITH_DEADLINE;
      if (role === 'prospective') {
        return {
          key,
          token: tokens.us!,
          role,
          payload: {
            kind: 'prospective',
            jurisdiction: 'US',
            legalProcess: {
              instrumentType: 'court_order',
              issuingAuthority: 'U.S. District Court (pen/trap, 18 U.S.C. 3123)',
              documentIds: [documentsUs[index - REMOVED]!],
            },
            targets: [{ kind: 'username', value: 'jordan.lee' }],
            categories: ['traffic'],
            dateRange: period,
          },
        };
      }
      return {
        key,
        token: tokens.us!,
        role,
        payload: {
          kind: role === 'preserved' ? 'preservation' : 'disclosure',
          jurisdiction: 'US',
          caseReference: `CRASH-${index}`,
          summary: 'Fraud investigation: the account collected payments from victims.',
          legalProcess: {
            instrumentType: role === 'preserved' ? 'preservation_order' : 'search_warrant',
            issuingAuthority: 'U.S. District Court',
            documentIds: [documentsUs[index - REMOVED]!],
          },
          targets: [{ kind: 'username', value: ['minjun.kim', 'alex.doe', 'jordan.lee'][index % 3] }],
          categories: ['subscriber'],
          dateRange: { from: '2026-01-01T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' },
          ...(withDeadline ? { deadline: new Date(Date.now() + 25_000 + (index % 20) * 500).toISOString() } : {}),
        },
      };
    });

    // Chaos: kill the worker, the server or both at random moments while the work goes on, and start them again.
    let chaosDone = false;
    const kills: string[] = [];
    const chaos = (async () => {
      for (let round = 0; round < KILLS; round += 1) {
        // The first kill takes both while the submissions pour in; then the worker, the server, or both, at random.
        await sleep(round === 0 ? 1500 + next() * 1500 : 2000 + next() * 4000);
        const roll = next();
        const victims: Array<'api' | 'worker'> = round === 0 || roll >= 0.75 ? ['api', 'worker'] : roll < 0.5 ? ['worker'] : ['api'];
        for (const victim of victims) await kill(victim);
        kills.push(victims.join('+'));
        await sleep(300 + next() * 1200);
        for (const victim of victims) spawnRole(victim);
      }
      // And once more as the prospective orders' last parts come due at the end of their period.
      await sleep(Math.max(0, Date.parse(period.to) - Date.now()) + 200 + next() * 1500);
      await kill('worker');
      kills.push('worker (at the end of the prospective period)');
      await sleep(300 + next() * 1200);
      spawnRole('worker');
      chaosDone = true;
    })();

    const startedAt = Date.now();
    // The agencies submit, ten at a time, each retried with its key until it is acknowledged.
    const receipts = new Map<string, string>();
    let cursor = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (cursor < planned.length) {
          const item = planned[cursor++]!;
          for (;;) {
            const answer = await call('POST', '/api/v1/requests', item.token, item.payload, item.key);
            if (answer.status === 201 || answer.status === 200) {
              if (answer.status === 200) seen.replayed += 1;
              receipts.set(item.key, answer.json.trackingNumber as string);
              break;
            }
            throw new Error(`submission refused: ${answer.status} ${JSON.stringify(answer.json)}`);
          }
        }
      }),
    );
    expect(receipts.size).toBe(REQUESTS);
    const submittedAt = Date.now();

    // The desk works the subsets as they come out of verification.
    const byRole = (role: Planned['role']) => planned.filter((item) => item.role === role).map((item) => receipts.get(item.key)!);
    const desk = async (tracking: string, role: Planned['role']) => {
      await waitForState(tracking, tokens.counsel!, ['in_review', 'approved', 'producing', 'delivered', 'active', 'actioned']);
      if (role === 'removed') {
        const view = (await call('GET', `/api/v1/requests/${tracking}`, tokens.counsel!)).json;
        await act(
          tracking,
          'act',
          { items: [{ targetId: view.targets[0].id, action: 'removed', reasons: 'Named in the order; unlawful defamation.' }] },
          ['actioned'],
        );
        return;
      }
      await act(tracking, 'approve', { reason: 'Within the legal process.' }, ['approved', 'producing', 'delivered', 'active']);
      if (role === 'produced' || role === 'prospective') await act(tracking, 'produce', {}, ['producing', 'delivered']);
      else await act(tracking, 'preserve', {}, ['active'], tokens.reviewer);
    };
    const work = [
      ...byRole('removed').map((t) => [t, 'removed'] as const),
      ...byRole('preserved').map((t) => [t, 'preserved'] as const),
      ...byRole('produced').map((t) => [t, 'produced'] as const),
      ...byRole('prospective').map((t) => [t, 'prospective'] as const),
    ];
    let index = 0;
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        while (index < work.length) {
          const [tracking, role] = work[index++]!;
          await desk(tracking, role);
        }
      }),
    );
    await chaos;
    expect(chaosDone).toBe(true);
    const workedAt = Date.now();
    console.log(`kills: ${kills.join(', ')}`);

    // Settle: every deadline has passed, and nothing is left to do.
    const latestDeadline = Math.max(
      Date.parse(period.to),
      ...planned.map((item) => Date.parse((item.payload as { deadline?: string }).deadline ?? '1970-01-01T00:00:00Z')),
    );
    const settled = async () => {
      const { rows } = await sql<{ waiting: string }>`
        SELECT (
          (SELECT count(*) FROM requests WHERE state IN ('received'))
          + (SELECT count(*) FROM requests WHERE state = 'producing')
          + (SELECT count(*) FROM preservations WHERE copy_state = 'sealing')
          + (SELECT count(*) FROM removal_actions WHERE state = 'pending')
          + (SELECT count(*) FROM notices WHERE state = 'scheduled')
          + (SELECT count(*) FROM outbox WHERE dispatched_at IS NULL AND topic NOT IN ('request.notify-agency', 'request.notify-desk'))
          + (SELECT count(*) FROM pgboss.job WHERE state IN ('created', 'retry', 'active'))
          + (SELECT count(*) FROM scheduled_tasks WHERE (state = 'pending' AND due_at <= now()) OR (state = 'fired' AND handled_at IS NULL))
        )::text AS waiting
      `.execute(db);
      return Number(rows[0]?.waiting);
    };
    const until = Date.now() + 180_000;
    while (Date.now() < latestDeadline + 2000 || (await settled()) > 0) {
      if (Date.now() > until) throw new Error(`work did not settle: ${await settled()} left`);
      await sleep(500);
    }

    console.log(
      `submitted in ${Math.round((submittedAt - startedAt) / 1000)} s, desk work done ${Math.round((workedAt - submittedAt) / 1000)} s later, settled ${Math.round((Date.now() - workedAt) / 1000)} s after that`,
    );
    // Every acknowledged request is there, once; nothing else is.
    const stored = await sql<{ tracking_number: string; n: string }>`
      SELECT tracking_number, count(*)::text AS n FROM requests GROUP BY tracking_number
    `.execute(db);
    expect(stored.rows).toHaveLength(REQUESTS);
    expect(stored.rows.every((row) => row.n === '1')).toBe(true);
    expect(new Set(stored.rows.map((row) => row.tracking_number))).toEqual(new Set(receipts.values()));

    const perRequest = async (type: string, extra = sql``) =>
      new Map(
        (
          await sql<{ tracking_number: string; n: string }>`
            SELECT r.tracking_number, count(a.id)::text AS n FROM requests r
            LEFT JOIN audit_events a ON a.request_id = r.id AND a.type = ${type} ${extra}
            GROUP BY r.tracking_number
          `.execute(db)
        ).rows.map((row) => [row.tracking_number, Number(row.n)]),
      );
    // Verified once each.
    const verified = await perRequest('request.transitioned', sql`AND a.data->>'event' = 'begin_verification'`);
    expect([...verified.values()].every((n) => n === 1)).toBe(true);
    // Produced once each: one production, one completion, one delivery.
    const completed = await perRequest('production.completed');
    const deliveries = await perRequest('request.transitioned', sql`AND a.data->>'event' = 'deliver'`);
    for (const tracking of byRole('produced')) {
      expect(completed.get(tracking), tracking).toBe(1);
      expect(deliveries.get(tracking), tracking).toBe(1);
    }
    const productions = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM productions p JOIN requests r ON r.id = p.request_id WHERE r.kind = 'disclosure' AND p.state = 'completed'
    `.execute(db);
    expect(Number(productions.rows[0]?.n)).toBe(PRODUCED);
    const partsSeen: number[] = [];
    // Each prospective order delivered its parts once each, back to back up to the end of its period, and stopped.
    const parted = await perRequest('prospective.delivered');
    for (const tracking of byRole('prospective')) {
      const parts = await sql<{ part: number; state: string; window_from: Date; window_to: Date }>`
        SELECT p.part, p.state, p.window_from, p.window_to FROM productions p JOIN requests r ON r.id = p.request_id
        WHERE r.tracking_number = ${tracking} ORDER BY p.part
      `.execute(db);
      expect(
        parts.rows.map((row) => row.part),
        tracking,
      ).toEqual(parts.rows.map((_, at) => at));
      expect(
        parts.rows.every((row) => row.state === 'completed'),
        tracking,
      ).toBe(true);
      for (const [at, row] of parts.rows.entries()) {
        const from = at === 0 ? Date.parse(period.from) : parts.rows[at - 1]!.window_to.getTime() + 1;
        expect(row.window_from.getTime(), tracking).toBe(from);
      }
      expect(parts.rows.at(-1)!.window_to.toISOString(), tracking).toBe(period.to);
      expect(parted.get(tracking), tracking).toBe(parts.rows.length);
      expect(completed.get(tracking), tracking).toBe(parts.rows.length);
      expect(deliveries.get(tracking), tracking).toBe(1);
      partsSeen.push(parts.rows.length);
    }
    // Each user told once, in one mail.
    const notices = await sql<{ id: string; tracking_number: string; state: string }>`
      SELECT n.id, r.tracking_number, n.state FROM notices n JOIN requests r ON r.id = n.request_id ORDER BY n.id
    `.execute(db);
    const sent = await perRequest('notice.sent');
    const mailbox = readdirSync(path.join(dataDir, 'mail', 'outgoing'));
    const told = [...byRole('produced'), ...byRole('prospective')];
    for (const tracking of told) expect(sent.get(tracking), tracking).toBe(1);
    for (const notice of notices.rows.filter((row) => told.includes(row.tracking_number))) {
      expect(notice.state).toBe('sent');
      expect(mailbox.filter((name) => name.startsWith(`notice-${notice.id}-`))).toEqual([`notice-${notice.id}-0.eml`]);
    }
    // Each preservation sealed once; each removal acted on once.
    const sealed = await perRequest('preservation.sealed');
    for (const tracking of byRole('preserved')) expect(sealed.get(tracking), tracking).toBe(1);
    const removed = await perRequest('removal.actioned');
    for (const tracking of byRole('removed')) expect(removed.get(tracking), tracking).toBe(1);
    // Every reminder that came due was handled once, and sent (one audit event, one mail) or found moot; the last
    // reminder of every deadline that was missed went out.
    const reminders = await sql<{
      id: string;
      key: string;
      outcome: string | null;
      handled: boolean;
      events: string;
      tracking_number: string;
    }>`
      SELECT t.id::text, t.key, t.outcome, t.handled_at IS NOT NULL AS handled, r.tracking_number,
             (SELECT count(*) FROM audit_events a WHERE a.request_id = t.request_id AND a.type = 'deadline.reminded'
                AND a.data->>'stage' = t.payload->>'stage')::text AS events
      FROM scheduled_tasks t JOIN requests r ON r.id = t.request_id
      WHERE t.topic = 'deadline.remind' AND t.state <> 'cancelled'
    `.execute(db);
    // Stages already past when a request is verified are not planned (but for the latest): at least one per deadline.
    expect(reminders.rows.length).toBeGreaterThanOrEqual(WITH_DEADLINE);
    for (const reminder of reminders.rows) {
      expect(reminder.handled, reminder.key).toBe(true);
      expect(['sent', 'met', 'skipped'], reminder.key).toContain(reminder.outcome);
      expect(Number(reminder.events), reminder.key).toBe(reminder.outcome === 'sent' ? 1 : 0);
      expect(existsSync(path.join(dataDir, 'mail', 'outgoing', `reminder-${reminder.id}.eml`)), reminder.key).toBe(
        reminder.outcome === 'sent',
      );
      if (reminder.key.endsWith(':overdue')) expect(reminder.outcome, reminder.key).toBe('sent');
    }
    expect(reminders.rows.filter((row) => row.key.endsWith(':overdue'))).toHaveLength(WITH_DEADLINE);
    // Nothing failed for good.
    const dead = await sql<{ n: string }>`SELECT count(*)::text AS n FROM dead_letters`.execute(db);
    expect(dead.rows[0]?.n).toBe('0');
    expect(kills).toHaveLength(KILLS + 1);
    const retried = await sql<{ n: string }>`
      SELECT count(*)::text AS n FROM (SELECT retry_count FROM pgboss.job UNION ALL SELECT retry_count FROM pgboss.archive) AS jobs
      WHERE retry_count > 0
    `.execute(db);
    console.log(
      `calls refused while a process was down: ${seen.refused}; submissions answered with their first receipt: ${seen.replayed}; ` +
        `jobs tried more than once: ${retried.rows[0]?.n}; parts of the prospective orders: ${partsSeen.join(' ')}`,
    );
  });
});
