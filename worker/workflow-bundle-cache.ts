import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { bundleWorkflowCode, type WorkflowBundle } from '@temporalio/worker';
import { z } from 'zod';

/**
 * The workflow bundle, built once and kept on disk: webpack takes 3 to 8 s, and a worker restarted
 * after a crash should be polling within seconds. Next to the bundle lies its manifest: the hash of
 * every file webpack put into it (read from the bundle's own source map, node_modules included),
 * of package-lock.json and the SDK version. The bundle is reused only while every one of them is
 * unchanged; a new import changes the importing file, so a stale bundle is never run. A cache that
 * cannot be written (a read-only image) only costs the next start its time.
 */
export interface BundleOutcome {
  bundle: WorkflowBundle;
  /** 'cache': read from disk; 'bundled': built now (and stored when possible). */
  source: 'cache' | 'bundled';
  ms: number;
}

export interface BundleCacheOptions {
  workflowsPath: string;
  lockFile: string;
  cacheDir: string;
  /** Told when the cache cannot be written. */
  warn: (message: string) => void;
}

const manifestSchema = z.object({
  sdk: z.string(),
  /** The entry the bundle was made from: a cache copied to another checkout is not that checkout's bundle. */
  workflowsPath: z.string(),
  lockFile: z.string(),
  bundleFile: z.string(),
  /** Absolute path → SHA-256 of its content. */
  sources: z.record(z.string(), z.string()),
});
type Manifest = z.infer<typeof manifestSchema>;

const MANIFEST = 'workflows.manifest.json';
const sdkVersion = (): Promise<string> => readFile(require.resolve('@temporalio/worker/package.json'), 'utf8').then((text) => z.object({ version: z.string() }).parse(JSON.parse(text)).version);
const sha256 = (content: Buffer | string) => createHash('sha256').update(content).digest('hex');
const hashOf = (file: string) => readFile(file).then(sha256, () => 'missing');

/** The files webpack took the bundle from, as its inline source map names them. */
export function bundledSources(code: string): string[] {
  const marker = code.lastIndexOf('sourceMappingURL=data:application/json');
  if (marker < 0) return [];
  const base64 = code.slice(code.indexOf(',', marker) + 1).trim();
  const parsed = z.object({ sources: z.array(z.string()) }).safeParse(JSON.parse(Buffer.from(base64, 'base64').toString('utf8')));
  return parsed.success ? [...new Set(parsed.data.sources.filter((source) => isAbsolute(source)))] : [];
}

async function reusable(options: BundleCacheOptions): Promise<string | undefined> {
  const text = await readFile(join(options.cacheDir, MANIFEST), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const manifest = manifestSchema.safeParse(JSON.parse(text));
  if (!manifest.success || manifest.data.workflowsPath !== options.workflowsPath || manifest.data.sdk !== (await sdkVersion()) || manifest.data.lockFile !== (await hashOf(options.lockFile))) return undefined;
  for (const [file, hash] of Object.entries(manifest.data.sources)) {
    if ((await hashOf(file)) !== hash) return undefined;
  }
  const code = await readFile(join(options.cacheDir, manifest.data.bundleFile), 'utf8').catch(() => undefined);
  return code !== undefined && sha256(code).startsWith(manifest.data.bundleFile.replace(/^workflows-|\.js$/g, '')) ? code : undefined;
}

async function store(options: BundleCacheOptions, code: string): Promise<void> {
  const sources = bundledSources(code);
  if (sources.length === 0) return; // nothing to check a later start against: never reuse it
  const manifest: Manifest = {
    sdk: await sdkVersion(),
    workflowsPath: options.workflowsPath,
    lockFile: await hashOf(options.lockFile),
    bundleFile: `workflows-${sha256(code).slice(0, 32)}.js`,
    sources: Object.fromEntries(await Promise.all(sources.map(async (file) => [file, await hashOf(file)] as const))),
  };
  await mkdir(options.cacheDir, { recursive: true });
  // Each file written aside and renamed, the manifest last: a worker starting beside this one
  // reads either the old pair or the new one, never half of either.
  const write = async (name: string, content: string) => {
    const partial = join(options.cacheDir, `${name}.${process.pid}.partial`);
    await writeFile(partial, content);
    await rename(partial, join(options.cacheDir, name));
  };
  await write(manifest.bundleFile, code);
  await write(MANIFEST, JSON.stringify(manifest));
  for (const old of await readdir(options.cacheDir)) {
    if (/^workflows-\w+\.js$/.test(old) && old !== manifest.bundleFile) await rm(join(options.cacheDir, old), { force: true });
  }
}

export async function cachedWorkflowBundle(options: BundleCacheOptions): Promise<BundleOutcome> {
  const started = Date.now();
  const cached = await reusable(options).catch(() => undefined);
  if (cached !== undefined) return { bundle: { code: cached }, source: 'cache', ms: Date.now() - started };
  const { code } = await bundleWorkflowCode({ workflowsPath: options.workflowsPath });
  try {
    await store(options, code);
  } catch (err) {
    options.warn(`the workflow bundle could not be cached in ${options.cacheDir} (${err instanceof Error ? err.message : String(err)}); the next start bundles again`);
  }
  return { bundle: { code }, source: 'bundled', ms: Date.now() - started };
}
