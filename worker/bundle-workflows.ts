import { resolve } from 'node:path';
import { newCommand, Refusal, runCommand } from '../client/command-line';
import { cachedWorkflowBundle } from './workflow-bundle-cache';
import { workflowBundleOptions } from './workflow-bundle-location';

/**
 * `node dist/worker/bundle-workflows.js --out DIR`: builds the workflow bundle ahead of time, where
 * a worker started with WORKFLOW_BUNDLE_DIR=DIR reads it instead of running webpack (3 to 8 s).
 * The container image runs it at build time, since its runtime user cannot write the cache. A
 * worker whose files differ from those the bundle was made from bundles afresh, never runs it.
 */
const program = newCommand('bundle-workflows', 'Build the workflow bundle into a directory, for workers started with WORKFLOW_BUNDLE_DIR set to it (the container image does this at build time).')
  .requiredOption('--out <dir>', 'directory for the bundle and its manifest (created if missing)')
  .action(async ({ out }: { out: string }) => {
    const cacheDir = resolve(out);
    const options = workflowBundleOptions(cacheDir, (message) => {
      throw new Refusal(message);
    });
    const built = await cachedWorkflowBundle(options);
    // Read back the way a worker reads it: a bundle only a fresh build could use is no bundle.
    const reread = await cachedWorkflowBundle(options);
    if (reread.source !== 'cache') throw new Refusal(`The workflow bundle in ${cacheDir} could not be read back as a worker reads it.`);
    console.log(`Workflow bundle ${built.source === 'cache' ? 'already up to date' : `built in ${(built.ms / 1000).toFixed(1)} s`} in ${cacheDir} (${Math.round(reread.bundle.code.length / 1024)} KiB).`);
  });

void runCommand(program);
