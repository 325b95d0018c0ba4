/**
 * Layout-insensitive extraction: every notice of every evaluation set, its prose paragraphs rewrapped at several
 * widths and run into one long line, gives the same targets and the same date range as the notice as written.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { extractFields } from '../../src/intake/extract.ts';

const root = path.resolve(import.meta.dirname, '../..');
const folders = [
  path.join(root, 'test', 'fixtures', 'intake-eval'),
  path.join(root, 'test', 'fixtures', 'intake-heldout'),
  process.env.WRIT_INTAKE_EVAL_SHARED ?? path.resolve(root, '..', '..', 'shared', 'data', 'requests-dev'),
  path.resolve(root, '..', 'shared', 'data', 'requests-dev'),
].filter((folder, index, all) => existsSync(folder) && all.indexOf(folder) === index);

/** A paragraph of prose: no list item, label or heading, and at least one long line. */
const isProse = (lines: readonly string[]) =>
  lines.some((line) => line.length >= 60) &&
  lines.every((line) => !/^\s*(?:[-*•·▪–>]|\d{1,3}[.)]\s|\(\w{1,3}\)|[\p{L}][\p{L}\p{N} ./'’()-]{0,40}[:：])/u.test(line));

function rewrap(text: string, width: number): string {
  return text
    .split(/\n\n/)
    .map((paragraph) => {
      const lines = paragraph.split('\n');
      if (!isProse(lines)) return paragraph;
      const words = lines.join(' ').split(/ +/);
      if (!Number.isFinite(width)) return words.join(' ');
      const out: string[] = [];
      let line = '';
      for (const word of words) {
        if (line !== '' && line.length + 1 + word.length > width) {
          out.push(line);
          line = word;
        } else line = line === '' ? word : `${line} ${word}`;
      }
      if (line !== '') out.push(line);
      return out.join('\n');
    })
    .join('\n\n');
}

const summary = (text: string) => {
  const fields = extractFields(text);
  return {
    targets: Object.fromEntries(Object.entries(fields.targets).map(([kind, list]) => [kind, list.map((entry) => entry.value).sort()])),
    range: fields.dateRange?.value ?? null,
  };
};

it('gives the same targets and range however a notice is wrapped', () => {
  let notices = 0;
  const differences: string[] = [];
  for (const folder of folders) {
    for (const file of readdirSync(folder).filter((name) => name.endsWith('.txt'))) {
      const text = readFileSync(path.join(folder, file), 'utf8').replace(/\r\n?/g, '\n');
      const expected = summary(text);
      for (const width of [40, 72, 100, Number.POSITIVE_INFINITY]) {
        const got = summary(rewrap(text, width));
        if (JSON.stringify(got) !== JSON.stringify(expected))
          differences.push(`${file} at width ${width}: ${JSON.stringify(got)} instead of ${JSON.stringify(expected)}`);
      }
      notices += 1;
    }
  }
  expect(differences).toEqual([]);
  expect(notices).toBeGreaterThan(20);
}, 120_000);
