import { workerHealth } from '../worker/worker-health-report';

/** The figures of a "worker health" line, in MB with one decimal, from Node's and the worker's own counts. */
describe('the worker health line', () => {
  test('gives memory in MB and the workflows and activities the worker holds', () => {
    const mib = 1024 * 1024;
    const health = workerHealth(
      { rss: 700 * mib, heapUsed: 123.45 * mib, heapTotal: 300 * mib, external: 12 * mib, arrayBuffers: 2 * mib },
      432 * mib,
      { numCachedWorkflows: 1000, numInFlightWorkflowActivations: 3, numInFlightActivities: 7 },
    );
    expect(health).toEqual({ rssMb: 700, heapUsedMb: 123.5, heapTotalMb: 300, heapLimitMb: 432, externalMb: 12, cachedWorkflows: 1000, workflowActivationsInFlight: 3, activitiesInFlight: 7 });
  });
});
