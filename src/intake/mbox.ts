/**
 * Messages in an mbox file (as mail clients and Google Takeout export them), one at a time without reading the file
 * whole: each starts at a line beginning "From " (the separator, dropped), and ">From " quoting (mboxrd) is undone.
 */
import { createReadStream } from 'node:fs';

const SEPARATOR = Buffer.from('\nFrom ');

function unquote(message: Buffer): Buffer {
  // mboxrd: a body line ">From " (or ">>From ") had one ">" added on the way in.
  const text = message.toString('latin1');
  return /^>+From /m.test(text) ? Buffer.from(text.replace(/^>(>*From )/gm, '$1'), 'latin1') : message;
}

function withoutSeparatorLine(message: Buffer): Buffer {
  if (!message.subarray(0, 5).equals(Buffer.from('From '))) return message;
  const end = message.indexOf(0x0a);
  return end < 0 ? Buffer.alloc(0) : message.subarray(end + 1);
}

export async function* mboxMessages(file: string): AsyncIterable<Buffer> {
  let pending = Buffer.alloc(0);
  for await (const chunk of createReadStream(file)) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    let index = pending.indexOf(SEPARATOR);
    while (index >= 0) {
      const message = withoutSeparatorLine(pending.subarray(0, index + 1));
      if (message.length > 0) yield unquote(message);
      pending = pending.subarray(index + 1);
      index = pending.indexOf(SEPARATOR, 1);
    }
  }
  const last = withoutSeparatorLine(pending);
  if (last.toString('latin1').trim() !== '') yield unquote(last);
}

/** An mbox file starts with a "From " separator line. */
export function looksLikeMbox(head: Buffer): boolean {
  return head.subarray(0, 5).equals(Buffer.from('From '));
}
