// Bundles each bin into one ESM file. Workspace packages are bundled from source.
// The npm dependencies the bin's own package declares stay external (native addons such
// as better-sqlite3 and argon2 must load from node_modules); anything else a workspace
// package pulls in (the server's csv-parse, ical.js… inside the TUI) is bundled, so the
// TUI never has to repeat the server's dependency list.
import { build } from 'esbuild';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quiet = process.argv.includes('--quiet');

/** "@scope/name/sub" → "@scope/name"; "name/sub" → "name". */
const packageName = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

function externalDependenciesOf(packageDir) {
  const { dependencies = {} } = JSON.parse(readFileSync(root + packageDir + '/package.json', 'utf8'));
  const own = new Set(Object.keys(dependencies).filter((name) => !name.startsWith('@annuaire/')));
  return {
    name: 'external-own-dependencies',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (builtinModules.includes(args.path.replace(/^node:/, ''))) return undefined;
        return own.has(packageName(args.path)) ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

// React in production mode for the TUI: `define` settles NODE_ENV in everything bundled; React
// and Ink stay external (the TUI declares them) and choose their build from the real environment
// when they load, so the bundle's first import (a data: URL module, evaluated before any other
// import) sets NODE_ENV to production unless the user set it. The server bundle is unchanged.
// A CommonJS dependency bundled into an ESM file (iconv-lite's require('buffer'), inside the
// server the TUI embeds) needs a `require`: esbuild's shim uses one when the module has it.
const REQUIRE_FOR_COMMONJS = "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";

const PRODUCTION_FIRST = `import 'data:text/javascript,${encodeURIComponent('process.env.NODE_ENV ??= "production";')}';`;

const bins = [
  { dir: 'packages/server', entry: 'packages/server/src/cli.ts', out: 'packages/server/dist/cli.js' },
  {
    dir: 'packages/tui',
    entry: 'packages/tui/src/cli.tsx',
    out: 'packages/tui/dist/cli.js',
    define: { 'process.env.NODE_ENV': '"production"' },
    first: PRODUCTION_FIRST,
  },
];

for (const { dir, entry, out, define, first } of bins) {
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
    banner: { js: ['#!/usr/bin/env node', ...(first ? [first] : []), REQUIRE_FOR_COMMONJS].join('\n') },
    ...(define ? { define } : {}),
    plugins: [externalDependenciesOf(dir)],
    logLevel: quiet ? 'error' : 'warning',
  });
  chmodSync(root + out, 0o755);
}
if (!quiet) console.error('built: ' + bins.map((b) => b.out).join(', '));
