// Bundles each bin into one ESM file. Workspace packages are bundled from source;
// every npm dependency stays external so native addons (better-sqlite3, argon2) load normally.
import { build } from 'esbuild';
import { chmodSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quiet = process.argv.includes('--quiet');

const externalNpm = {
  name: 'external-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@annuaire/') ? undefined : { path: args.path, external: true },
    );
  },
};

const bins = [
  { entry: 'packages/server/src/cli.ts', out: 'packages/server/dist/cli.js' },
  { entry: 'packages/tui/src/cli.tsx', out: 'packages/tui/dist/cli.js' },
];

for (const { entry, out } of bins) {
  if (!existsSync(root + entry)) continue; // a package not written yet
  await build({
    entryPoints: [root + entry],
    outfile: root + out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    jsx: 'automatic',
    sourcemap: true,
    banner: { js: '#!/usr/bin/env node' },
    plugins: [externalNpm],
    logLevel: quiet ? 'error' : 'warning',
  });
  chmodSync(root + out, 0o755);
}
if (!quiet) console.error('built: ' + bins.map((b) => b.out).join(', '));
