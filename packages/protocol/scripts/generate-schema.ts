// Writes packages/protocol/schema/ from the zod schemas: `pnpm schema`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateJsonSchemas, serializeSchema } from '../src/json-schema';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema');
rmSync(out, { recursive: true, force: true });
for (const [file, doc] of Object.entries(generateJsonSchemas())) {
  const target = path.join(out, file);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, serializeSchema(doc));
}
console.log(`wrote ${out}`);
