// ESLint over every TypeScript and JavaScript source: the recommended rules of @eslint/js and typescript-eslint,
// React's hook rules for the webviews, and the house rules below. Type-aware rules are off: they need a full type
// check per run, which `npm run typecheck` already does.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import * as espree from 'espree';

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'out/', '.cache/', '.venv/', '.brightrun/', 'artifacts/', 'bench/.data/', 'python/', 'schemas/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: {
        // Node (extension host, CLI, scripts, tests) and the browser (webviews) both run this code.
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        queueMicrotask: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        fetch: 'readonly',
        __dirname: 'readonly',
        __filename: 'readonly',
        require: 'readonly',
        module: 'writable',
      },
    },
    rules: {
      // `_`-prefixed names are deliberately unused (a callback's leading parameters, a destructured rest's siblings).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // An empty catch must say why in a comment; an empty catch with a comment is allowed.
      'no-empty': ['error', { allowEmptyCatch: false }],
      // `import { z } from 'zod'` pulls every zod locale into the bundles; `import * as z from 'zod'` does not, and
      // type-only imports cost nothing. (no-restricted-imports cannot say this: with importNames it also rejects the
      // namespace import, the house form.)
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'][importKind!='type'] > ImportSpecifier[imported.name='z'][importKind!='type']",
          message: "Use `import * as z from 'zod'`: the named import pulls every zod locale into the bundle.",
        },
      ],
    },
  },
  {
    // CommonJS on purpose: loaded with require() where VS Code's extension host does (the activation bench).
    files: ['**/*.cjs'],
    languageOptions: { parser: espree, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['webview/**/*.{ts,tsx}', 'test/webview/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
);
