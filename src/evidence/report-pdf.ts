/**
 * The transparency report as a PDF (pdf-lib): the table per country and kind, the Korean categories, and the audit
 * log's tree head the numbers were computed under, with how to check it. The standard PDF fonts draw Latin-1 only, so
 * the Korean terms are given in English and romanised here; the CSV and JSON carry them in Hangul.
 */
import type { PDFFont, PDFPage } from 'pdf-lib';
import { countText, type ReportRow, type TransparencyReport } from '../core/transparency.ts';

const latin1 = (text: string) => text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
const ROMANISED: Readonly<Record<string, string>> = {
  seizure_warrant: 'apsu-susaek yeongjang',
  comm_confirmation_data: 'tongsin sasil hwagin jaryo',
  comm_restriction: 'tongsin jehan jochi',
  comm_user_information: 'tongsin iyongja jeongbo (tongsin jaryo)',
};
const percent = (value: number | null) => (value === null ? '-' : `${(value * 100).toFixed(1)}%`);

export async function reportPdf(report: TransparencyReport, platform: string): Promise<Buffer> {
  const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  const title = `Transparency report ${report.period.label ?? `${report.period.from.slice(0, 10)} to ${report.period.to.slice(0, 10)}`}`;
  pdf.setTitle(title);
  pdf.setProducer('Writ');
  pdf.setCreationDate(new Date(report.computedAt));
  pdf.setModificationDate(new Date(report.computedAt));
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const mono = await pdf.embedFont(StandardFonts.Courier);
  const width = 842;
  const height = 595;
  let page: PDFPage = pdf.addPage([width, height]);
  let y = height - 48;
  const newPage = () => {
    page = pdf.addPage([width, height]);
    y = height - 48;
  };
  const text = (value: string, x: number, font: PDFFont = regular, size = 8) =>
    page.drawText(latin1(value), { x, y, size, font, color: rgb(0.1, 0.1, 0.1) });
  const line = (value: string, font: PDFFont = regular, size = 9) => {
    if (y < 48) newPage();
    text(value, 40, font, size);
    y -= size + 5;
  };

  line(title, bold, 16);
  line(`${platform} - computed ${report.computedAt}, from the requests received in [${report.period.from}, ${report.period.to}) UTC`);
  if (report.audience === 'internal') line('INTERNAL REPORT: exact figures for the operator, not for publication.', bold, 10);
  if (report.banding.below > 1) line(`Counts from 1 to ${report.banding.below - 1} are given as the band "1-${report.banding.below - 1}".`);
  if (report.audience === 'public' && report.banding.below > 1) {
    line(
      `Countries and kinds with fewer than ${report.banding.below} requests are counted as "other"; a figure that would tell something about fewer requests is withheld.`,
    );
  }
  y -= 6;

  const columns: Array<[string, number, (row: ReportRow) => string]> = [
    ['Country', 40, (row) => row.country],
    ['Kind', 88, (row) => row.kind],
    ['Requests', 160, (row) => countText(row.requests)],
    ['Accounts', 210, (row) => countText(row.accountsSpecified)],
    ['Some data', 262, (row) => countText(row.withSomeData)],
    ['Share', 314, (row) => percent(row.withSomeDataShare)],
    ['Rejected', 356, (row) => countText(row.rejected)],
    ['Narrowed', 404, (row) => countText(row.narrowed)],
    ['Emerg.', 454, (row) => countText(row.emergency)],
    ['Preserv.', 496, (row) => countText(row.preservation)],
    ['Removal', 544, (row) => countText(row.removalOrders)],
    [
      'Rem./restr./kept',
      590,
      (row) => `${countText(row.removalActions.removed)}/${countText(row.removalActions.restricted)}/${countText(row.removalActions.kept)}`,
    ],
    ['NDO', 670, (row) => countText(row.nonDisclosure)],
    ['Notified', 708, (row) => countText(row.usersNotified)],
    ['Refused susp.', 756, (row) => countText(row.refusedAsSuspicious)],
  ];
  const header = () => {
    for (const [label, x] of columns) text(label, x, bold, 7.5);
    y -= 13;
  };
  const row = (entry: ReportRow, font: PDFFont = regular) => {
    if (y < 48) {
      newPage();
      header();
    }
    for (const [, x, value] of columns) text(value(entry), x, font, 8);
    y -= 12;
  };
  line('Requests by country and kind', bold, 11);
  header();
  row(report.totals, bold);
  for (const country of report.countries) {
    row(country, bold);
    for (const entry of report.rows.filter((candidate) => candidate.country === country.country)) row(entry);
  }
  y -= 8;
  line('Korean categories (requests under Korean law, as Kakao and Naver report them)', bold, 11);
  for (const entry of report.korea) {
    line(
      `${entry.en} [${ROMANISED[entry.category] ?? entry.category}]: ${countText(entry.requests)} requested, ${countText(entry.processed)} processed, ${countText(entry.accounts)} accounts`,
    );
  }
  y -= 8;
  line('What the numbers mean', bold, 11);
  for (const [field, meaning] of Object.entries(report.definitions)) line(`${field}: ${meaning}`, regular, 7.5);
  y -= 8;
  line('The audit log these numbers were computed under', bold, 11);
  if (report.treeHead) {
    line(`Tree head: ${report.treeHead.treeSize} events, root ${report.treeHead.rootHash}, signed ${report.treeHead.signedAt}`);
    line(`by key ${report.treeHead.keyFingerprint}; signature (base64):`);
    line(report.treeHead.signature, mono, 7);
    line(
      'Keep this head: GET /api/v1/audit/consistency?first=<size> proves any later log extends it, and writ audit verify --tree-head checks the log against it.',
      regular,
      8,
    );
  } else line('The audit log had no signed tree head yet.');
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}
