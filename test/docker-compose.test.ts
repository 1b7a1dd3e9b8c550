import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { allSearchAttributes } from '../workflows/search-attributes';

const root = path.resolve(__dirname, '..');
const composeFile = path.join(root, 'docker-compose.yml');
const envExample = path.join(root, 'deploy', '.env.example');
const requiredServices = ['postgresql', 'temporal', 'temporal-ui', 'worker'];

/** True when a docker client with the compose plugin is on PATH (no engine needed for `config`). */
function dockerComposeAvailable(): boolean {
  const probe = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8', timeout: 30_000 });
  return probe.error === undefined && probe.status === 0;
}

function dockerCompose(args: string[]): string {
  return execFileSync('docker', ['compose', '-f', composeFile, ...args], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
}

/** Replaces ${VAR:-default} / ${VAR-default} by the default and ${VAR} / ${VAR:?msg} by nothing. */
function withDefaults(text: string): string {
  return text.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?(?::?\?[^}]*)?\}/g, (_match, fallback?: string) => fallback ?? '');
}

/** The `image:` values of uncommented lines, with interpolation defaults applied. */
function imageReferences(composeText: string): string[] {
  const images: string[] = [];
  for (const match of composeText.matchAll(/^[ \t]*image:[ \t]*(\S+)[ \t]*$/gm)) {
    const raw = match[1];
    if (raw !== undefined) images.push(withDefaults(raw.replace(/^["']|["']$/g, '')));
  }
  return images;
}

/** The explicit tag of an image reference (`repo/name:tag[@digest]`), or undefined if it has none. */
function imageTag(reference: string): string | undefined {
  const withoutDigest = reference.split('@')[0] ?? '';
  const nameStart = withoutDigest.lastIndexOf('/') + 1;
  const colon = withoutDigest.indexOf(':', nameStart);
  return colon === -1 ? undefined : withoutDigest.slice(colon + 1);
}

function unpinnedImages(images: string[]): string[] {
  return images.filter((image) => {
    const tag = imageTag(image);
    return tag === undefined || tag === '' || tag === 'latest' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag);
  });
}

/** "ClientId=Keyword InvoiceNo=Int ..." from the temporal-namespace job, normalised for comparison. */
function composeSearchAttributes(composeText: string): string[] {
  const list = /^[ \t]*TEMPORAL_SEARCH_ATTRIBUTES:[ \t]*"([^"]*)"/m.exec(composeText)?.[1] ?? '';
  return list
    .split(/\s+/)
    .filter((pair) => pair !== '')
    .map((pair) => pair.replace(/_/g, '').toLowerCase())
    .sort();
}

test('the production docker-compose.yml is valid for the docker client', () => {
  expect(existsSync(composeFile)).toBe(true);
  const composeText = readFileSync(composeFile, 'utf8');

  // Both with and without docker: the file's own text.
  const images = imageReferences(composeText);
  expect(images.length).toBeGreaterThanOrEqual(4);
  expect(unpinnedImages(images)).toEqual([]);
  // `^  <name>:` lines: the services (and other two-space keys such as named volumes).
  const twoSpaceKeys = [...composeText.matchAll(/^ {2}([A-Za-z0-9._-]+):[ \t]*$/gm)].map((match) => match[1]);
  expect(twoSpaceKeys).toEqual(expect.arrayContaining(requiredServices));
  // The namespace job registers exactly the search attributes the workflows use.
  expect(composeSearchAttributes(composeText)).toEqual(
    allSearchAttributes.map((key) => `${key.name}=${key.type}`.replace(/_/g, '').toLowerCase()).sort(),
  );

  if (!dockerComposeAvailable()) {
    console.warn(
      '`docker compose config` was not available (no docker client with the compose plugin on PATH): ' +
        'checked docker-compose.yml as text only.',
    );
    return;
  }

  // Throws, with compose's error message, if the file is invalid. No .env is needed.
  dockerCompose(['config', '-q']);
  // The documented environment file must be accepted as well.
  expect(existsSync(envExample)).toBe(true);
  dockerCompose(['--env-file', envExample, 'config', '-q']);

  // The images compose actually resolves (interpolation applied by compose itself).
  const resolvedImages = dockerCompose(['config', '--images'])
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  expect(resolvedImages.length).toBeGreaterThanOrEqual(4);
  expect(unpinnedImages(resolvedImages)).toEqual([]);

  const services = dockerCompose(['config', '--services'])
    .split('\n')
    .map((line) => line.trim());
  expect(services).toEqual(expect.arrayContaining(requiredServices));
});
