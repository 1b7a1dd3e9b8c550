/**
 * The worker's options that the bench (`npm run bench`, README "Benchmark") chose, with why. No
 * imports: the configuration's defaults come from here too.
 */

/**
 * Workflows kept in memory between their tasks, each 0.35-0.38 MB of RSS with the lean bundle
 * (test/workflow-bundle-size.test.ts). Measured with the bench at 1,500 invoices: at 500, 184-193 s
 * and two sticky schedule-to-start timeouts (1,500 invoices in flight do not fit, and an evicted one
 * is replayed from its history at its next step); at 1,000, 127-177 s and none, peak RSS about 600 MB. The SDK's own
 * default (about 2,300 on a 4 GB heap) would hold more than the memory budget. Not yet enough for
 * that budget: with 10,000 in flight the worker peaked at 910 MB, and 1,087 MB with 10,000 e-mails
 * waiting (README, Benchmark), more than the cache accounts for.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 1000;

/*
 * Left at the SDK's defaults, from the same bench (1,500 invoices, 5 December 2026): workflow task
 * slots (40) and pollers, because our slowest workflow task took 0.36-0.50 s once picked up but
 * 4.7-5.1 s from scheduled to completed, about the bare floor's 4.2-4.9 s with the same defaults:
 * most of a task's time is spent before a worker takes it, as much for the floor as for us. Activity slots (100):
 * the profile saw at most 69 in use, PowerOffice's rate being the bound of the assessments.
 * The sticky queue's 10 s schedule-to-start: no sticky timeouts at 1,500 with the cache above (two
 * with 500); seven at 10,000 on a machine shared with other test runs.
 */
