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

/*
 * Left at the SDK's defaults, from the same bench (1,500 invoices, 5 December 2026): workflow task
 * slots (40) and pollers, because our slowest workflow task took 0.36-0.50 s once picked up while
 * tasks waited up to 4.7-5.1 s to be picked up, as long as the bare floor's (4.2-4.9 s) with the
 * same defaults: the wait is the dev server's dispatch, not a lack of slots. Activity slots (100):
 * the profile saw at most 69 in use, PowerOffice's rate being the bound of the assessments.
 * The sticky queue's 10 s schedule-to-start: no sticky timeouts with the cache above (two with 500).
 */
