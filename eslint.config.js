// ESLint with typescript-eslint's type-aware rules (they know a value's type: a promise left
// floating, an async callback where a plain one is expected, an `any` leaking out of a parser).
// Prettier owns the layout (eslint-config-prettier turns off the rules it would fight).
// `npm run lint` checks both; `npm run format` rewrites the layout.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a callback's shape, a rest's sibling).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // The text escapes (src/core/text/safe.ts), the CSV sniffing, the terminal's input parser and
      // the tests of all three match control characters on purpose: that is their job.
      'no-control-regex': 'off',
      // A binding read in a closure before its one assignment (an Ink instance, a front end wired
      // after the run it serves) cannot be const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // Command tables, hooks and deciders pass this-free functions around as values; the rule
      // cannot tell them from methods that need their object.
      '@typescript-eslint/unbound-method': 'off',
      // `new Array(n).fill(…)`, `Array.from` and `new Map()` are typed by the declaration they are
      // assigned to; the `any` this rule sees there is the library's. The other no-unsafe rules stay.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  // The test runner's own config is outside the TypeScript project.
  { files: ['vitest.config.ts'], ...tseslint.configs.disableTypeChecked },
  {
    // Tests read parsed JSON and NDJSON freely: what they check is the value, not its static type.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  prettier,
);
