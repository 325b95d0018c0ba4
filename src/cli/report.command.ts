/**
 * `writ report --period 2025-H2 --out <dir>`: the transparency report exactly as the public API serves it (audience
 * `public`: rows under WRIT_REPORT_BAND_BELOW merged, small counts banded, figures that would give away fewer requests
 * withheld), written as report.json, report.csv, report.pdf, the tree head it was computed under (tree-head.json, with
 * the checkpoint and signature openssl checks), and removal decisions as DSA statements of reasons
 * (dsa-statements.json). `--internal` (with `--from --to` or any period) writes the operator's exact report instead,
 * marked `"audience": "internal"` and named internal-report.*: it is not for publication.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI_ACTOR } from '../core/actor.ts';
import { countText, reportCsv } from '../core/transparency.ts';
import { loadConfig } from '../config/config.ts';
import { reportPdf } from '../evidence/report-pdf.ts';
import { dsaStatements, publicTransparencyReport, recordReport, transparencyReport } from '../services/transparency-report.ts';
import { createContext } from '../server/context.ts';

const USAGE =
  'Usage: writ report [--period <YYYY-H1|YYYY-H2|YYYY-MM>] --out <dir>            the public report (as GET /api/v1/transparency/report)\n' +
  '       writ report --internal (--period <id> | --from <date> --to <date>) --out <dir> [--band-below <n>]\n' +
  "  --internal: the operator's exact report (not for publication), any period or range.\n" +
  '  --band-below: with --internal, give counts from 1 to n-1 as a band (default 0: exact).\n' +
  '  The public report covers published periods only and follows WRIT_REPORT_BAND_BELOW; --half is the same as --period.';

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      half: { type: 'string' },
      period: { type: 'string' },
      internal: { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      'band-below': { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const band = values['band-below'];
  const internal = values.internal === true;
  const ranged = values.from !== undefined || values.to !== undefined;
  if (positionals.length > 0 || !values.out || (band !== undefined && (!internal || !/^\d{1,4}$/.test(band))) || (ranged && !internal)) {
    console.error(USAGE);
    return 2;
  }
  const context = await createContext(loadConfig());
  try {
    const period = { period: values.period, half: values.half, from: values.from, to: values.to };
    // The public report as anyone gets it (no actor: only published periods), or the operator's exact one.
    const report = internal
      ? await transparencyReport(context, { ...period, bandBelow: band === undefined ? undefined : Number(band) })
      : await publicTransparencyReport(context, undefined, period);
    const statements = await dsaStatements(context, CLI_ACTOR, { from: report.period.from, to: report.period.to });
    const name = internal ? 'internal-report' : 'report';
    const platform = (await context.store.read.organisations.platform())?.name ?? 'The platform';
    const json = `${JSON.stringify(report, null, 2)}\n`;
    const out = path.resolve(values.out);
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, `${name}.json`), json);
    await writeFile(path.join(out, `${name}.csv`), reportCsv(report));
    await writeFile(path.join(out, `${name}.pdf`), await reportPdf(report, platform));
    await writeFile(path.join(out, 'dsa-statements.json'), `${JSON.stringify(statements, null, 2)}\n`);
    if (report.treeHead) {
      await writeFile(path.join(out, 'tree-head.json'), `${JSON.stringify(report.treeHead, null, 2)}\n`);
      await writeFile(path.join(out, 'tree-head.checkpoint'), report.treeHead.checkpoint);
      await writeFile(path.join(out, 'tree-head.sig'), Buffer.from(report.treeHead.signature, 'base64'));
    }
    const jsonSha256 = createHash('sha256').update(json).digest('hex');
    await recordReport(context, CLI_ACTOR, { report, jsonSha256 });
    const total = countText(report.totals.requests);
    console.log(
      internal
        ? `INTERNAL report (exact figures, not for publication) for [${report.period.from}, ${report.period.to}): ${total} requests, ${report.countries.length} countries.`
        : `Public report for ${report.period.label ?? ''} [${report.period.from}, ${report.period.to}): ${total} requests, ${report.countries.length} country rows.`,
    );
    console.log(
      report.treeHead
        ? `Computed under the audit log's tree head of ${report.treeHead.treeSize} events, root ${report.treeHead.rootHash}.`
        : 'The audit log has no signed tree head yet.',
    );
    console.log(
      `Wrote ${name}.json (SHA-256 ${jsonSha256}), ${name}.csv, ${name}.pdf, dsa-statements.json (${statements.statements.length}) and the tree head to ${out}.`,
    );
    return 0;
  } finally {
    await context.close();
  }
}
