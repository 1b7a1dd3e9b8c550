// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = builtinModules.flatMap((m) => [m, `node:${m}`]);

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries.
const forbiddenInWorkflows = [
  ...nodeBuiltins,
  'got',
  'pino',
  'pino-pretty',
  'fastify',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];

// Every module a workflow imports is evaluated again for each open workflow (test/workflow-bundle-size.test.ts):
// validation, dates, documents and XML belong to the commands and activities around a workflow.
const heavyInWorkflows = ['zod', 'date-fns', '@date-fns/tz', 'pdfkit', 'fontkit', 'dejavu-fonts-ttf', '@xmldom/xmldom', 'ajv', 'ajv-formats', 'yaml', 'js-yaml'];
/** @param {string} name */
const escaped = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.temporal/**', 'coverage/**', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
      // Fastify handlers are async by convention, with or without an await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Jest's asymmetric matchers (expect.stringContaining, expect.any) are typed `any`.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: forbiddenInWorkflows.map((name) => ({
            name,
            message: 'Workflow code must stay deterministic: do I/O in an activity instead.',
          })),
          patterns: [
            {
              group: ['**/activities', '**/activities/*', '**/adapters/**', '**/emulators/**', '**/config/**', '**/logging/**'],
              message: 'Workflows may import activity types only (import type), never I/O code.',
              allowTypeImports: true,
            },
            {
              // The package and any of its subpaths (date-fns/format, zod/v4).
              regex: `^(${heavyInWorkflows.map(escaped).join('|')})(/.*)?$`,
              message: 'Every open workflow evaluates this library again: validate and format in the command or an activity (import type is fine).',
              allowTypeImports: true,
            },
            {
              group: ['**/domain/ehf', '**/domain/ehf/**', '**/documents', '**/documents/**'],
              message: 'Every open workflow evaluates this code again: build and check documents in an activity (import type is fine).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.concat(['got', 'pino', 'fastify']).map((name) => ({
            name,
            message: 'domain/ is pure Norwegian-invoicing logic: no I/O.',
          })),
        },
      ],
    },
  },
);
