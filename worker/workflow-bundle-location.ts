import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BundleCacheOptions } from './workflow-bundle-cache';

/**
 * Where the worker finds its workflow bundle, the same for the worker and for the build step that
 * makes it ahead of time (worker/bundle-workflows.ts). From the sources (tsx) the project root is
 * this folder's parent; from the compiled image (dist/worker) the lock file lies one level higher.
 */
export function workflowBundleOptions(cacheDir: string | undefined, warn: (message: string) => void): BundleCacheOptions {
  const compiledOrSourceRoot = join(__dirname, '..');
  const lockFile = [join(compiledOrSourceRoot, 'package-lock.json'), join(compiledOrSourceRoot, '..', 'package-lock.json')].find((file) => existsSync(file));
  return {
    workflowsPath: require.resolve('../workflows'),
    lockFile: lockFile ?? join(compiledOrSourceRoot, 'package-lock.json'),
    // Git-ignored .temporal/ when run from a checkout; the image sets WORKFLOW_BUNDLE_DIR to the
    // bundle it built, because its runtime files are read-only.
    cacheDir: cacheDir ?? join(compiledOrSourceRoot, '.temporal', 'workflow-bundle'),
    warn,
  };
}
