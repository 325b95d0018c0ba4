/** Writes docs/facts.schema.json: the facts model and the stated-facts input, as JSON Schema (`npm run docs:facts`). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { factsJsonSchema } from '../src/core/review/facts.ts';

const file = path.resolve(import.meta.dirname, '../docs/facts.schema.json');
writeFileSync(file, `${JSON.stringify(factsJsonSchema(), null, 2)}\n`);
