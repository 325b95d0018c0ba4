/**
 * JSON Lines from the CSV PostgreSQL's `COPY … TO STDOUT WITH (FORMAT csv, HEADER true)` writes, in a stream: the
 * database encodes each row once (the same work as the benchmark's floor) and Writ derives the second file from the
 * first, byte for byte what `JSON.stringify(record)` gives for the same row. No I/O: chunks in, chunks out.
 *
 * COPY's CSV (PostgreSQL docs, COPY, "CSV Format"): fields separated by `,`, rows by `\n`; a field is quoted with `"`
 * when it holds a delimiter, a quote, CR or LF, or is the empty string, and a quote inside is doubled; NULL is an
 * unquoted empty field. So NULL and '' stay distinct.
 */

/** How a column goes into JSON: `number` as written, `plain` (text known to need no escaping) quoted, `text` escaped. */
export type JsonColumnKind = 'number' | 'plain' | 'text';
export type JsonColumns = ReadonlyArray<readonly [name: string, kind: JsonColumnKind]>;

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const BACKSLASH = 0x5c;
const NULL_BYTES = Buffer.from('null');
const HEX = Buffer.from('0123456789abcdef');
/** JSON.stringify's short escapes for control characters; the rest are written `\u00XX`. */
const SHORT_ESCAPES: Readonly<Record<number, number>> = { 0x08: 0x62, 0x09: 0x74, 0x0a: 0x6e, 0x0c: 0x66, 0x0d: 0x72 };

export class CsvToJsonLines {
  private readonly kinds: readonly JsonColumnKind[];
  /** `{"a":` then `,"b":` … as bytes, one per column. */
  private readonly prefixes: readonly Buffer[];
  private readonly rowOverhead: number;
  private headerSkipped = false;
  private leftover: Buffer = Buffer.alloc(0);
  /** Where rows are written, reused; what is returned is a copy of the part written, sized to it. */
  private out: Buffer = Buffer.alloc(0);

  constructor(columns: JsonColumns) {
    if (columns.length === 0) throw new Error('at least one column');
    this.kinds = columns.map(([, kind]) => kind);
    this.prefixes = columns.map(([name], index) => Buffer.from(`${index === 0 ? '{' : ','}${JSON.stringify(name)}:`));
    this.rowOverhead = this.prefixes.reduce((sum, prefix) => sum + prefix.length + NULL_BYTES.length + 2, 2);
  }

  /** The JSON Lines of every row the chunk completes (a row cut by the chunk's end waits for the next chunk). */
  push(chunk: Uint8Array): Buffer {
    const input = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const carried = this.leftover;
    this.reserve(carried.length + input.length);
    if (carried.length === 0) return this.emit(this.convert(input, false, 0));
    // The row the last chunk cut is joined with just enough of this chunk's start to end it; the rest of the chunk is
    // read where it is, not copied. `carried` holds no whole row, so either some of the chunk ends it or none does.
    for (let take = Math.min(input.length, Math.max(carried.length, 1024)); ; take = Math.min(input.length, take * 2)) {
      const joined = Buffer.concat([carried, input.subarray(0, take)]);
      const position = this.convert(joined, false, 0);
      if (take === input.length) return this.emit(position);
      const consumed = joined.length - this.leftover.length;
      if (consumed > carried.length) return this.emit(this.convert(input.subarray(consumed - carried.length), false, position));
    }
  }

  /** What is left at the end of the stream: a last row without its line end, if any. */
  end(): Buffer {
    const input = this.leftover;
    this.leftover = Buffer.alloc(0);
    if (input.length === 0) return Buffer.alloc(0);
    const last = Buffer.concat([input, Buffer.from([LF])]);
    this.reserve(last.length);
    return this.emit(this.convert(last, true, 0));
  }

  /** Room in the scratch buffer for the rows of `bytes` bytes of CSV, however they are cut. */
  private reserve(bytes: number): void {
    // Worst case: every byte a control character (6 bytes escaped), and every row as short as its commas allow.
    const need = bytes * 6 + (Math.ceil(bytes / this.kinds.length) + 2) * this.rowOverhead;
    if (this.out.length < need) this.out = Buffer.allocUnsafe(need);
  }

  /** The rows written so far, as a buffer of their own (the scratch is written over by the next chunk). */
  private emit(position: number): Buffer {
    return Buffer.from(this.out.subarray(0, position));
  }

