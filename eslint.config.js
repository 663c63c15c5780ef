// @ts-check
import comments from '@eslint-community/eslint-plugin-eslint-comments/configs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** Relative imports that climb out of a package into another: import it by name instead. */
const otherPackages = (/** @type {string[]} */ ...names) => ({
  regex: `^(\\.\\./)+(packages/)?(${names.join('|')})(/|$)`,
  message: 'Import another package by its name (@annuaire/…), not by a relative path.',
});
/** Deep imports into a package's files: what its package.json exports is its interface. */
const deepImport = {
  group: ['@annuaire/*/**', '!@annuaire/server/bench'],
  message: 'Import what the package exports (@annuaire/name, or a subpath its package.json exports), not its files.',
};
const boundaries = (/** @type {string[]} */ ...names) => ({
  'no-restricted-imports': ['error', { patterns: [deepImport, ...(names.length > 0 ? [otherPackages(...names)] : [])] }],
});

export default tseslint.config(
  { ignores: ['**/node_modules/', '**/dist/', 'data/', 'examples/'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  comments.recommended,
  {
    rules: {
      // Every eslint-disable says why, after « -- » on the same line.
      '@eslint-community/eslint-comments/require-description': 'error',
      '@eslint-community/eslint-comments/disable-enable-pair': ['error', { allowWholeFile: false }],
      // `catch {}` is how this code says "ignore": an empty catch, not an empty if.
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A leading underscore names what is left out on purpose (a destructured field dropped, say).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  { files: ['**/*.{js,mjs}'], languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } } },
  { files: ['packages/tui/**/*.{ts,tsx}'], ...reactHooks.configs.flat.recommended },
  {
    // The key queue is React state on purpose: a layout effect hands one key to the handlers and
    // drops it from the queue, so the next key sees the commit the previous one caused.
    files: ['packages/tui/src/hooks/useKeypress.tsx'],
    rules: { 'react-hooks/set-state-in-effect': 'off' },
  },
  { files: ['packages/protocol/**'], rules: boundaries('server', 'tui', 'test-utils') },
  { files: ['packages/server/**'], rules: boundaries('protocol', 'tui', 'test-utils') },
  { files: ['packages/tui/**'], rules: boundaries('protocol', 'server', 'test-utils') },
  { files: ['packages/test-utils/**'], rules: boundaries('protocol', 'server', 'tui') },
  { files: ['bench/**'], rules: boundaries('protocol', 'server', 'tui', 'test-utils') },
  { files: ['scripts/**', '*.{js,ts}'], rules: boundaries() },
);
