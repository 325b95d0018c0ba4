/**
 * The certificate of authenticity that goes in every package, in the manner of US FRE 902(11) and 902(13): who
 * produced the records, from which system, when, how they were kept, and the SHA-256 of every file, so a court can
 * admit them without a witness. It is a PDF (pdf-lib), listed in the tag manifest and so covered by the signature.
 */
import type { PDFFont, PDFPage } from 'pdf-lib';

export interface CertificateFacts {
  readonly platform: string;
  /** The system the records were read from (the connector). */
  readonly system: string;
  readonly trackingNumber: string;
  readonly productionId: string;
  readonly agency: string;
  readonly legalProcess: string;
  readonly decision: string;
  readonly producedAt: string;
  readonly keyFingerprint: string;
  readonly files: ReadonlyArray<{ readonly path: string; readonly sha256: string }>;
}

// The standard PDF fonts cover Latin-1 only; anything else is shown as '?' (the files themselves keep every character).
const latin1 = (text: string) => text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');

export async function certificatePdf(facts: CertificateFacts): Promise<Buffer> {
  // Loaded when a certificate is made, not when Writ starts (it is a quarter of a second of start-up).
  const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Certificate of authenticity ${facts.trackingNumber}`);
  pdf.setProducer('Writ');
  pdf.setCreationDate(new Date(facts.producedAt));
  pdf.setModificationDate(new Date(facts.producedAt));
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const mono = await pdf.embedFont(StandardFonts.Courier);
  let page: PDFPage = pdf.addPage([595, 842]);
  let y = 790;
  const line = (text: string, font: PDFFont = regular, size = 10) => {
    if (y < 60) {
      page = pdf.addPage([595, 842]);
      y = 790;
    }
    page.drawText(latin1(text), { x: 56, y, size, font, color: rgb(0.1, 0.1, 0.1) });
    y -= size + 5;
  };
  const paragraph = (text: string, width = 95) => {
    const words = latin1(text).split(' ');
    let current = '';
    for (const word of words) {
      if (`${current} ${word}`.trim().length > width) {
        line(current);
        current = word;
      } else current = `${current} ${word}`.trim();
    }
    if (current) line(current);
  };

  line('Certificate of authenticity of records', bold, 16);
  y -= 6;
  line(`Request ${facts.trackingNumber} · production ${facts.productionId}`, regular, 10);
  y -= 8;
  paragraph(
    `I certify that the records in this package were produced from the systems of ${facts.platform}, which makes and keeps ` +
      'such records in the regular course of its business, at or near the time of the events they record; that they were ' +
      'extracted by an automated process limited to the scope approved below; and that each file is identified by the ' +
      'SHA-256 digest listed here, which anyone can recompute to confirm the file is the one produced (cf. Federal Rules of ' +
      'Evidence 902(11) and 902(13), 803(6)).',
  );
  y -= 6;
  for (const [label, value] of [
    ['Producing platform', facts.platform],
    ['Source system', facts.system],
    ['Requesting agency', facts.agency],
    ['Legal process', facts.legalProcess],
    ['Decision', facts.decision],
    ['Produced at', facts.producedAt],
    ['Signing key', facts.keyFingerprint],
  ] as const) {
    line(`${label}:`, bold, 10);
    paragraph(`    ${value}`);
  }
  y -= 6;
  line('Files and their SHA-256 digests', bold, 11);
  for (const file of facts.files) {
    line(file.path, regular, 9);
    line(`    ${file.sha256}`, mono, 8);
  }
  y -= 10;
  paragraph(
    'The tag manifest of this package lists this certificate with its own digest and is signed with the platform key above. ' +
      'VERIFY.txt in the package says how to check every digest and the signature with stock tools.',
  );
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}