  /**
   * Writes the JSON Lines of the rows `input` completes into the scratch from `start`, keeps what follows the last of
   * them as the leftover, and returns where the writing ended.
   */
  private convert(input: Buffer, final: boolean, start: number): number {
    const out = this.out;
    const kinds = this.kinds;
    const columns = kinds.length;
    let position = start;
    let at = 0;
    let rowStart = 0;
    const length = input.length;
    rows: while (at < length) {
      rowStart = at;
      const outRowStart = position;
      if (!this.headerSkipped) {
        // The header: skip to the end of its line (column names here are plain, but quotes are honoured anyway).
        let quoted = false;
        for (;;) {
          if (at >= length) break rows;
          const byte = input[at++];
          if (byte === QUOTE) quoted = !quoted;
          else if (byte === LF && !quoted) break;
        }
        this.headerSkipped = true;
        rowStart = at;
        continue;
      }
      for (let column = 0; column < columns; column += 1) {
        const prefix = this.prefixes[column] as Buffer;
        position = copyInto(out, position, prefix, 0, prefix.length);
        const kind = kinds[column];
        if (at >= length) {
          position = outRowStart;
          break rows;
        }
        if (input[at] === QUOTE) {
          // A quoted field: `""` is one quote; it ends at a quote not followed by another.
          at += 1;
          if (kind !== 'number') out[position++] = QUOTE;
          for (;;) {
            if (at >= length) {
              position = outRowStart;
              break rows;
            }
            const byte = input[at++] as number;
            if (byte === QUOTE) {
              if (at >= length) {
                position = outRowStart;
                break rows;
              }
              if (input[at] === QUOTE) {
                at += 1;
                position = kind === 'text' ? escapeByte(out, position, QUOTE) : put(out, position, QUOTE);
                continue;
              }
              break;
            }
            position = kind === 'text' ? escapeByte(out, position, byte) : put(out, position, byte);
          }
          if (kind !== 'number') out[position++] = QUOTE;
        } else {
          // Unquoted: up to the next comma or line end; empty means NULL. Noting on the way whether it needs escaping.
          const start = at;
          let escape = false;
          while (at < length) {
            const byte = input[at] as number;
            if (byte === COMMA || byte === LF || byte === CR) break;
            if (byte < 0x20 || byte === BACKSLASH || byte === QUOTE) escape = true;
            at += 1;
          }
          if (at >= length) {
            position = outRowStart;
            break rows;
          }
          if (at === start) {
            position = copyInto(out, position, NULL_BYTES, 0, NULL_BYTES.length);
          } else if (kind === 'number') {
            position = copyInto(out, position, input, start, at);
          } else {
            out[position++] = QUOTE;
            if (kind === 'plain' || !escape) position = copyInto(out, position, input, start, at);
            else for (let index = start; index < at; index += 1) position = escapeByte(out, position, input[index] as number);
            out[position++] = QUOTE;
          }
        }
        // After a field: a comma before the next one, a line end after the last.
        if (at >= length) {
          position = outRowStart;
          break rows;
        }
        const separator = input[at];
        if (column < columns - 1) {
          if (separator !== COMMA) throw new Error('a CSV row has fewer fields than the columns given');
          at += 1;
        } else {
          if (separator === CR) at += 1;
          if (at >= length) {
            position = outRowStart;
            break rows;
          }
          if (input[at] !== LF) throw new Error('a CSV row has more fields than the columns given');
          at += 1;
        }
      }
      out[position++] = 0x7d; // }
      out[position++] = LF;
      rowStart = at;
    }
    this.leftover = Buffer.from(input.subarray(rowStart));
    if (final && this.leftover.length > 0) throw new Error('the CSV ends inside a quoted field');
    return position;
  }
}

/**
 * `source[start, end)` written at `position`: byte by byte when short, as most fields are (a call into Buffer#copy
 * costs more than copying a few dozen bytes), with Buffer#copy when long.
 */
function copyInto(out: Buffer, position: number, source: Buffer, start: number, end: number): number {
  if (end - start > 64) return position + source.copy(out, position, start, end);
  for (let index = start; index < end; index += 1) out[position++] = source[index] as number;
  return position;
}

function put(out: Buffer, position: number, byte: number): number {
  out[position] = byte;
  return position + 1;
}

/** One byte of UTF-8 text as JSON.stringify writes it: `"` and `\` escaped, control characters too, the rest as is. */
function escapeByte(out: Buffer, position: number, byte: number): number {
  if (byte === QUOTE || byte === BACKSLASH) {
    out[position] = BACKSLASH;
    out[position + 1] = byte;
    return position + 2;
  }
  if (byte < 0x20) {
    out[position] = BACKSLASH;
    const short = SHORT_ESCAPES[byte];
    if (short !== undefined) {
      out[position + 1] = short;
      return position + 2;
    }
    out[position + 1] = 0x75; // u
    out[position + 2] = 0x30;
    out[position + 3] = 0x30;
    out[position + 4] = HEX[byte >> 4] as number;
    out[position + 5] = HEX[byte & 15] as number;
    return position + 6;
  }
  out[position] = byte;
  return position + 1;
}
