// `npm run schema`: regenerates docs/schemas/session-export.schema.json from the zod
// schemas (src/core/sessionExport.ts). A unit test fails while the checked-in file differs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { sessionExportJsonSchema } from '../src/core/sessionExport';

export const SCHEMA_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'docs',
  'schemas',
  'session-export.schema.json',
);

mkdirSync(dirname(SCHEMA_FILE), { recursive: true });
// Written as the formatter would, so `npm test`'s format check passes after a regeneration.
const json = JSON.stringify(sessionExportJsonSchema(), null, 2);
writeFileSync(
  SCHEMA_FILE,
  await prettier.format(json, { ...(await prettier.resolveConfig(SCHEMA_FILE)), parser: 'json' }),
);
console.error(`Wrote ${SCHEMA_FILE}`);
