import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvLine } from './bag.ts';
import { CsvToJsonLines, type JsonColumns } from './csv-json-lines.ts';

const COLUMNS: JsonColumns = [
  ['at', 'plain'],
  ['port', 'number'],
  ['user_agent', 'text'],
  ['note', 'text'],
];

type Row = { at: string | null; port: number | null; user_agent: string | null; note: string | null };

/** Converts the CSV of `rows` cut at the given places, as a stream would deliver it. */
function convert(columns: JsonColumns, csv: Buffer, cuts: readonly number[]): string {
  const converter = new CsvToJsonLines(columns);
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts.map((cut) => Math.min(cut, csv.length)))].sort((a, b) => a - b)) {
    parts.push(converter.push(csv.subarray(from, cut)));
    from = cut;
  }
  parts.push(converter.push(csv.subarray(from)), converter.end());
  return Buffer.concat(parts).toString('utf8');
}

const csvOf = (columns: JsonColumns, rows: readonly Record<string, unknown>[]): Buffer =>
  Buffer.from(csvLine(columns.map(([name]) => name)) + rows.map((row) => csvLine(columns.map(([name]) => row[name]))).join(''));

describe('JSON Lines from COPY CSV', () => {
  it('writes what JSON.stringify writes, wherever the stream is cut', () => {
    const text = fc.option(fc.string({ unit: 'grapheme', maxLength: 12 }), { nil: null });
    const awkward = fc.option(
      fc.constantFrom('', '"', '""', ',', '\n', '\r\n', '\\', '\u0000\u001f\u0007\b\f\t', 'a,"b"\nc', '한국어 ✓ 😀'),
      {
        nil: null,
      },
    );
    const row = fc.record({
      at: fc.option(fc.constantFrom('2026-11-02T03:04:05.678Z', '2026-01-01T00:00:00.000Z'), { nil: null }),
      port: fc.option(fc.integer({ min: 0, max: 65_535 }), { nil: null }),
      user_agent: fc.oneof(text, awkward),
      note: fc.oneof(awkward, text),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), fc.array(fc.nat({ max: 2_000 }), { maxLength: 12 }), (rows: Row[], cuts) => {
        const csv = csvOf(COLUMNS, rows);
        expect(convert(COLUMNS, csv, cuts)).toBe(rows.map((each) => `${JSON.stringify(each)}\n`).join(''));
      }),
      { numRuns: 500 },
    );
  });

  it('reads long chunks in place after the row the last one cut, however long that row is', () => {
    // Chunks of kilobytes, rows of up to a few kilobytes: the carried row is ended from the chunk's start, growing the
    // part joined to it until the row ends, and the rest is read where it is.
    const long = fc.option(fc.string({ unit: 'grapheme', maxLength: 3_000 }), { nil: null });
    const row = fc.record({
      at: fc.constant('2026-11-02T03:04:05.678Z'),
      port: fc.option(fc.integer({ min: 0, max: 65_535 }), { nil: null }),
      user_agent: fc.oneof(long, fc.constantFrom('a,"b"\nc', '\\', '')),
      note: fc.option(fc.string({ maxLength: 40 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 20, maxLength: 200 }),
        fc.array(fc.nat({ max: 200_000 }), { maxLength: 20 }),
        (rows: Row[], cuts) => {
          const csv = csvOf(COLUMNS, rows);
          expect(convert(COLUMNS, csv, cuts)).toBe(rows.map((each) => `${JSON.stringify(each)}\n`).join(''));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('tells NULL (an empty field) from the empty string (a quoted one)', () => {
    const csv = Buffer.from('at,port,user_agent,note\n,,"",\n');
    expect(convert(COLUMNS, csv, [])).toBe('{"at":null,"port":null,"user_agent":"","note":null}\n');
  });

  it('takes a last row without its line end, and refuses rows of the wrong width', () => {
    expect(convert(COLUMNS, Buffer.from('h\nx,1,a,b'), [])).toBe('{"at":"x","port":1,"user_agent":"a","note":"b"}\n');
    expect(() => convert(COLUMNS, Buffer.from('h\nx,1,a\n'), [])).toThrow(/fewer fields/);
    expect(() => convert(COLUMNS, Buffer.from('h\nx,1,a,b,c\n'), [])).toThrow(/more fields/);
    expect(() => convert(COLUMNS, Buffer.from('h\nx,1,a,"b\n'), [])).toThrow(/quoted field/);
  });

  it('skips the header even when it arrives a byte at a time', () => {
    const csv = csvOf(COLUMNS, [{ at: 'a', port: 2, user_agent: 'u', note: 'n' }]);
    const cuts = Array.from({ length: csv.length }, (_, index) => index);
    expect(convert(COLUMNS, csv, cuts)).toBe('{"at":"a","port":2,"user_agent":"u","note":"n"}\n');
  });
});
