// Prints the size of each file of the built web app (web/dist/assets), raw and gzip -9, and what a first visit loads:
// the entry script and style sheet; the rest loads only on the pages that need it. Run after `npm run build`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const folder = 'web/dist/assets';
const index = readFileSync('web/dist/index.html', 'utf8');
const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`;
const rows = readdirSync(folder)
  .map((name) => {
    const body = readFileSync(path.join(folder, name));
    return { name, raw: body.length, gzip: gzipSync(body, { level: 9 }).length, entry: index.includes(`/assets/${name}`) };
  })
  .sort((a, b) => b.raw - a.raw);
for (const row of rows)
  console.log(`${row.entry ? '*' : ' '} ${row.name.padEnd(44)} ${kB(row.raw).padStart(10)} ${kB(row.gzip).padStart(10)}`);
const first = rows.filter((row) => row.entry);
console.log(
  `first visit (* above): ${kB(first.reduce((sum, row) => sum + row.raw, 0))} raw, ${kB(first.reduce((sum, row) => sum + row.gzip, 0))} gzip`,
);
