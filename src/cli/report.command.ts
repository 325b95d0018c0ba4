/**
 * `writ report --half 2025-H2 --out <dir>` (or `--from --to`): the transparency report as the public API serves it,
 * written as report.json, report.csv, report.pdf, the tree head it was computed under (tree-head.json, with the
 * checkpoint and signature openssl checks), and removal decisions as DSA statements of reasons (dsa-statements.json).
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CLI_ACTOR } from '../core/actor.ts';
import { reportCsv } from '../core/transparency.ts';
import { loadConfig } from '../config/config.ts';
import { reportPdf } from '../evidence/report-pdf.ts';
import { dsaStatements, recordReport, transparencyReport } from '../services/transparency-report.ts';
import { createContext } from '../server/context.ts';

const USAGE =
  'Usage: writ report (--half <YYYY-H1|YYYY-H2> | --from <date> --to <date>) --out <dir> [--band-below <n>]\n' +
  '  --band-below: give counts from 1 to n-1 as a band (default WRIT_REPORT_BAND_BELOW; 0 for exact counts).';

export async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      half: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      out: { type: 'string' },
      'band-below': { type: 'string' },
    },
    strict: true,
    allowPositionals: true,
  });
  const band = values['band-below'];
  if (positionals.length > 0 || !values.out || (band !== undefined && !/^\d{1,4}$/.test(band))) {
    console.error(USAGE);
    return 2;
  }
  const context = await createContext(loadConfig());
  try {
    const input = { half: values.half, from: values.from, to: values.to, bandBelow: band === undefined ? undefined : Number(band) };
    const report = await transparencyReport(context, input);
    const statements = await dsaStatements(context, CLI_ACTOR, { half: values.half, from: values.from, to: values.to });
    const platform = (await context.store.read.organisations.platform())?.name ?? 'The platform';
    const json = `${JSON.stringify(report, null, 2)}\n`;
    const out = path.resolve(values.out);
    await mkdir(out, { recursive: true });
    await writeFile(path.join(out, 'report.json'), json);
    await writeFile(path.join(out, 'report.csv'), reportCsv(report));
    await writeFile(path.join(out, 'report.pdf'), await reportPdf(report, platform));
    await writeFile(path.join(out, 'dsa-statements.json'), `${JSON.stringify(statements, null, 2)}\n`);
    if (report.treeHead) {
      await writeFile(path.join(out, 'tree-head.json'), `${JSON.stringify(report.treeHead, null, 2)}\n`);
      await writeFile(path.join(out, 'tree-head.checkpoint'), report.treeHead.checkpoint);
      await writeFile(path.join(out, 'tree-head.sig'), Buffer.from(report.treeHead.signature, 'base64'));
    }
    const jsonSha256 = createHash('sha256').update(json).digest('hex');
    await recordReport(context, CLI_ACTOR, { report, jsonSha256 });
    const total =
      typeof report.totals.requests === 'number'
        ? String(report.totals.requests)
        : `${report.totals.requests.min}-${report.totals.requests.max}`;
    console.log(`Report for [${report.period.from}, ${report.period.to}): ${total} requests, ${report.countries.length} countries.`);
    console.log(
      report.treeHead
        ? `Computed under the audit log's tree head of ${report.treeHead.treeSize} events, root ${report.treeHead.rootHash}.`
        : 'The audit log has no signed tree head yet.',
    );
    console.log(
      `Wrote report.json (SHA-256 ${jsonSha256}), report.csv, report.pdf, dsa-statements.json (${statements.statements.length}) and the tree head to ${out}.`,
    );
    return 0;
  } finally {
    await context.close();
  }
}
