/**
 * Reading what arrives, broken or not: every input is read as far as it can be and marked, and none throws.
 */
import fc from 'fast-check';
import { deflateRawSync, crc32 } from 'node:zlib';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { buildMessage } from '../../test/support/mail.ts';
import { DEFAULT_READER_LIMITS, mailReader, repairMojibake } from './reader.ts';

const reader = mailReader({ ...DEFAULT_READER_LIMITS, maxMessageBytes: 2_000_000, maxAttachmentBytes: 500_000 });

async function pdfWith(text: string | undefined): Promise<Buffer> {
  const document = await PDFDocument.create();
  const page = document.addPage();
  if (text) page.drawText(text, { x: 40, y: 700, size: 12, font: await document.embedFont(StandardFonts.Helvetica) });
  else page.drawRectangle({ x: 40, y: 400, width: 300, height: 300 });
  return Buffer.from(await document.save());
}

function zip(name: string, size: number): Buffer {
  const content = Buffer.alloc(size);
  const data = deflateRawSync(content);
  const fileName = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc32(content), 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(crc32(content), 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + fileName.length, 12);
  end.writeUInt32LE(local.length + fileName.length + data.length, 16);
  return Buffer.concat([local, fileName, data, central, fileName, end]);
}

describe('the reader', () => {
  it('reads the text of a PDF attachment into the reading text', async () => {
    const read = await reader.read(
      buildMessage({
        from: 'a@police.test',
        text: 'See the attached order.',
        attachments: [
          {
            fileName: 'order.pdf',
            contentType: 'application/pdf',
            content: await pdfWith('Preserve the account @pdf_target until further notice please.'),
          },
        ],
      }),
    );
    expect(read.reading).toContain('@pdf_target');
    expect(read.attachments[0]).toMatchObject({ fileName: 'order.pdf', needsManualReading: false });
    expect(read.flags).not.toContain('NEEDS_MANUAL_READING');
  });

  it('keeps a scanned or broken PDF and marks it for a person to read', async () => {
    for (const content of [await pdfWith(undefined), Buffer.from('%PDF-1.7\nnot really a pdf')]) {
      const read = await reader.read(
        buildMessage({
          from: 'a@police.test',
          text: 'scan attached',
          attachments: [{ fileName: 'scan.pdf', contentType: 'application/pdf', content }],
        }),
      );
      expect(read.flags).toContain('NEEDS_MANUAL_READING');
      expect(read.attachments[0]!.needsManualReading).toBe(true);
      expect(read.attachments[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('lists an archive and never unpacks it; a decompression bomb is marked', async () => {
    const small = await reader.read(
      buildMessage({
        from: 'a@b.test',
        text: 'x',
        attachments: [{ fileName: 'files.zip', contentType: 'application/zip', content: zip('a.txt', 1000) }],
      }),
    );
    expect(small.flags).toContain('ARCHIVE_NOT_READ');
    const bomb = await reader.read(
      buildMessage({
        from: 'a@b.test',
        text: 'x',
        attachments: [{ fileName: 'files.zip', contentType: 'application/zip', content: zip('a.bin', 20_000_000) }],
      }),
    );
    expect(bomb.flags).toContain('ARCHIVE_BOMB');
  });

  it('marks a huge attachment and a huge message, and reads what it can', async () => {
    const big = await reader.read(
      buildMessage({
        from: 'a@b.test',
        text: 'big one',
        attachments: [{ fileName: 'video.bin', contentType: 'application/octet-stream', content: Buffer.alloc(600_000, 1) }],
      }),
    );
    expect(big.flags).toContain('ATTACHMENT_TOO_LARGE');
    expect(big.reading).toContain('big one');
    const huge = await reader.read(buildMessage({ from: 'a@b.test', subject: 'Huge', text: 'x'.repeat(2_100_000) }));
    expect(huge.flags).toContain('TOO_LARGE_TO_READ');
    expect(huge.fromAddress).toBe('a@b.test');
  });

  it('follows forwarded messages a few levels deep and marks deeper ones', async () => {
    const nest = (depth: number): Buffer =>
      depth === 0
        ? buildMessage({ from: 'origin@police.test', text: 'Original notice: remove https://deep.example.test/x' })
        : buildMessage({
            from: `fwd${depth}@b.test`,
            text: `forward ${depth}`,
            attachments: [{ fileName: 'fwd.eml', contentType: 'message/rfc822', content: nest(depth - 1) }],
          });
    const shallow = await reader.read(nest(2));
    expect(shallow.reading).toContain('https://deep.example.test/x');
    const deep = await reader.read(nest(6));
    expect(deep.flags).toContain('NESTED_TOO_DEEP');
  });

  it('repairs mojibake, reads unknown charsets as far as it can, and reads HTML-only mail', async () => {
    expect(repairMojibake('To whom it may concernï¼Œ').text).toBe('To whom it may concern，');
    expect(repairMojibake('Año de José, café').repaired).toBe(false);
    const mojibake = await reader.read(
      Buffer.from('From: a@b.test\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nconcern\u00c3\u00a9 ok', 'utf8'),
    );
    expect(mojibake.flags).toContain('MOJIBAKE_REPAIRED');
    expect(mojibake.reading).toContain('concerné');
    const unknown = await reader.read(Buffer.from('From: a@b.test\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\nqapla', 'latin1'));
    expect(unknown.flags).toContain('CHARSET_PROBLEM');
    const html = await reader.read(buildMessage({ from: 'a@b.test', html: '<p>Please <b>remove</b> https://html.example.test/p</p>' }));
    expect(html.flags).toContain('HTML_ONLY');
    expect(html.reading).toContain('https://html.example.test/p');
  });

  it('never throws, whatever the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 4000 }),
        fc.constantFrom(
          '',
          'From: a@b.test\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n',
          'Content-Type: message/rfc822\r\n\r\n',
        ),
        async (bytes, head) => {
          const read = await reader.read(Buffer.concat([Buffer.from(head), Buffer.from(bytes)]));
          expect(typeof read.reading).toBe('string');
        },
      ),
      { numRuns: 150 },
    );
  });
});
