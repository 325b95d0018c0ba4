import { describe, expect, it } from 'vitest';
import { documentFileName, refusedSignature, safeFileName, sniffDocumentType } from './documents.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (value: string) => new TextEncoder().encode(value);

/** A DOS/Windows program with a PDF header at 0x200, as the red team built it. */
const polyglot = (): Uint8Array => {
  const file = new Uint8Array(0x400);
  file.set(text('MZ\x90\0'), 0);
  file.set(text('%PDF-1.7\n'), 0x200);
  return file;
};

describe('sniffDocumentType', () => {
  it('recognises PDF and the common image types by the signature at their start', () => {
    expect(sniffDocumentType(text('%PDF-1.7\n...'))).toBe('application/pdf');
    expect(sniffDocumentType(text('\r\n\r\n%PDF-1.4'))).toBe('application/pdf');
    expect(sniffDocumentType(new Uint8Array([0xef, 0xbb, 0xbf, ...text('%PDF-2.0')]))).toBe('application/pdf');
    expect(sniffDocumentType(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffDocumentType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffDocumentType(bytes(0x49, 0x49, 0x2a, 0x00))).toBe('image/tiff');
    expect(sniffDocumentType(text('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(sniffDocumentType(text('GIF89a'))).toBe('image/gif');
  });

  it('refuses everything else, whatever the file is called', () => {
    expect(sniffDocumentType(text('MZ\x90\0'))).toBeUndefined();
    expect(sniffDocumentType(bytes(0x50, 0x4b, 0x03, 0x04))).toBeUndefined(); // zip
    expect(sniffDocumentType(text('<html><body>%PD'))).toBeUndefined();
    expect(sniffDocumentType(new Uint8Array())).toBeUndefined();
  });

  it('does not look for a PDF header past the white space a PDF may start with', () => {
    expect(sniffDocumentType(polyglot())).toBeUndefined();
    expect(sniffDocumentType(text(`${' '.repeat(17)}%PDF-1.4`))).toBeUndefined();
    expect(sniffDocumentType(text(`junk%PDF-1.4`))).toBeUndefined();
    expect(sniffDocumentType(text(`${' '.repeat(16)}%PDF-1.4`))).toBe('application/pdf');
  });
});

describe('refusedSignature', () => {
  it('names programs and archives by their first bytes, after white space too', () => {
    expect(refusedSignature(polyglot())).toMatch(/MZ/);
    expect(refusedSignature(bytes(0x7f, 0x45, 0x4c, 0x46, 2))).toMatch(/ELF/);
    expect(refusedSignature(bytes(0xcf, 0xfa, 0xed, 0xfe))).toMatch(/Mach-O/);
    expect(refusedSignature(text('#!/bin/sh\n%PDF-1.4'))).toMatch(/script/);
    expect(refusedSignature(text('\n\nPK\x03\x04'))).toMatch(/ZIP/);
    expect(refusedSignature(text('Rar!\x1a\x07\0'))).toMatch(/RAR/);
    expect(refusedSignature(bytes(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c))).toMatch(/7-Zip/);
    expect(refusedSignature(bytes(0x1f, 0x8b, 8))).toMatch(/gzip/);
    const tar = new Uint8Array(512);
    tar.set(text('ustar'), 257);
    expect(refusedSignature(tar)).toMatch(/tar/);
  });

  it('lets documents through', () => {
    expect(refusedSignature(text('%PDF-1.7\n'))).toBeUndefined();
    expect(refusedSignature(bytes(0xff, 0xd8, 0xff, 0xe0))).toBeUndefined();
  });
});

describe('safeFileName', () => {
  it('keeps the base name and drops paths and control characters', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\x\\warrant.pdf')).toBe('warrant.pdf');
    expect(safeFileName('a\u0000b\nc.pdf')).toBe('abc.pdf');
    expect(safeFileName(undefined)).toBe('document');
    expect(safeFileName('...')).toBe('document');
  });

  it('drops bidirectional overrides, isolates, marks and zero-width characters', () => {
    expect(safeFileName('warrant\u202Efdp.exe')).toBe('warrantfdp.exe');
    expect(safeFileName('a\u2066b\u2069\u200Fc\u200B\uFEFF\u061C\u0085.pdf')).toBe('abc.pdf');
  });
});

describe('documentFileName', () => {
  it('ends in the detected type’s extension, replacing another', () => {
    expect(documentFileName('warrant.exe', 'application/pdf')).toBe('warrant.pdf');
    expect(documentFileName('warrant\u202Efdp.exe', 'application/pdf')).toBe('warrantfdp.pdf');
    expect(documentFileName('warrant.PDF', 'application/pdf')).toBe('warrant.PDF');
    expect(documentFileName('scan.jpeg', 'image/jpeg')).toBe('scan.jpeg');
    expect(documentFileName('scan.png', 'image/jpeg')).toBe('scan.jpg');
    expect(documentFileName('court order 2026', 'application/pdf')).toBe('court order 2026.pdf');
    expect(documentFileName(undefined, 'image/tiff')).toBe('document.tif');
    expect(documentFileName('.exe', 'application/pdf')).toBe('exe.pdf');
  });
});
