/**
 * Requests generated to match a published table: for each Korean category, so many requests received in the
 * half-year, so many of them approved (processed), their targets adding up to the published accounts, the rest
 * rejected. They are written in bulk with SQL, each through the lifecycle's own edges (received → verifying →
 * in_review → approved → closed, or → rejected), so the database's guards and report triggers see what the services
 * would do.
 */
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { KOREAN_CATEGORIES, halfYear, type KoreanCategory } from '../../src/core/transparency.ts';
import type { Database } from '../../src/db/schema.ts';

export interface PublishedCategory {
  readonly category: KoreanCategory;
  readonly requests: number;
  readonly processed: number;
  readonly accounts: number;
}

/** A published half-year from test/fixtures/transparency/korea-2025.json: Kakao's services (KakaoTalk, Daum) or Naver. */
export function publishedHalfYear(platform: 'Kakao' | 'Naver', service: string, period: string): PublishedCategory[] {
  const data = JSON.parse(readFileSync(new URL('../fixtures/transparency/korea-2025.json', import.meta.url), 'utf8')) as {
    rows: Array<[string, string, string, string, string, string, number]>;
  };
  const value = (category: string, metric: string) =>
    data.rows.find(
      (row) => row[0] === platform && row[1] === service && row[2] === period && row[3] === category && row[4] === metric,
    )?.[6];
  return KOREAN_CATEGORIES.map((entry) => ({
    category: entry.category,
    requests: value(entry.category, 'requests') ?? 0,
    processed: value(entry.category, 'processed') ?? 0,
    accounts: value(entry.category, 'accounts') ?? 0,
  }));
}

const PLAN: Record<KoreanCategory, { instrument: string; kind: string; category: string }> = {
  seizure_warrant: { instrument: 'search_warrant', kind: 'disclosure', category: 'content' },
  comm_confirmation_data: { instrument: 'communication_confirmation_permit', kind: 'disclosure', category: 'traffic' },
  comm_restriction: { instrument: 'interception_order', kind: 'prospective', category: 'content' },
  comm_user_information: { instrument: 'letter', kind: 'disclosure', category: 'subscriber' },
};

/**
 * Writes the requests of one published half-year for a Korean agency and officer. `prefix` keeps their tracking
 * numbers apart from any others (WR-<year>-<prefix><n>).
 */
export async function generatePublishedHalfYear(
  db: Kysely<Database>,
  options: { half: string; agencyId: string; officerId: string; prefix: string; table: readonly PublishedCategory[] },
): Promise<void> {
  const period = halfYear(options.half);
  if (!period) throw new Error('not a half-year');
  const span = Date.parse(period.to) - Date.parse(period.from);
  const year = options.half.slice(0, 4);
  for (const [position, row] of options.table.entries()) {
    if (row.requests === 0) continue;
    if (row.processed > row.requests || (row.processed === 0 && row.accounts > 0)) throw new Error(`cannot generate ${row.category}`);
    const plan = PLAN[row.category];
    const tag = `${options.prefix}${position}`;
    // Processed requests share the published accounts out as evenly as they can; rejected ones name one account each.
    const base = row.processed === 0 ? 0 : Math.floor(row.accounts / row.processed);
    const extra = row.processed === 0 ? 0 : row.accounts % row.processed;
    await sql`
      INSERT INTO requests (tracking_number, agency_id, officer_id, kind, state, jurisdiction, instrument_type, issuing_authority,
                            categories, payload_sha256, received_at, targets_count)
      SELECT ${`WR-${year}-${tag}`} || lpad(g::text, 7, '0'), ${options.agencyId}, ${options.officerId}, ${plan.kind}, 'received', 'KR',
             ${plan.instrument}, 'Seoul Central District Court', ARRAY[${plan.category}]::text[], repeat('0', 64),
             ${period.from}::timestamptz + (g - 0.5) * (${span}::float8 / ${row.requests}) * interval '1 millisecond',
             CASE WHEN g <= ${row.processed} THEN ${base} + CASE WHEN g <= ${extra} THEN 1 ELSE 0 END ELSE 1 END
      FROM generate_series(1, ${row.requests}) AS g
    `.execute(db);
    const mine = sql`tracking_number LIKE ${`WR-${year}-${tag}%`}`;
    await sql`
      INSERT INTO targets (request_id, position, kind, value)
      SELECT r.id, t, 'user_id', 'generated-' || r.tracking_number || '-' || t
      FROM requests r CROSS JOIN LATERAL generate_series(0, r.targets_count - 1) AS t
      WHERE ${mine}
    `.execute(db);
    for (const state of ['verifying', 'in_review']) {
      await sql`UPDATE requests SET state = ${state}, version = version + 1 WHERE ${mine}`.execute(db);
    }
    await sql`
      UPDATE requests SET state = CASE WHEN substring(tracking_number from '(\\d{7})$')::int <= ${row.processed} THEN 'approved' ELSE 'rejected' END,
             version = version + 1
      WHERE ${mine}
    `.execute(db);
    // Answered: the approved ones are closed, as the desk closes a request once it is done with.
    await sql`UPDATE requests SET state = 'closed', version = version + 1 WHERE ${mine} AND state = 'approved'`.execute(db);
  }
}
