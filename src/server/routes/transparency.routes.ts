/**
 * The public transparency report: JSON for the table and for the charts (requests over time, by country, by outcome),
 * CSV and PDF downloads, each with the audit log's tree head it was computed under. No login: it is for the public,
 * per published period only (a half-year or a month, by id), never a range a caller picks, and always in its public
 * form (small rows merged, small counts banded, figures that would give away fewer requests than the threshold
 * withheld), which no caller can lift. The desk (report.export) may also ask for a range or an unpublished period,
 * in the same public form. A computed report is kept for a short while, so the public cannot make the database count
 * millions of requests on every call.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CSV_COLUMNS, OUTCOMES, reportCsv, type TransparencyReport } from '../../core/transparency.ts';
import { REQUEST_KINDS } from '../../core/request.ts';
import { reportPdf } from '../../evidence/report-pdf.ts';
import type { Actor } from '../../core/actor.ts';
import {
  dsaStatements,
  listPublishedPeriods,
  publicReportPeriod,
  publicTransparencyReport,
  type ReportPeriodInput,
} from '../../services/transparency-report.ts';
import type { AppContext } from '../context.ts';
import { actor } from '../http.ts';
import { problemSchema, treeHeadSchema } from '../responses.ts';

const CACHE_MS = 30_000;
const CACHE_ENTRIES = 64;

const periodQuery = z.strictObject({
  period: z
    .string()
    .max(7)
    .optional()
    .describe(
      'A published period (GET /api/v1/transparency/periods): a half-year, 2026-H1 (January to June) or 2026-H2, or a month, 2026-05; UTC. The latest published half-year when none is given.',
    ),
  half: z.string().max(7).optional().describe('The same as period, for a half-year (kept for older links).'),
  from: z
    .string()
    .max(30)
    .optional()
    .describe(
      'Desk only (report.export): start of a range (a date, 2025-07-01, or a UTC instant), inclusive. Anyone else: 400 REPORT_RANGE_NOT_PUBLIC.',
    ),
  to: z.string().max(30).optional().describe('Desk only: end of the range, exclusive.'),
});
const dsaQuery = z.strictObject({
  half: z.string().max(7).optional().describe('A half-year: 2025-H1 or 2025-H2, UTC.'),
  period: z.string().max(7).optional().describe('A half-year or a month (2025-07), UTC.'),
  from: z.string().max(30).optional().describe('Start of a range (a date, 2025-07-01, or a UTC instant), inclusive.'),
  to: z.string().max(30).optional().describe('End of the range, exclusive.'),
});

const count = z
  .union([z.number().int(), z.object({ min: z.number().int(), max: z.number().int() }), z.null()])
  .describe(
    'A count; a band {min, max} when it is small; null when it is withheld (with the other figures it would let a reader work out something about fewer requests than the threshold).',
  );
const row = z.object({
  country: z.string().describe('A jurisdiction, `all`, or `other`: the countries too small to show alone, merged.'),
  kind: z.enum([...REQUEST_KINDS, 'all', 'other']),
  requests: count,
  accountsSpecified: count,
  withSomeData: count,
  withSomeDataShare: z.number().nullable(),
  rejected: count,
  narrowed: count,
  emergency: count,
  preservation: count,
  removalOrders: count,
  removalActions: z.object({ removed: count, restricted: count, kept: count, items: count }),
  nonDisclosure: count,
  nonDisclosureShare: z.number().nullable(),
  usersNotified: count,
  refusedAsSuspicious: count,
  withdrawn: count,
  pending: count,
});
const reportSchema = z.object({
  format: z.literal('writ-transparency-report/1'),
  audience: z.enum(['public', 'internal']),
  period: z.object({ from: z.string(), to: z.string(), label: z.string().nullable() }),
  computedAt: z.string(),
  banding: z.object({ below: z.number().int() }),
  treeHead: treeHeadSchema.nullable(),
  totals: row,
  countries: z.array(row).readonly(),
  rows: z.array(row).readonly(),
  korea: z
    .array(z.object({ category: z.string(), ko: z.string(), en: z.string(), requests: count, processed: count, accounts: count }))
    .readonly(),
  series: z.object({
    overTime: z.array(z.object({ month: z.string(), requests: count, withSomeData: count, rejected: count })).readonly(),
    byCountry: z.array(z.object({ country: z.string(), requests: count })).readonly(),
    byOutcome: z.array(z.object({ outcome: z.enum(OUTCOMES), requests: count })).readonly(),
  }),
  definitions: z.record(z.string(), z.string()),
});

export const transparencyRoutes =
  (context: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    const cache = new Map<string, { at: number; report: Promise<TransparencyReport> }>();
    const report = (caller: Actor | undefined, query: ReportPeriodInput): Promise<TransparencyReport> => {
      // Who may ask for what is decided first; the key is then the period itself, so "2025-H2" and the same dates share
      // one entry (the answer is the public form whoever asked); bad input throws here.
      const period = publicReportPeriod(context, caller, query);
      const key = `${period.from}/${period.to}/${period.label ?? ''}`;
      const now = Date.now();
      const kept = cache.get(key);
      if (kept && now - kept.at < CACHE_MS) return kept.report;
      const computed = publicTransparencyReport(context, caller, query);
      cache.set(key, { at: now, report: computed });
      computed.catch(() => cache.delete(key));
      for (const [old, entry] of cache) if (cache.size > CACHE_ENTRIES || now - entry.at >= CACHE_MS) cache.delete(old);
      return computed;
    };
    const fileName = (computed: TransparencyReport, extension: string) =>
      `writ-transparency-${computed.period.label ?? `${computed.period.from.slice(0, 10)}_${computed.period.to.slice(0, 10)}`}.${extension}`;

    app.get(
      '/transparency/report',
      {
        config: { public: true },
        schema: {
          tags: ['transparency'],
          summary:
            'The public transparency report of a published period (?period=2026-H1 or 2026-05; the latest published half-year by default): per country and kind, the Korean categories, the series for charts, and the audit log’s signed tree head the numbers were computed under. Rows under the threshold are merged into `other`, small counts banded, figures that would give away fewer requests withheld (null). A range (from, to) is for the desk only: anyone else gets 400 REPORT_RANGE_NOT_PUBLIC; a period not yet published, 400 REPORT_PERIOD_NOT_PUBLISHED.',
          security: [],
          querystring: periodQuery,
          response: { 200: reportSchema, 400: problemSchema },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'public, max-age=30');
        return report(request.actor, request.query);
      },
    );

    app.get(
      '/transparency/report.csv',
      {
        config: { public: true },
        schema: {
          tags: ['transparency'],
          summary: `The same report as CSV (${CSV_COLUMNS.length} columns; sections total, country, country_kind, korea).`,
          security: [],
          querystring: periodQuery,
          produces: ['text/csv'],
        },
      },
      async (request, reply) => {
        const computed = await report(request.actor, request.query);
        reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${fileName(computed, 'csv')}"`);
        if (computed.treeHead)
          reply.header('x-writ-tree-size', String(computed.treeHead.treeSize)).header('x-writ-tree-root', computed.treeHead.rootHash);
        reply.header('cache-control', 'public, max-age=30');
        return reportCsv(computed);
      },
    );

    app.get(
      '/transparency/report.pdf',
      {
        config: { public: true },
        schema: {
          tags: ['transparency'],
          summary: 'The same report as a PDF, with the tree head it was computed under.',
          security: [],
          querystring: periodQuery,
          produces: ['application/pdf'],
        },
      },
      async (request, reply) => {
        const computed = await report(request.actor, request.query);
        const platform = (await context.store.read.organisations.platform())?.name ?? 'The platform';
        reply.type('application/pdf').header('content-disposition', `attachment; filename="${fileName(computed, 'pdf')}"`);
        reply.header('cache-control', 'public, max-age=30');
        return reportPdf(computed, platform);
      },
    );

    app.get(
      '/transparency/periods',
      {
        config: { public: true },
        schema: {
          tags: ['transparency'],
          summary:
            'The published periods anyone may ask a report for, by id, oldest first: half-years (2026-H1) and months (2026-05) from the platform’s start. Never when a request came.',
          security: [],
          response: {
            200: z.object({
              halfYears: z.array(z.string()).describe('Published half-years, e.g. 2026-H1.'),
              months: z.array(z.string()).describe('Published months, e.g. 2026-05.'),
            }),
          },
        },
      },
      async (_request, reply) => {
        reply.header('cache-control', 'public, max-age=300');
        return listPublishedPeriods(context);
      },
    );

    app.get(
      '/transparency/dsa-statements',
      {
        config: { permission: 'report.export' },
        schema: {
          tags: ['transparency'],
          summary:
            'Removal orders acted on in the period, as statements of reasons for the EU DSA Transparency Database (its API’s fields; no personal data).',
          querystring: dsaQuery,
          response: {
            200: z.object({
              period: z.object({ from: z.string(), to: z.string() }),
              statements: z.array(
                z.object({
                  puid: z.string(),
                  decision_visibility: z.array(z.string()).readonly(),
                  decision_ground: z.literal('DECISION_GROUND_ILLEGAL_CONTENT'),
                  illegal_content_legal_ground: z.string(),
                  illegal_content_explanation: z.string(),
                  content_type: z.array(z.string()).readonly(),
                  content_type_other: z.string(),
                  category: z.string(),
                  content_date: z.string(),
                  application_date: z.string(),
                  decision_facts: z.string(),
                  source_type: z.literal('SOURCE_TYPE_OTHER_NOTIFICATION'),
                  automated_detection: z.literal('No'),
                  automated_decision: z.literal('AUTOMATED_DECISION_NOT_AUTOMATED'),
                  territorial_scope: z.array(z.string()).readonly().optional(),
                }),
              ),
            }),
            400: problemSchema,
            401: problemSchema,
            403: problemSchema,
          },
        },
      },
      async (request) => dsaStatements(context, actor(request), request.query),
    );
  };
