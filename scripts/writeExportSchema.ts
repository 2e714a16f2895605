// `npm run schema`: regenerates docs/schemas/session-export.schema.json from the zod
// schemas (src/core/sessionExport.ts). A unit test fails while the checked-in file differs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sessionExportJsonSchema } from '../src/core/sessionExport';

export const SCHEMA_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'docs',
  'schemas',
  'session-export.schema.json',
);

mkdirSync(dirname(SCHEMA_FILE), { recursive: true });
writeFileSync(SCHEMA_FILE, `${JSON.stringify(sessionExportJsonSchema(), null, 2)}\n`);
console.error(`Wrote ${SCHEMA_FILE}`);
