import { describe, expect, it } from 'vitest';
import { safeFileName, sniffDocumentType } from './documents.ts';

const bytes = (...values: number[]) => new Uint8Array(values);

describe('sniffDocumentType', () => {
  it('recognises PDF and the common image types by their magic bytes', () => {
    expect(sniffDocumentType(new TextEncoder().encode('%PDF-1.7\n...'))).toBe('application/pdf');
    expect(sniffDocumentType(new TextEncoder().encode('\r\n\r\n%PDF-1.4'))).toBe('application/pdf');
    expect(sniffDocumentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffDocumentType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffDocumentType(bytes(0x49, 0x49, 0x2a, 0x00))).toBe('image/tiff');
    expect(sniffDocumentType(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
  });

  it('refuses everything else, whatever the file is called', () => {
    expect(sniffDocumentType(new TextEncoder().encode('MZ\x90\0'))).toBeUndefined();
    expect(sniffDocumentType(bytes(0x50, 0x4b, 0x03, 0x04))).toBeUndefined(); // zip
    expect(sniffDocumentType(new TextEncoder().encode('<html><body>%PD'))).toBeUndefined();
    expect(sniffDocumentType(new Uint8Array())).toBeUndefined();
  });
});

describe('safeFileName', () => {
  it('keeps the base name and drops paths and control characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\x\\warrant.pdf')).toBe('warrant.pdf');
    expect(safeFileName('a\u0000b\nc.pdf')).toBe('abc.pdf');
    expect(safeFileName(undefined)).toBe('document');
  });
});
