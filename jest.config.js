/** Jest runs TypeScript through SWC; type checking is `npm run typecheck` (tsc). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  // Starting a Temporal dev server and bundling workflows takes seconds, not milliseconds.
  testTimeout: 120_000,
  // Each integration test file owns its own Temporal server; run them one after another.
  maxWorkers: 1,
};
