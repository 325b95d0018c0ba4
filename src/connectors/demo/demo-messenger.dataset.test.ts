import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/database.ts';
import {
  createDemoSchema,
  DEMO_KNOWN_ACCOUNTS,
  DEMO_REFERENCE_INSTANT,
  generateDemoDataset,
  growDemoDataset,
  type DemoDatasetCounts,
} from './demo-messenger.dataset.ts';

const OPTIONS = { users: 300, loginsPerUser: 5, messagesPerUser: 4, seed: 7 };

async function fingerprint(handle: DatabaseHandle): Promise<string> {
  const { rows } = await sql<{ f: string }>`
    SELECT md5((SELECT string_agg(concat_ws('|', id, username, display_name, email, phone, created_at, status), ',' ORDER BY id) FROM demo.accounts)
            || (SELECT string_agg(concat_ws('|', account_id, ip, at), ',' ORDER BY id) FROM demo.logins)
            || (SELECT string_agg(concat_ws('|', chat_id, sender_id, sent_at, body, encode(ciphertext, 'hex')), ',' ORDER BY id) FROM demo.messages)) AS f
  `.execute(handle.db);
  return rows[0]!.f;
}

describe('the demo messenger dataset', () => {
  let handle: DatabaseHandle;
  let counts: DemoDatasetCounts;
  beforeAll(async () => {
    handle = await openDatabase({});
    await createDemoSchema(handle.db);
    counts = await generateDemoDataset(handle.db, OPTIONS);
  });
  afterAll(async () => {
    await handle.close();
  });

  it('has the accounts, logins and messages asked for', () => {
    expect(counts).toMatchObject({ accounts: 300, logins: 300 * 5, messages: 300 * 4 });
    expect(counts.e2eeMessages).toBeGreaterThan(0);
    expect(counts.e2eeMessages).toBeLessThan(counts.messages);
  });

  it('holds the well-known accounts with exactly their values', async () => {
    const { rows } = await sql<{ id: string; username: string; email: string; phone: string | null }>`
      SELECT id, username, email, phone FROM demo.accounts WHERE id <= 5 ORDER BY id
    `.execute(handle.db);
    expect(rows).toEqual(
      DEMO_KNOWN_ACCOUNTS.map((account) => ({
        id: String(account.id),
        username: account.username,
        email: account.email,
        phone: account.phone || null,
      })),
    );
  });

  it('keeps only ciphertext for end-to-end-encrypted chats, and only text elsewhere', async () => {
    const { rows } = await sql<{ bad: string }>`
      SELECT count(*)::text AS bad FROM demo.messages m JOIN demo.chats c ON c.id = m.chat_id
      WHERE (c.is_e2ee AND (m.body IS NOT NULL OR m.ciphertext IS NULL)) OR (NOT c.is_e2ee AND (m.body IS NULL OR m.ciphertext IS NOT NULL))
    `.execute(handle.db);
    expect(rows[0]?.bad).toBe('0');
  });

  it('keeps messages for 30 days and logins for a year before the reference instant', async () => {
    const { rows } = await sql<{ oldest_message: Date; newest_message: Date; oldest_login: Date }>`
      SELECT min(m.sent_at) AS oldest_message, max(m.sent_at) AS newest_message, (SELECT min(at) FROM demo.logins) AS oldest_login FROM demo.messages m
    `.execute(handle.db);
    const reference = Date.parse(DEMO_REFERENCE_INSTANT);
    expect(reference - rows[0]!.oldest_message.getTime()).toBeLessThanOrEqual(30 * 86_400_000);
    expect(rows[0]!.newest_message.getTime()).toBeLessThanOrEqual(reference);
    expect(reference - rows[0]!.oldest_login.getTime()).toBeLessThanOrEqual(365 * 86_400_000);
  });

  it('has a group of everyone, for bulk-request checks', async () => {
    const { rows } = await sql<{ n: string }>`
      SELECT max(members)::text AS n FROM (SELECT count(*) AS members FROM demo.chat_members GROUP BY chat_id) AS groups
    `.execute(handle.db);
    expect(rows[0]?.n).toBe('300');
  });

  it('is the same for the same seed, and different for another', async () => {
    const again = await openDatabase({});
    const other = await openDatabase({});
    try {
      await createDemoSchema(again.db);
      await generateDemoDataset(again.db, OPTIONS);
      await createDemoSchema(other.db);
      await generateDemoDataset(other.db, { ...OPTIONS, seed: 8 });
      expect(await fingerprint(again)).toBe(await fingerprint(handle));
      expect(await fingerprint(other)).not.toBe(await fingerprint(handle));
    } finally {
      await again.close();
      await other.close();
    }
  });

  it('grows by the accounts and logins asked for, after the last account', async () => {
    const grown = await growDemoDataset(handle.db, { users: 20, loginsPerUser: 3 });
    expect(grown).toEqual({ accounts: 320, logins: 300 * 5 + 20 * 3 });
    const { rows } = await sql<{ max: string }>`SELECT max(id)::text AS max FROM demo.accounts`.execute(handle.db);
    expect(rows[0]?.max).toBe('320');
  });

  it('refuses to fill a demo messenger that has accounts', async () => {
    await expect(generateDemoDataset(handle.db, OPTIONS)).rejects.toThrow(/already/);
  });
});
