/**
 * Encoding records in PostgreSQL itself: `COPY (<select>) TO STDOUT` streams the CSV, and the JSON Lines are derived
 * from that CSV as it passes (core/csv-json-lines.ts). The database encodes each row once, exactly as
 * `psql \copy … | sha256sum` would, and Writ's process does the rest on the other core. Far faster than turning each
 * row into objects here, and faster than a second COPY for the JSON (which doubled the database's work).
 */
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { CsvToJsonLines, type JsonColumns } from '../../core/csv-json-lines.ts';
import type { EncodedRecords } from '../../core/ports.ts';

/**
 * A SELECT to encode, with how each of its columns goes into JSON: `number` and `plain` (text known to need no JSON
 * escaping: ISO instants, IP addresses) are written as they are, `text` escaped as JSON.stringify does.
 */
export interface EncodableSelect {
  readonly select: string;
  readonly columns: JsonColumns;
  /**
   * An index gives the rows in the SELECT's order: tell the planner random reads are cheap (as on SSDs), so it walks
   * that index instead of reading the whole table and sorting it.
   */
  readonly indexOrdered?: boolean;
}

export interface CopyEncoder {
  /** Both encodings of a SELECT whose values are written into it (COPY takes no parameters). */
  encode(query: EncodableSelect): Promise<EncodedRecords>;
  close(): Promise<void>;
}

const BLOCK = 256 * 1024;

export function copyEncoder(url: string): CopyEncoder {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => undefined);

  const stream = (client: pg.PoolClient, statement: string): AsyncIterable<Buffer> =>
    (async function* () {
      let committed = false;
      try {
        // pg-copy-streams hands on each read from the socket as one buffer (the rows in it joined): passed on as is.
        // A few blocks of read-ahead: the server keeps sending while this process converts, hashes and writes a block.
        yield* client.query(copyTo(statement, { highWaterMark: 4 * BLOCK })) as AsyncIterable<Buffer>;
        await client.query('COMMIT');
        committed = true;
      } finally {
        if (!committed) await client.query('ROLLBACK').catch(() => undefined);
        client.release(!committed);
      }
    })();

  return {
    async encode({ select, columns, indexOrdered }) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN READ ONLY');
        // Writ's own process needs the other core for the JSON Lines, the hashing and the files: no parallel workers.
        await client.query('SET LOCAL max_parallel_workers_per_gather = 0');
        if (indexOrdered) await client.query('SET LOCAL random_page_cost = 1.1');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release(true);
        throw error;
      }
      const converter = new CsvToJsonLines(columns);
      return teeEncodings(
        stream(client, `COPY (${select}) TO STDOUT WITH (FORMAT csv, HEADER true)`),
        (chunk) => converter.push(chunk),
        () => converter.end(),
      );
    },
    close: () => pool.end(),
  };
}

/** How many blocks one side may be ahead of the other before it waits: a few, so memory stays flat. */
const AHEAD = 4;

/**
 * One CSV source read once, as two streams: the CSV itself and the JSON Lines derived from each chunk. Whichever side
 * asks first reads the source, until it is `AHEAD` blocks ahead of the other; then it waits for the other to catch up.
 * Both must therefore be read at once (the bag writer writes both files side by side). Leaving either early stops the
 * source.
 */
export function teeEncodings(source: AsyncIterable<Buffer>, derive: (chunk: Buffer) => Buffer, finish: () => Buffer): EncodedRecords {
  const iterator = source[Symbol.asyncIterator]();
  const queues: [Buffer[], Buffer[]] = [[], []];
  let done = false;
  let failure: { error: unknown } | undefined;
  let reading: Promise<void> | undefined;
  /** Wakes a side waiting for the other to take what it has queued. */
  let caughtUp: (() => void) | undefined;
  const read = (): Promise<void> =>
    (reading ??= (async () => {
      try {
        const next = await iterator.next();
        if (next.done) {
          const tail = finish();
          if (tail.length > 0) queues[1].push(tail);
          done = true;
        } else {
          queues[0].push(next.value);
          queues[1].push(derive(next.value));
        }
      } catch (error) {
        failure = { error };
        done = true;
      } finally {
        reading = undefined;
      }
    })());
  const side = (index: 0 | 1): AsyncIterable<Uint8Array> =>
    (async function* () {
      const other = queues[index === 0 ? 1 : 0];
      let finished = false;
      try {
        for (;;) {
          const chunk = queues[index].shift();
          if (chunk) {
            caughtUp?.();
            if (chunk.length > 0) yield chunk;
            continue;
          }
          if (failure) throw failure.error;
          if (done) {
            finished = true;
            return;
          }
          if (other.length >= AHEAD) {
            await new Promise<void>((resolve) => (caughtUp = resolve));
            caughtUp = undefined;
            continue;
          }
          await read();
        }
      } finally {
        if (!finished && !done) {
          done = true;
          caughtUp?.();
          await iterator.return?.();
        }
      }
    })();
  return { csv: side(0), jsonl: side(1) };
}
