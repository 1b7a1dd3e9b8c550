/**
 * The worker's options that the bench (`npm run bench`, README "Benchmark") chose, with why. No
 * imports: the configuration's defaults come from here too.
 */

/**
 * Workflows kept in memory between their tasks. Each costs 0.35-0.38 MB of RSS with the lean
 * bundle (test/workflow-bundle-size.test.ts), so 1,000 keep a worker near 600 MB however many
 * invoices wait for their opening (50,000 for four days is an ordinary week). At 500, a batch of
 * 1,500 evicted invoices between their steps and replayed them from history (server reads and
 * worker CPU per step); the SDK's own default (about 2,300 on a 4 GB heap) would pass the 700 MB
 * budget with a batch of thousands in flight.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 1000;
