/**
 * The worker's options that the bench (`npm run bench`, README "Benchmark") chose, with why. No
 * imports: the configuration's defaults come from here too.
 */

/**
 * Workflows kept in memory between their tasks; an evicted one is replayed from its history at its
 * next task. Measured with the bench (6 December 2026), 3,000 e-mails with link left waiting, the
 * worker's RSS 30 s after the last one waited: 888 MB with 1,000 cached, 747 MB with 500, so about
 * 0.28 MB a cached workflow (one size measured, so not yet shown flat with the count). At 1,500 invoices in flight the ratio
 * to the floor did not suffer from the smaller cache (500: median 1.48, two sticky schedule-to-start
 * timeouts; 1,000: median 1.60, none; both on a machine shared with test runs). The memory target
 * (700 MB with 10,000 in flight) decides: 500. The SDK's own default (about 2,300 on a 4 GB heap)
 * would hold more than the budget. With the heap cap below, 500 cached held 506 MB with 3,000
 * waiting and 515 MB with 10,000 (flat), and 475 MB at most with 10,000 in flight.
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 500;

/*
 * Left at the SDK's defaults, from the same bench (1,500 invoices, 5 December 2026): workflow task
 * slots (40) and pollers, because our slowest workflow task took 0.36-0.50 s once picked up but
 * 4.7-5.1 s from scheduled to completed, about the bare floor's 4.2-4.9 s with the same defaults:
 * most of a task's time is spent before a worker takes it, as much for the floor as for us. Activity slots (100):
 * the profile saw at most 69 in use, PowerOffice's rate being the bound of the assessments.
 * The sticky queue's 10 s schedule-to-start: no sticky timeouts at 1,500 with the cache above (two
 * with 500); seven at 10,000 on a machine shared with other test runs, none at 10,000 once the
 * booking and sends became local activities (6 December 2026). Local activity slots (the SDK's 100):
 * a booking or send holds one for a few requests; at 10,000 the worker's health lines (every 10 s
 * in the bench) showed at most 3 activities in flight, so the slots are not the bound.
 */

/**
 * The worker process's runtime settings, applied where it is started (Dockerfile's CMD, `npm run
 * worker`, the bench and the chaos campaign; test/worker-process-settings.test.ts keeps them equal).
 *
 * Node sizes each V8 heap from the machine's memory (about 4.3 GB on a 24 GB machine), so a busy
 * worker let garbage pile up long before collecting it: at 1,500 e-mails waiting, 259 MB of main
 * heap held for about 80 MB live. The cap applies to both of the worker's isolates, the main thread
 * (activities; 53 MB live at rest, 69 MB at 1,500 waiting) and the SDK's workflow thread (about
 * 0.11 MB live per cached workflow, 55 MB at 500, plus about 30 MB of bundle and source map). 384 MB
 * leaves them several times their live size; measured in a profiling run beside the bench (heap
 * snapshots, glibc's malloc_stats) at 1,500 waiting (one run each, machine
 * shared): RSS 687 MB as before, 514 MB with 256 MB heaps, 479 MB with glibc held to two malloc
 * arenas as well (it kept 70-125 MB it had freed, one arena per thread otherwise).
 */
export const WORKER_MAX_OLD_SPACE_MB = 384;
export const WORKER_NODE_FLAGS: readonly string[] = [`--max-old-space-size=${WORKER_MAX_OLD_SPACE_MB}`];
export const WORKER_PROCESS_ENVIRONMENT: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
