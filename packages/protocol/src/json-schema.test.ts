import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACTION_NAMES } from './actions';
import { generateJsonSchemas, serializeSchema } from './json-schema';

const schemaDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema');

function committedFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? committedFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe('generated JSON Schema', () => {
  it('matches the committed copy (run `pnpm schema` after changing a zod schema)', () => {
    const generated = generateJsonSchemas();
    expect(committedFiles(schemaDir).sort()).toEqual(Object.keys(generated).sort());
    for (const [file, doc] of Object.entries(generated)) {
      expect(readFileSync(path.join(schemaDir, file), 'utf8'), file).toBe(serializeSchema(doc));
    }
  });

  it('describes every action, with strict params', () => {
    const generated = generateJsonSchemas();
    for (const name of ACTION_NAMES) {
      const doc = generated[`actions/${name}.json`] as { params: { additionalProperties?: unknown } };
      expect(doc.params.additionalProperties, name).toBe(false);
    }
  });
});
